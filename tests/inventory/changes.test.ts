import { CosmosClient } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/api';
import { call, cloud, eventually } from '../support/http';
import { allItems, connectedScope, control, finished, startSync, sync, type Scope } from './support';

/**
 * Tailspin is the simulated tenant only this file changes (administrator changes, injected faults), so
 * these tests run one after another and nobody else reads it.
 */
const TENANT = 'tailspin';
let scope: Scope;

beforeAll(async () => {
  await control('POST', `/tenants/${TENANT}/reset`);
  scope = await connectedScope('Inventory changes', TENANT);
  const first = await sync(scope);
  expect(first.outcome).toBe('succeeded');
});

afterAll(async () => {
  await control('POST', `/tenants/${TENANT}/reset`);
});

type Change = { action: string; collection: string; id: string };
const adminChange = async (body: Record<string, unknown>) =>
  (await control<{ changes: Change[] }>('POST', `/tenants/${TENANT}/admin-changes`, body)).changes[0]!;

describe('re-syncing after administrator changes', () => {
  it('records one new version for the changed object, one new item and one removed; nothing else moves', async () => {
    const before = await allItems(scope);
    const pick = (type: string) => before.find((item) => item.policyType === type)!;
    const changed = pick('deviceConfigurations');
    const deleted = pick('mobileApps');
    await adminChange({
      action: 'update',
      collection: '/deviceManagement/deviceConfigurations',
      id: changed.graphId,
      patch: { description: 'Changed by the inventory test' },
    });
    const created = await adminChange({
      action: 'create',
      collection: '/deviceManagement/configurationPolicies',
      id: pick('configurationPolicies').graphId,
    });
    await adminChange({
      action: 'delete',
      collection: '/deviceAppManagement/mobileApps',
      id: deleted.graphId,
    });

    const run = await sync(scope);
    expect(run.outcome).toBe('succeeded');
    expect(run.summary).toBe(
      `Inventory sync of Test tenant finished — ${run.result.totals.objects} objects, 1 changed, 1 new, 1 removed`,
    );
    expect(run.result.totals).toMatchObject({
      new: 1,
      changed: 1,
      removed: 1,
      versionsCreated: 2,
      failed: 0,
    });

    const after = new Map((await allItems(scope, 'removed=any')).map((item) => [item.id, item]));
    const now = (id: string) => after.get(id)!;
    expect(now(changed.id).versionCount).toBe(2);
    expect(now(changed.id).currentVersionId).not.toBe(changed.currentVersionId);
    const added = [...after.values()].find((item) => item.graphId === created.id)!;
    expect(added).toMatchObject({ policyType: 'configurationPolicies', versionCount: 1, removedAt: null });
    expect(now(deleted.id).removedAt).toEqual(expect.any(String));
    for (const item of before) {
      if (item.id === changed.id || item.id === deleted.id) continue;
      expect(now(item.id), item.id).toMatchObject({
        currentVersionId: item.currentVersionId,
        versionCount: 1,
        removedAt: null,
      });
    }
    expect(after.size).toBe(before.length + 1);
    const sinceRun = await allItems(scope, `removed=any&changedSince=${run.startedAt}`);
    expect(sinceRun.map((item) => item.id).sort()).toEqual([added.id, changed.id, deleted.id].sort());
    expect((await allItems(scope, 'removed=true')).map((item) => item.id)).toEqual([deleted.id]);
    expect((await allItems(scope)).some((item) => item.id === deleted.id)).toBe(false);

    const itemPath = `${scope.base}/inventory/${encodeURIComponent(changed.id)}`;
    const history = await api('GET', `${itemPath}/versions`, { as: 'rita' });
    expect(
      history.body.items.map((entry: { change: string; current: boolean }) => [entry.change, entry.current]),
    ).toEqual([
      ['changed', true],
      ['created', false],
    ]);
    const diff = await api('GET', `${itemPath}/diff`, { as: 'rita' });
    expect(diff.status).toBe(200);
    expect(diff.body).toMatchObject({ from: changed.currentVersionId, to: now(changed.id).currentVersionId });
    expect(diff.body.changes).toContainEqual(
      expect.objectContaining({
        op: expect.stringMatching(/add|replace/),
        path: '/object/description',
        after: 'Changed by the inventory test',
      }),
    );
    // Graph's own bookkeeping changed too, but is not what the diff is about.
    expect(diff.body.changes.every((change: { path: string }) => change.path.startsWith('/object/'))).toBe(
      true,
    );
    const old = await api('GET', `${itemPath}/versions/${changed.currentVersionId}`, { as: 'rita' });
    expect(old.status).toBe(200);
    expect(old.body.content.object.description).not.toBe('Changed by the inventory test');
  });

  it('never stores an encrypted OMA-URI value, and flags it', async () => {
    const secret = `wifi-key-${Date.now()}-never-stored`;
    const custom = (await allItems(scope, 'type=deviceConfigurations')).find(
      (item) => item.odataType === '#microsoft.graph.windows10CustomConfiguration',
    )!;
    await adminChange({
      action: 'update',
      collection: '/deviceManagement/deviceConfigurations',
      id: custom.graphId,
      patch: {
        omaSettings: [
          {
            '@odata.type': '#microsoft.graph.omaSettingString',
            displayName: 'Wi-Fi pre-shared key',
            omaUri: './Vendor/MSFT/WiFi/Profile/Corp/WlanXml',
            value: secret,
            isEncrypted: true,
            secretReferenceValueId: 'secret-ref-1',
            isReadOnly: false,
          },
        ],
      },
    });
    const run = await sync(scope);
    expect(run.result.totals).toMatchObject({ changed: 1, versionsCreated: 1 });
    const itemPath = `${scope.base}/inventory/${encodeURIComponent(custom.id)}`;
    const item = await api('GET', itemPath, { as: 'rita' });
    expect(item.body.encryptedSettings).toBe(1);
    expect(item.body.currentVersion.redactedPaths).toEqual(['/object/omaSettings/0/value']);
    expect(item.body.currentVersion.content.object.omaSettings[0]).toMatchObject({
      value: null,
      isEncrypted: true,
      secretReferenceValueId: 'secret-ref-1',
    });
    const diff = await api('GET', `${itemPath}/diff`, { as: 'rita' });
    for (const response of [item, diff]) expect(response.text).not.toContain(secret);
    const { endpoint, key, database } = cloud().cosmos;
    const client = new CosmosClient({ endpoint, key });
    for (const container of ['inventory', 'policyVersions']) {
      const { resources } = await client
        .database(database)
        .container(container)
        .items.query({
          query: 'SELECT * FROM c WHERE c.tenantId = @t',
          parameters: [{ name: '@t', value: scope.tenantId }],
        })
        .fetchAll();
      expect(resources.length).toBeGreaterThan(0);
      expect(JSON.stringify(resources)).not.toContain(secret);
    }
    client.dispose();
  });
});

