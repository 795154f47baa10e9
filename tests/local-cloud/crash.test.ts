import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/http';
import { graphAppToken } from '../support/tokens';
import { OwnCloud } from '../backup/own-cloud';

/**
 * The hard case of a restart: the local cloud's process is killed (SIGKILL) while a run writes, then
 * started again on the same data folder. Every run must end, nothing may stay `running`, and nothing
 * the first process wrote may be doubled or lost (the local Cosmos DB journals each answered write).
 */
let cloud: OwnCloud;
let scope: Awaited<ReturnType<OwnCloud['connectedTenant']>>;

beforeAll(async () => {
  cloud = await OwnCloud.start({});
  scope = await cloud.connectedTenant('Crash', 'contoso');
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
});

/** Slow Graph down, so the kill lands in the middle of the run's writes. */
async function slowGraph(target: OwnCloud) {
  await target.control('/tenants/contoso/realism', 'PATCH', { latency: { fixedMs: 120, jitterMs: 0 } });
}

async function start(type: string) {
  const started = await cloud.api('POST', `${scope.base}/operations`, { as: 'olga', body: { type } });
  expect(started.status, started.text).toBe(202);
  return started.body.run.id as string;
}

/** Waits for a condition (probed every 50 ms). */
function until(_what: string, condition: () => Promise<boolean>, timeoutMs = 120_000) {
  return eventually(async () => ((await condition()) ? true : undefined), timeoutMs, 50);
}

async function runStatus(target: OwnCloud, runId: string) {
  return (await target.api('GET', `/operations/${runId}`, { as: 'olga' })).body as {
    status: string;
    outcome: string;
    result: Record<string, number>;
    failures: unknown;
  };
}

async function versionsByItem(target: OwnCloud): Promise<Map<string, number>> {
  const { resources } = await target
    .container('policyVersions')
    .items.query<{ itemId: string }>({
      query: "SELECT c.itemId FROM c WHERE c.tenantId = @t AND c.docType = 'version'",
      parameters: [{ name: '@t', value: scope.tenantId }],
    })
    .fetchAll();
  const counts = new Map<string, number>();
  for (const { itemId } of resources) counts.set(itemId, (counts.get(itemId) ?? 0) + 1);
  return counts;
}

async function unfinishedRuns(target: OwnCloud): Promise<unknown[]> {
  const { resources } = await target
    .container('runs')
    .items.query({
      query: "SELECT c.id, c.type, c.status FROM c WHERE c.tenantId = @t AND c.status != 'completed'",
      parameters: [{ name: '@t', value: scope.tenantId }],
    })
    .fetchAll();
  return resources;
}

describe('a crash of the local cloud mid-run (SIGKILL, then a start on the same data)', () => {
  it('an inventory sync killed while it stores versions ends once restarted, with every object stored once', async () => {
    await slowGraph(cloud);
    const runId = await start('inventory.sync');
    await until('the sync to store its first versions', async () => (await versionsByItem(cloud)).size >= 5);
    expect((await runStatus(cloud, runId)).status).not.toBe('completed');

    cloud = await cloud.crashAndRestart();
    const run = await cloud.finished(runId, 180_000);
    expect(run.outcome, JSON.stringify(run.failures)).toBe('succeeded');
    expect(await unfinishedRuns(cloud)).toEqual([]);
    const versions = await versionsByItem(cloud);
    expect([...versions.values()].every((count) => count === 1)).toBe(true);

    // Nothing was lost either: a second sync of the unchanged tenant finds every object already stored.
    const again = await cloud.finished(await start('inventory.sync'));
    expect(again.outcome, JSON.stringify(again.failures)).toBe('succeeded');
    expect(again.result.totals).toMatchObject({ versionsCreated: 0, new: 0, changed: 0, removed: 0 });
    expect((await versionsByItem(cloud)).size).toBe(versions.size);
  }, 400_000);

  it('a backup killed mid-run ends once restarted, its set holding every object once', async () => {
    await slowGraph(cloud);
    const runId = await start('backup.run');
    await until('the backup to be under way', async () => {
      const run = await runStatus(cloud, runId);
      return run.status === 'running' && Boolean((run as { progress?: string | null }).progress);
    });
    cloud = await cloud.crashAndRestart();
    const run = await cloud.finished(runId, 180_000);
    expect(run.outcome, JSON.stringify(run.failures)).toBe('succeeded');
    expect(await unfinishedRuns(cloud)).toEqual([]);

    const items = await cloud.backupItems(scope.base, runId);
    expect(items.length).toBe(run.result.items);
    const keys = items.map((item) => `${item.policyType}/${item.graphId}`);
    expect(new Set(keys).size).toBe(keys.length);
    const inventory = await cloud.api('GET', `${scope.base}/inventory?limit=1`, { as: 'olga' });
    expect(inventory.status).toBe(200);
    expect([...(await versionsByItem(cloud)).values()].every((count) => count === 1)).toBe(true);
  }, 400_000);

  it("keeps the simulated tenant's acknowledged writes: an administrator's change and the app's Graph write", async () => {
    const DC = '/beta/deviceManagement/deviceConfigurations';
    await cloud.control('/tenants/contoso/realism', 'PATCH', { latency: { fixedMs: 0, jitterMs: 0 } });
    const [changed] = (
      await cloud.control('/tenants/contoso/admin-changes', 'POST', {
        action: 'update',
        collection: '/deviceManagement/deviceConfigurations',
        patch: { description: 'changed by an administrator before the crash' },
        seed: 11,
      })
    ).changes as Array<{ id: string }>;
    const created = await graphAsApp(cloud, 'POST', DC, {
      '@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration',
      displayName: 'WIN - Update Ring - Written before the crash',
      qualityUpdatesDeferralPeriodInDays: 3,
    });
    expect(created.status).toBe(201);

    cloud = await cloud.crashAndRestart();
    const adminChange = await graphAsApp(cloud, 'GET', `${DC}/${changed!.id}`);
    expect(adminChange.body.description).toBe('changed by an administrator before the crash');
    const written = await graphAsApp(cloud, 'GET', `${DC}/${created.body.id}`);
    expect(written.status).toBe(200);
    expect(written.body).toEqual({ ...created.body, '@odata.context': written.body['@odata.context'] });
    const events = await graphAsApp(
      cloud,
      'GET',
      `/beta/deviceManagement/auditEvents?$filter=${encodeURIComponent(`activityDateTime gt ${new Date(Date.now() - 600_000).toISOString()}`)}`,
    );
    const about = (id: string) =>
      events.body.value.filter(
        (e: { resources: Array<{ resourceId: string }> }) => e.resources[0]!.resourceId === id,
      );
    expect(
      about(changed!.id).map((e: { activityOperationType: string }) => e.activityOperationType),
    ).toContain('Patch');
    expect(
      about(created.body.id).map((e: { activityOperationType: string }) => e.activityOperationType),
    ).toEqual(['Create']);
  }, 200_000);
});

/** A call to the simulated Graph of contoso with the app's own credentials (client secret). */
async function graphAsApp(target: OwnCloud, method: string, path: string, body?: unknown) {
  const microsoft = target.description.microsoft as {
    authorityHost: string;
    graphBaseUrl: string;
    tenants: Array<{ name: string; entraTenantId: string; clientId: string; clientSecret: string }>;
  };
  const tenant = microsoft.tenants.find((t) => t.name === 'contoso')!;
  const token = await graphAppToken(tenant, microsoft.authorityHost);
  const response = await fetch(`${microsoft.graphBaseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph JSON, read as any client would.
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any };
}
