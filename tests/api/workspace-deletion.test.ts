import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocalSecrets } from '../../emulators/local-secrets';
import { LocalFileSecretStore } from '../../shared/secrets/local-file';
import { eventually } from '../support/http';
import { OwnCloud } from '../backup/own-cloud';

/**
 * Deleting a workspace: the owner's soft delete hides it from every member at once; after the
 * retention (0 days here) the purge timer deletes the tenants' data and the workspace, keeps the audit,
 * and deletes the connections' secrets. A second firing of the timer, racing the first, changes nothing.
 */
let cloud: OwnCloud;

beforeAll(async () => {
  cloud = await OwnCloud.start({ WORKSPACE_PURGE_AFTER_DAYS: '0' });
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
});

async function documentsOf(container: string, where: string, value: string): Promise<number> {
  const { resources } = await cloud
    .container(container)
    .items.query<number>({
      query: `SELECT VALUE COUNT(1) FROM c WHERE ${where} = @v`,
      parameters: [{ name: '@v', value }],
    })
    .fetchAll();
  return resources[0] ?? 0;
}

/** Waits for a condition (probed every 250 ms). */
function until(_what: string, condition: () => Promise<boolean>, timeoutMs = 120_000) {
  return eventually(async () => ((await condition()) ? true : undefined), timeoutMs, 250);
}

