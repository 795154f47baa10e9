import { randomUUID } from 'node:crypto';
import { CosmosClient } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVENTORY } from '../../orchestrations/inventory-sync/contract';
import { createInventoryActivities } from '../../orchestrations/inventory-sync/activities';
import { systemClock } from '../../shared/clock';
import type { GraphClient } from '../../shared/graph';
import { createInventory, type InventoryDeps } from '../../shared/inventory';
import type { Run } from '../../shared/operations/model';
import { api } from '../support/api';
import { call, cloud, eventually } from '../support/http';
import { oracleClient } from './oracle';
import {
  allItems,
  connectedScope,
  control,
  finished,
  simulatedTenant,
  startSync,
  sync,
  type Scope,
} from './support';

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

/** Every document of a tenant in the inventory's two containers, by container and id, with its ETag. */
async function storedDocuments(tenantId: string): Promise<Map<string, { etag: string; docType: string }>> {
  const { endpoint, key, database } = cloud().cosmos;
  const client = new CosmosClient({ endpoint, key });
  const documents = new Map<string, { etag: string; docType: string }>();
  try {
    for (const container of ['inventory', 'policyVersions']) {
      const { resources } = await client
        .database(database)
        .container(container)
        .items.query<{ id: string; _etag: string; docType: string }>({
          query: 'SELECT c.id, c._etag, c.docType FROM c WHERE c.tenantId = @t',
          parameters: [{ name: '@t', value: tenantId }],
        })
        .fetchAll();
      for (const doc of resources)
        documents.set(`${container}/${doc.id}`, { etag: doc._etag, docType: doc.docType });
    }
  } finally {
    client.dispose();
  }
  return documents;
}

/** What Cosmos DB holds that is new or rewritten since `before`: document ids by document type. */
async function writtenSince(
  tenantId: string,
  before: Map<string, { etag: string; docType: string }>,
): Promise<Record<string, string[]>> {
  const written: Record<string, string[]> = {};
  for (const [id, doc] of await storedDocuments(tenantId)) {
    if (before.get(id)?.etag === doc.etag) continue;
    (written[doc.docType] ??= []).push(id.slice(id.indexOf('/') + 1));
  }
  return written;
}

/** The run's bookkeeping: its state, the cursors of page ranges, the summary the next plan reads. */
const BOOKKEEPING = new Set(['syncState', 'cursor', 'summary']);

describe('an unchanged re-sync', () => {
  it('writes one observation per type and no item or version; a deleted object is still marked removed', async () => {
    expect((await sync(scope)).outcome).toBe('succeeded'); // whatever the tests above changed is read
    const before = await storedDocuments(scope.tenantId);
    const run = await sync(scope);
    expect(run.outcome).toBe('succeeded');
    expect(run.result.totals).toMatchObject({
      new: 0,
      changed: 0,
      removed: 0,
      restored: 0,
      versionsCreated: 0,
    });
    const written = await writtenSince(scope.tenantId, before);
    const types = Object.keys(run.result.types).length + 1; // + the referenced groups
    expect(written.item).toBeUndefined();
    expect(written.version).toBeUndefined();
    expect(written.observation!.length).toBeGreaterThan(0);
    expect(written.observation!.length).toBeLessThanOrEqual(types);
    expect(Object.keys(written).filter((kind) => kind !== 'observation' && !BOOKKEEPING.has(kind))).toEqual(
      [],
    );
    // The run's own figures agree with what Cosmos DB holds.
    expect(run.result.totals.documentsWritten + run.result.dependencies.documentsWritten).toBe(
      written.observation!.length,
    );
    expect(run.result.totals.cosmosRequests + run.result.dependencies.cosmosRequests).toBeLessThanOrEqual(
      types,
    );
    // Not rewritten, yet seen by this run: the API says so from the types' observations.
    const present = await allItems(scope);
    expect(present.every((item) => item.lastSeenAt >= run.startedAt)).toBe(true);

    // An object without assignments (so no group stops being referenced) is deleted in Graph.
    const victim = present.find(
      (item) => item.policyType === 'deviceConfigurations' && item.assignments.length === 0,
    )!;
    expect(victim).toBeDefined();
    await adminChange({
      action: 'delete',
      collection: '/deviceManagement/deviceConfigurations',
      id: victim.graphId,
    });
    const beforeDelete = await storedDocuments(scope.tenantId);
    const again = await sync(scope);
    expect(again.outcome).toBe('succeeded');
    expect(again.result.totals).toMatchObject({ new: 0, changed: 0, removed: 1, versionsCreated: 0 });
    const afterDelete = await writtenSince(scope.tenantId, beforeDelete);
    expect(afterDelete.item).toEqual([victim.id]);
    expect(afterDelete.observation!.length).toBeLessThanOrEqual(types);
    const removed = await allItems(scope, 'removed=true');
    expect(removed.map((item) => item.id)).toContain(victim.id);
    const gone = removed.find((item) => item.id === victim.id)!;
    expect(gone.removedAt >= again.startedAt).toBe(true);
    expect(gone.lastSeenAt < again.startedAt).toBe(true);
    expect((await allItems(scope)).length).toBe(present.length - 1);
  });
});

