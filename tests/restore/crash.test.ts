import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/http';
import { backUp, graphOf, OwnCloud, preview, syncDirectory } from './support';

/**
 * A restore execute whose local cloud is killed (SIGKILL) in the middle of its writes, then started again
 * on the same data: the run ends once, and every object it was to create exists exactly once.
 */
let cloud: OwnCloud;

beforeAll(async () => {
  cloud = await OwnCloud.start({});
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
});

async function itemsDone(target: OwnCloud, planId: string): Promise<number> {
  const { resources } = await target
    .container('backups')
    .items.query<number>({
      query:
        "SELECT VALUE COUNT(1) FROM c WHERE c.kind = 'restorePlanItem' AND c.planId = @p AND c.execution.state = 'done'",
      parameters: [{ name: '@p', value: planId }],
    })
    .fetchAll();
  return resources[0] ?? 0;
}

describe('a crash of the local cloud during a restore execute', () => {
  it('ends once restarted, every deleted object created exactly once', async () => {
    const tenant = await cloud.connectedTenant('Restore crash', 'fabrikam');
    await syncDirectory(cloud, tenant);
    const setId = await backUp(cloud, tenant, ['deviceConfigurations']);
    const before = await graphOf(cloud, 'fabrikam').list('deviceConfigurations');
    const deleted = before.slice(0, 10);
    for (const object of deleted)
      await cloud.control('/tenants/fabrikam/admin-changes', 'POST', {
        action: 'delete',
        collection: '/deviceManagement/deviceConfigurations',
        id: object.id,
      });
    const planned = await preview(cloud, tenant, {
      source: { tenantId: tenant.tenantId, backupSetId: setId },
    });
    expect(planned.run.result.create).toBe(deleted.length);

    // Slow writes down, so the kill lands between them.
    await cloud.control('/tenants/fabrikam/realism', 'PATCH', { latency: { fixedMs: 250, jitterMs: 0 } });
    const started = await cloud.api('POST', `${tenant.base}/operations`, {
      as: 'mike',
      body: {
        type: 'restore.execute',
        previewRunId: planned.run.id,
        confirmationToken: planned.run.result.confirmationToken,
      },
    });
    expect(started.status, started.text).toBe(202);
    const runId = started.body.run.id as string;
    await eventually(
      async () => ((await itemsDone(cloud, planned.run.id)) >= 3 ? true : undefined),
      120_000,
      50,
    );
    expect((await cloud.api('GET', `/operations/${runId}`, { as: 'mike' })).body.status).not.toBe(
      'completed',
    );

    cloud = await cloud.crashAndRestart();
    await cloud.control('/tenants/fabrikam/realism', 'PATCH', { latency: { fixedMs: 0, jitterMs: 0 } });
    const run = await cloud.finished(runId, 180_000);
    expect(run.outcome, JSON.stringify(run.failures)).toBe('succeeded');
    expect(run.result).toMatchObject({ created: deleted.length, failed: 0 });
    const after = await graphOf(cloud, 'fabrikam').list('deviceConfigurations');
    // Names are not unique in a tenant: each name is there as often as before the deletions.
    const count = (list: typeof before, name: unknown) => list.filter((o) => o.displayName === name).length;
    for (const object of deleted)
      expect(count(after, object.displayName), String(object.displayName)).toBe(
        count(before, object.displayName),
      );
  }, 420_000);
});
