import { describe, expect, it } from 'vitest';
import { getContract, readOnlyProperties, type GraphObject } from '../../shared/graph';
import { stableStringify } from '../../shared/inventory';
import { graphWrites, requestLog, requestSeq } from './request-log';
import {
  backUp,
  execute,
  graphOf,
  planItems,
  preview,
  syncDirectory,
  ownCloudForFile,
  type OwnCloud,
} from './support';

type Tenant = Awaited<ReturnType<OwnCloud['connectedTenant']>>;

/**
 * Restore's writes survive at-least-once execution: a write Graph applied whose answer was lost is not
 * made twice (one object, outcome `created`; one update, outcome `updated`), and 20 % injected 429/503
 * during the preview and the execute leave the target exactly as a restore without faults does. And an
 * execute never clobbers a change made in the target after the preview.
 */
const cloud = ownCloudForFile();

const COLLECTION = '/deviceManagement/deviceConfigurations';
/** Lost-response rules match the request path (version included); log entries name the endpoint. */
const COLLECTION_PATH = '^/(beta|v1\\.0)/deviceManagement/deviceConfigurations$';
const OBJECT_PATH = '^/(beta|v1\\.0)/deviceManagement/deviceConfigurations/[^/]+$';
const ASSIGN_PATH = '^/(beta|v1\\.0)/deviceManagement/deviceConfigurations/[^/]+/assign$';
const COLLECTION_ENDPOINT = /^POST \/(beta|v1\.0)\/deviceManagement\/deviceConfigurations$/;
const OBJECT_ENDPOINT = /^PATCH \/(beta|v1\.0)\/deviceManagement\/deviceConfigurations\/\{id\}$/;

/** A backup of the tenant's device configurations, then one of them changed and one deleted. */
async function backedUpThenChanged(tenant: Tenant, microsoftName: string) {
  const graph = graphOf(cloud, microsoftName);
  const before = await graph.list('deviceConfigurations');
  await syncDirectory(cloud, tenant);
  const setId = await backUp(cloud, tenant, ['deviceConfigurations']);
  const [changed, deleted] = before.filter((o) => Array.isArray(o.assignments) && o.assignments.length > 0);
  expect(changed && deleted).toBeTruthy();
  await cloud.control(`/tenants/${microsoftName}/admin-changes`, 'POST', {
    action: 'update',
    collection: COLLECTION,
    id: changed!.id,
    patch: { description: 'changed after the backup' },
  });
  await cloud.control(`/tenants/${microsoftName}/admin-changes`, 'POST', {
    action: 'delete',
    collection: COLLECTION,
    id: deleted!.id,
  });
  return { graph, before, setId, changed: changed!, deleted: deleted! };
}

/**
 * The object as a restore must leave it: read-only members (ids, times, versions, …) aside, assignments
 * compared by target in any order, as a stable string.
 */
function comparable(object: GraphObject): string {
  const readOnly = new Set(
    readOnlyProperties(getContract('deviceConfigurations'), String(object['@odata.type'])),
  );
  const own = Object.entries(object).filter(
    ([key]) => !readOnly.has(key) && key !== 'assignments' && !key.includes('@odata.context'),
  );
  const targets = ((object.assignments ?? []) as Array<{ target: unknown }>)
    .map((a) => stableStringify(a.target))
    .sort();
  return stableStringify({ ...Object.fromEntries(own), targets });
}

const allComparable = (objects: GraphObject[]) => objects.map(comparable).sort();