describe('throttling and outages', () => {
  it('a sync through 20 % injected 429 and 503 answers ends with the same inventory as one without', async () => {
    const reference = await sync(scope);
    expect(reference.result.totals).toMatchObject({ versionsCreated: 0, failed: 0 });
    const expected = (await allItems(scope)).map((item) => `${item.id} ${item.contentHash}`).sort();

    const faulty = await connectedScope('Inventory faults', TENANT);
    const { lastSeq } = await control<{ lastSeq: number }>('GET', '/requests?since=999999999');
    await control('PATCH', `/tenants/${TENANT}/realism?reseed=true`, {
      // Retry-After 0: the pipeline's honouring of longer waits is tested with the Graph client.
      faults: { rate429: 0.1, rate503: 0.1, retryAfterSeconds: 0, seed: 17 },
    });
    let run;
    try {
      run = await sync(faulty);
    } finally {
      await control('PATCH', `/tenants/${TENANT}/realism`, { faults: { rate429: 0, rate503: 0 } });
    }
    expect(run.outcome).toBe('succeeded');
    const { entries } = await control<{ entries: Array<{ status: number }> }>(
      'GET',
      `/requests?tenant=${TENANT}&since=${lastSeq}`,
    );
    expect(entries.filter((entry) => entry.status === 429).length).toBeGreaterThan(5);
    expect(entries.filter((entry) => entry.status === 503).length).toBeGreaterThan(5);
    expect((await allItems(faulty)).map((item) => `${item.id} ${item.contentHash}`).sort()).toEqual(expected);
  });
});

describe('cancelling a sync', () => {
  it('ends the run and its lanes; nothing keeps reading Graph', async () => {
    const scope = await connectedScope('Inventory cancel', TENANT);
    await control('PATCH', `/tenants/${TENANT}/realism`, { latency: { fixedMs: 150, jitterMs: 0 } });
    try {
      const started = await startSync(scope);
      const runId = started.body.run.id as string;
      await eventually(async () => {
        const run = await api('GET', `/operations/${runId}`, { as: 'rita' });
        return run.body.counts.processed > 0 ? true : undefined;
      });
      const cancelled = await api('POST', `/operations/${runId}/cancel`, { as: 'olga' });
      expect(cancelled.status).toBe(200);
      const run = await finished(runId);
      expect(run.outcome).toBe('cancelled');
      const { masterKey } = cloud().functions;
      for (let lane = 0; lane < 4; lane++) {
        const id = encodeURIComponent(`${run.instanceId}:lane${lane}`);
        await eventually(async () => {
          const status = await call('GET', `/runtime/webhooks/durabletask/instances/${id}?code=${masterKey}`);
          return ['Completed', 'Terminated'].includes(status.json?.runtimeStatus) ? true : undefined;
        }, 30_000);
      }
      const { lastSeq } = await control<{ lastSeq: number }>('GET', '/requests?since=999999999');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const later = await control<{ entries: unknown[] }>(
        'GET',
        `/requests?tenant=${TENANT}&since=${lastSeq}`,
      );
      expect(later.entries).toEqual([]);
    } finally {
      await control('PATCH', `/tenants/${TENANT}/realism`, { latency: { fixedMs: 0, jitterMs: 0 } });
    }
  });
});