/**
 * The inventory's activities as the app registers them (`createInventoryActivities`), over the local
 * Cosmos DB and the simulated tailspin, with a tenant partition of their own, so the test can run one
 * activity twice as at-least-once execution may. Graph pages hold 3 objects, so types take several.
 */
function activityHarness() {
  const { endpoint, key, database } = cloud().cosmos;
  const client = new CosmosClient({ endpoint, key });
  const target = simulatedTenant(TENANT);
  const tenantId = `alo-${randomUUID()}`;
  const runs = new Map<string, Run>();
  const graph = oracleClient(TENANT);
  const smallPages = new Proxy(graph, {
    get(target, property, receiver) {
      if (property === 'listPages')
        return (contract: unknown, options: Record<string, unknown>) =>
          (target.listPages as (...args: unknown[]) => unknown)(contract, { ...options, top: 3 });
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as GraphClient;
  const deps = {
    inventory: client.database(database).container('inventory'),
    policyVersions: client.database(database).container('policyVersions'),
    runs: { require: async (id: string) => runs.get(id)! } as unknown as InventoryDeps['runs'],
    lifecycle: { progress: async () => ({ status: 'running' }) } as unknown as InventoryDeps['lifecycle'],
    graphForRun: (async () => ({
      client: smallPages,
      connection: { entraTenantId: target.entraTenantId, clientId: target.clientId },
    })) as unknown as InventoryDeps['graphForRun'],
    clock: systemClock,
  };
  const inventory = createInventory(deps);
  const activities = createInventoryActivities(() => ({ inventory }));
  const segment = activities[INVENTORY.segment] as (input: unknown) => Promise<{
    status: string;
    total: Record<string, number>;
    continuation: string | null;
  }>;
  return {
    tenantId,
    inventory,
    newRun(): string {
      const id = randomUUID();
      runs.set(id, { id, workspaceId: 'at-least-once', tenantId, context: {}, status: 'running' } as Run);
      return id;
    },
    segment: (runId: string, policyType: string) =>
      segment({ runId, policyType, segment: 0, continuation: null }),
    /** Items and observations of the tenant without Cosmos system fields, by id. */
    async state() {
      const { resources } = await deps.inventory.items
        .query<Record<string, unknown>>({
          query:
            "SELECT * FROM c WHERE c.tenantId = @t AND ARRAY_CONTAINS(['item', 'observation', 'observationChunk'], c.docType)",
          parameters: [{ name: '@t', value: tenantId }],
        })
        .fetchAll();
      return resources
        .map(({ _rid, _self, _etag, _attachments, _ts, ...doc }) => doc)
        .sort((a, b) => String(a.id).localeCompare(String(b.id)));
    },
    dispose: () => client.dispose(),
  };
}

/** A result without its write figures: a retried activity finds nothing left to write. */
const answer = (result: { total: Record<string, number>; counts?: Record<string, number> }) => {
  const figures = ({ cosmosRequests: _r, documentsWritten: _d, ...rest }: Record<string, number>) => rest;
  return {
    ...result,
    total: figures(result.total),
    ...(result.counts && { counts: figures(result.counts) }),
  };
};

describe('a type read twice (at-least-once execution)', () => {
  it('the segment activity run twice answers the same and leaves the same items and observation', async () => {
    const harness = activityHarness();
    try {
      const type = 'deviceConfigurations';
      const first = await harness.segment(harness.newRun(), type);
      expect(first.status).toBe('succeeded');
      const items = (await harness.state()).filter((doc) => doc.docType === 'item');
      expect(items.length).toBeGreaterThan(3);

      // One object changes, one is deleted; the next run's segment then runs twice.
      const [changed, deleted] = items.filter((item) => (item.assignments as unknown[]).length === 0);
      await adminChange({
        action: 'update',
        collection: '/deviceManagement/deviceConfigurations',
        id: changed!.graphId,
        patch: { description: 'Changed by the at-least-once test' },
      });
      await adminChange({
        action: 'delete',
        collection: '/deviceManagement/deviceConfigurations',
        id: deleted!.graphId,
      });
      const runId = harness.newRun();
      const once = await harness.segment(runId, type);
      const afterOnce = await harness.state();
      const twice = await harness.segment(runId, type);
      expect(once.total).toMatchObject({ changed: 1, removed: 1, versionsCreated: 1, new: 0 });
      expect(answer(twice)).toEqual(answer(once));
      expect(await harness.state()).toEqual(afterOnce);
      const removed = afterOnce.find((doc) => doc.id === deleted!.id)!;
      expect(removed.removedAt).toEqual(expect.any(String));
    } finally {
      harness.dispose();
    }
  });

  it('a type read in page ranges, its last range run twice, removes exactly what Graph no longer has', async () => {
    const harness = activityHarness();
    try {
      const type = 'deviceConfigurations';
      const readAll = async (runId: string, repeatLast: boolean) => {
        let continuation: string | null = null;
        let ranges = 0;
        for (;;) {
          const request = { runId, policyType: type, maxObjects: 3, continuation };
          const result = await harness.inventory.syncPolicyType(request);
          ranges++;
          if (!result.continuation) {
            if (!repeatLast) return { result, ranges };
            const state = await harness.state();
            const again = await harness.inventory.syncPolicyType(request);
            expect(answer(again)).toEqual(answer(result));
            expect(await harness.state()).toEqual(state);
            return { result, ranges };
          }
          continuation = result.continuation;
        }
      };
      const first = await readAll(harness.newRun(), false);
      expect(first.ranges).toBeGreaterThan(2);
      const present = (await harness.state()).filter((doc) => doc.docType === 'item' && !doc.removedAt);
      // The object of the first range is deleted: only the chain of cursors says the others were seen.
      const deleted = present.find((item) => (item.assignments as unknown[]).length === 0)!;
      await adminChange({
        action: 'delete',
        collection: '/deviceManagement/deviceConfigurations',
        id: deleted.graphId,
      });
      const second = await readAll(harness.newRun(), true);
      expect(second.result.total).toMatchObject({ removed: 1, new: 0, changed: 0, failed: 0 });
      const after = (await harness.state()).filter((doc) => doc.docType === 'item');
      expect(after.filter((item) => item.removedAt).map((item) => item.id)).toEqual([deleted.id]);
    } finally {
      harness.dispose();
    }
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
    // Its own app registration: other scopes' watches read the same simulated tenant meanwhile, and
    // only this sync's requests must stop.
    const app = await control<{ clientId: string; clientSecret: string }>('POST', `/tenants/${TENANT}/apps`, {
      displayName: 'Inventory cancel',
    });
    const scope = await connectedScope('Inventory cancel', TENANT, app);
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
      const later = await control<{ entries: Array<{ appId?: string }> }>(
        'GET',
        `/requests?tenant=${TENANT}&since=${lastSeq}`,
      );
      expect(later.entries.filter((entry) => entry.appId === app.clientId)).toEqual([]);
    } finally {
      await control('PATCH', `/tenants/${TENANT}/realism`, { latency: { fixedMs: 0, jitterMs: 0 } });
    }
  });
});