describe('restore writes run at least once', () => {
  it('a create, its assignments and an update whose answers are lost are written once and end created and updated', async () => {
    const tenant = await cloud.connectedTenant('Restore lost responses', 'fabrikam');
    const { graph, setId, changed, deleted } = await backedUpThenChanged(tenant, 'fabrikam');
    const planned = await preview(cloud, tenant, {
      source: { tenantId: tenant.tenantId, backupSetId: setId },
    });
    expect(planned.run.result).toMatchObject({ create: 1, update: 1, blocked: 0 });

    // The POST that creates the deleted object and the PATCH that updates the changed one are applied
    // by Graph, then answered 504 (the create) and with a dropped connection (the update).
    await cloud.control('/tenants/fabrikam/realism', 'PATCH', {
      faults: {
        lostResponses: [
          { method: 'POST', pathPattern: COLLECTION_PATH, times: 1, answer: '504' },
          { method: 'PATCH', pathPattern: OBJECT_PATH, times: 1, answer: 'reset' },
          // And, on the retry, the created object's assignments.
          { method: 'POST', pathPattern: ASSIGN_PATH, times: 1, answer: '504' },
        ],
      },
    });
    const since = await requestSeq(cloud);
    const executed = await execute(cloud, tenant, planned.run);
    await cloud.control('/tenants/fabrikam/realism', 'PATCH', { faults: { lostResponses: [] } });

    const log = await requestLog(cloud, 'fabrikam', since);
    const creates = log.filter((e) => COLLECTION_ENDPOINT.test(e.endpoint));
    const updates = log.filter((e) => OBJECT_ENDPOINT.test(e.endpoint) && e.url.includes(String(changed.id)));
    // The lost answers happened: each write was sent, applied and its answer lost exactly once.
    expect(creates.map((e) => e.responseLost ?? false)).toEqual([true]);
    expect(updates.filter((e) => e.responseLost).length).toBe(1);
    const assigns = log.filter((e) => /\/\{id\}\/assign$/.test(e.endpoint) && e.method === 'POST');
    expect(assigns.filter((e) => e.responseLost).length).toBe(1);

    expect(executed.outcome, JSON.stringify(executed)).toBe('succeeded');
    expect(executed.result).toMatchObject({ created: 1, updated: 1, failed: 0, skipped: 0 });
    const items = await planItems(cloud, planned.run.id);
    expect(items.find((i) => i.sourceGraphId === deleted.id)?.result).toMatchObject({
      outcome: 'created',
      reasonCode: null,
    });
    expect(items.find((i) => i.sourceGraphId === changed.id)?.result).toMatchObject({
      outcome: 'updated',
      reasonCode: null,
    });

    // One object of that name, as backed up; the changed one back as it was.
    const after = await graph.list('deviceConfigurations');
    const recreated = after.filter((o) => o.displayName === deleted.displayName);
    expect(recreated).toHaveLength(1);
    expect(items.find((i) => i.sourceGraphId === deleted.id)?.result?.targetGraphId).toBe(recreated[0]!.id);
    expect(comparable(recreated[0]!)).toEqual(comparable(deleted));
    expect(comparable(await graph.get('deviceConfigurations', String(changed.id)))).toEqual(
      comparable(changed),
    );
  }, 120_000);

  it('20 % injected 429/503 during the preview and the execute: the same plan, outcomes and end state', async () => {
    const tenant = await cloud.connectedTenant('Restore under faults', 'contoso');
    const { graph, before, setId } = await backedUpThenChanged(tenant, 'contoso');

    const since = await requestSeq(cloud);
    await cloud.control('/tenants/contoso/realism?reseed=true', 'PATCH', {
      faults: { rate429: 0.1, rate503: 0.1, retryAfterSeconds: 0, seed: 16 },
    });
    let planned: Awaited<ReturnType<typeof preview>>;
    let executed: Awaited<ReturnType<typeof execute>>;
    try {
      planned = await preview(cloud, tenant, { source: { tenantId: tenant.tenantId, backupSetId: setId } });
      executed = await execute(cloud, tenant, planned.run);
    } finally {
      await cloud.control('/tenants/contoso/realism', 'PATCH', { faults: { rate429: 0, rate503: 0 } });
    }
    const log = await requestLog(cloud, 'contoso', since);
    const faulted = log.filter((e) => e.fault === '429' || e.fault === '503');
    // Faults hit reads and writes alike (a sanity check that the faults were on).
    expect(faulted.filter((e) => e.method === 'GET').length).toBeGreaterThan(0);
    expect(faulted.filter((e) => e.method !== 'GET').length).toBeGreaterThan(0);

    expect(planned.run.result).toMatchObject({ create: 1, update: 1, blocked: 0 });
    expect(executed.outcome, JSON.stringify(executed)).toBe('succeeded');
    expect(executed.result).toMatchObject({ created: 1, updated: 1, failed: 0, skipped: 0 });
    // The tenant as an independent read sees it (faults off) is the tenant as it was backed up.
    expect(allComparable(await graph.list('deviceConfigurations'))).toEqual(allComparable(before));
  }, 150_000);

  it('an object changed or deleted in the target after the preview is skipped, not overwritten nor recreated', async () => {
    const tenant = await cloud.connectedTenant('Restore newer changes', 'fabrikam');
    const graph = graphOf(cloud, 'fabrikam');
    await syncDirectory(cloud, tenant);
    const setId = await backUp(cloud, tenant, ['deviceConfigurations']);
    const [changedAgain, deletedLater] = await graph.list('deviceConfigurations');
    for (const object of [changedAgain!, deletedLater!])
      await cloud.control('/tenants/fabrikam/admin-changes', 'POST', {
        action: 'update',
        collection: COLLECTION,
        id: object.id,
        patch: { description: 'changed after the backup' },
      });
    const planned = await preview(cloud, tenant, {
      source: { tenantId: tenant.tenantId, backupSetId: setId },
    });
    expect(planned.run.result).toMatchObject({ update: 2, create: 0 });

    // Someone changes one again and deletes the other between the preview and the execute.
    await cloud.control('/tenants/fabrikam/admin-changes', 'POST', {
      action: 'update',
      collection: COLLECTION,
      id: changedAgain!.id,
      patch: { description: 'a newer change' },
    });
    await cloud.control('/tenants/fabrikam/admin-changes', 'POST', {
      action: 'delete',
      collection: COLLECTION,
      id: deletedLater!.id,
    });
    const since = await requestSeq(cloud);
    const executed = await execute(cloud, tenant, planned.run);
    expect(executed.result).toMatchObject({ updated: 0, created: 0, skipped: 2, failed: 0 });
    const items = await planItems(cloud, planned.run.id);
    for (const object of [changedAgain!, deletedLater!])
      expect(items.find((i) => i.sourceGraphId === object.id)?.result).toMatchObject({
        outcome: 'skipped',
        reasonCode: 'target_changed_since_preview',
      });
    expect((await graph.get('deviceConfigurations', String(changedAgain!.id))).description).toBe(
      'a newer change',
    );
    const after = await graph.list('deviceConfigurations');
    expect(after.filter((o) => o.displayName === deletedLater!.displayName)).toEqual([]);
    // Not one write to either object (the snapshot and the re-reads are reads).
    const writes = graphWrites(await requestLog(cloud, 'fabrikam', since));
    expect(writes.map((e) => `${e.method} ${e.url}`)).toEqual([]);
  }, 120_000);
});