describe('workspace deletion', () => {
  it('hides the workspace from every member at once, then purges its data but the audit', async () => {
    const name = 'Offboarded customer';
    const { workspaceId, tenantId, base } = await cloud.connectedTenant(name, 'fabrikam');
    const backup = await cloud.api('POST', `${base}/operations`, {
      as: 'olga',
      body: { type: 'backup.run' },
    });
    expect(backup.status, backup.text).toBe(202);
    expect((await cloud.finished(backup.body.run.id)).outcome).toBe('succeeded');
    const { resources: connections } = await cloud
      .container('tenants')
      .items.query<{ secretName: string }>({
        query:
          "SELECT c.credential.secretName AS secretName FROM c WHERE c.kind = 'providerConnection' AND c.tenantId = @t",
        parameters: [{ name: '@t', value: tenantId }],
      })
      .fetchAll();
    expect(connections).toHaveLength(1);
    const secrets = new LocalFileSecretStore(
      path.join(cloud.dataDir, 'provider-secrets.enc.json'),
      loadLocalSecrets(cloud.dataDir).secretStoreKey,
    );
    await expect(secrets.get(connections[0]!.secretName)).resolves.toBeTruthy();
    for (const container of ['inventory', 'policyVersions', 'backups'])
      expect(await documentsOf(container, 'c.tenantId', tenantId)).toBeGreaterThan(0);
    // A baseline of the workspace, applied to its tenant: its findings and the baseline are purged too.
    const baseline = await cloud.api('POST', `/workspaces/${workspaceId}/baselines`, {
      as: 'mike',
      body: { name: 'Standard', source: { tenantId, backupSetId: backup.body.run.id } },
    });
    expect(baseline.status, baseline.text).toBe(201);
    const assigned = await cloud.api(
      'PUT',
      `/workspaces/${workspaceId}/baselines/${baseline.body.id}/tenants/${tenantId}`,
      { as: 'mike', body: {} },
    );
    expect(assigned.status, assigned.text).toBe(200);
    await until('the drift findings', async () => (await documentsOf('drift', 'c.tenantId', tenantId)) > 1);
    // The tenant's baseline index (kept by the assignment) is a drift document of the tenant too, and
    // the pair's summary lives in a container of its own.
    expect(await documentsOf('drift', 'c.id', `tenant-baselines-${tenantId}`)).toBe(1);
    await until(
      'the pair summary',
      async () => (await documentsOf('driftSummaries', 'c.tenantId', tenantId)) > 0,
    );

    // Only owners, and only with the name typed: nothing changes otherwise.
    const byManager = await cloud.api(
      'DELETE',
      `/workspaces/${workspaceId}?confirm=${encodeURIComponent(name)}`,
      {
        as: 'mike',
      },
    );
    expect(byManager.status).toBe(403);
    const mistyped = await cloud.api('DELETE', `/workspaces/${workspaceId}?confirm=Offboarded`, {
      as: 'alice',
    });
    expect(mistyped.status).toBe(400);
    expect(mistyped.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'query.confirm' }] });
    expect((await cloud.api('GET', `/workspaces/${workspaceId}`, { as: 'rita' })).status).toBe(200);

    const deleted = await cloud.api(
      'DELETE',
      `/workspaces/${workspaceId}?confirm=${encodeURIComponent(name)}`,
      {
        as: 'alice',
      },
    );
    expect(deleted.status, deleted.text).toBe(200);
    expect(deleted.body).toMatchObject({ id: workspaceId, deletedAt: expect.any(String) });
    expect(deleted.body.purgeAfter).toBe(deleted.body.deletedAt);

    // Hidden at once, for every member and every route; a retried delete (answer lost) finds nothing.
    for (const user of ['alice', 'mike', 'olga', 'rita'] as const) {
      expect((await cloud.api('GET', `/workspaces/${workspaceId}`, { as: user })).status).toBe(404);
      const mine = await cloud.api('GET', '/workspaces', { as: user });
      expect(mine.body.items.map((w: { id: string }) => w.id)).not.toContain(workspaceId);
    }
    expect((await cloud.api('GET', `${base}/inventory`, { as: 'alice' })).status).toBe(404);
    const start = await cloud.api('POST', `${base}/operations`, {
      as: 'olga',
      body: { type: 'inventory.sync' },
    });
    expect(start.status).toBe(404);
    expect(
      (
        await cloud.api('DELETE', `/workspaces/${workspaceId}?confirm=${encodeURIComponent(name)}`, {
          as: 'alice',
        })
      ).status,
    ).toBe(404);

    // The purge: two firings at once (two hosts), one purge run, then the workspace goes.
    await Promise.all([
      cloud.invokeTimer('purgeDeletedWorkspaces'),
      cloud.invokeTimer('purgeDeletedWorkspaces'),
    ]);
    await until(
      'the tenant to be purged',
      async () => (await documentsOf('tenants', 'c.workspaceId', workspaceId)) === 0,
    );
    await until('the tenant purge to end', async () => {
      const { resources } = await cloud
        .container('runs')
        .items.query<{ status: string }>({
          query: "SELECT c.status FROM c WHERE c.tenantId = @t AND c.type = 'tenant.purge'",
          parameters: [{ name: '@t', value: tenantId }],
        })
        .fetchAll();
      return resources.length === 1 && resources[0]!.status === 'completed';
    });
    // The tenant's drift summaries went with the tenant, not with the workspace's purge after it: by the
    // purge's own step, or by an evaluation that found the tenant gone first and dropped it (both race).
    expect(await documentsOf('driftSummaries', 'c.tenantId', tenantId)).toBe(0);
    await cloud.invokeTimer('purgeDeletedWorkspaces');
    await until(
      'the workspace to be removed',
      async () => (await documentsOf('workspaces', 'c.id', workspaceId)) === 0,
    );

    for (const container of [
      'inventory',
      'policyVersions',
      'backups',
      'directory',
      'notifications',
      'drift',
      'driftSummaries',
    ])
      expect(await documentsOf(container, 'c.tenantId', tenantId), container).toBe(0);
    expect(await documentsOf('drift', 'c.workspaceId', workspaceId)).toBe(0);
    expect(await documentsOf('driftSummaries', 'c.workspaceId', workspaceId)).toBe(0);
    expect(await documentsOf('memberships', 'c.workspaceId', workspaceId)).toBe(0);
    const { resources: runs } = await cloud
      .container('runs')
      .items.query<{
        type: string;
        outcome: string;
        result: { deleted: number; byKind: Record<string, number> };
      }>({
        query: 'SELECT c.type, c.outcome, c.result FROM c WHERE c.tenantId = @t',
        parameters: [{ name: '@t', value: tenantId }],
      })
      .fetchAll();
    expect(runs).toEqual([{ type: 'tenant.purge', outcome: 'succeeded', result: expect.any(Object) }]);
    expect(runs[0]!.result.deleted).toBeGreaterThan(0);
    await expect(secrets.get(connections[0]!.secretName)).rejects.toThrow(/does not exist/);

    // The audit stays: who deleted it, and that it was purged.
    const { resources: actions } = await cloud
      .container('audit')
      .items.query<string>({
        query: 'SELECT VALUE c.action FROM c WHERE c.workspaceId = @w',
        parameters: [{ name: '@w', value: workspaceId }],
      })
      .fetchAll();
    expect(actions).toEqual(
      expect.arrayContaining(['workspace.delete', 'workspace.purge', 'operation.start']),
    );
    expect(actions.filter((a) => a === 'workspace.delete')).toHaveLength(1);
    expect(actions.filter((a) => a === 'workspace.purge')).toHaveLength(1);
  }, 300_000);
});
