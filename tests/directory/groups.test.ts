import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroupDirectory } from '../../shared/directory/group-directory';
import { directoryGroupOf } from '../../shared/directory/model';
import { api } from '../support/api';
import { allItems, connectedScope, control, sync, type Scope } from '../inventory/support';
import {
  adminChange,
  cachedGroups,
  directoryStore,
  graphRequestsSince,
  oracleGroups,
  runDirectorySync,
  TENANT,
} from './support';

let scope: Scope;

beforeAll(async () => {
  await control('POST', `/tenants/${TENANT}/reset`);
  scope = await connectedScope('Directory groups', TENANT);
});

afterAll(async () => {
  await control('POST', `/tenants/${TENANT}/reset`);
});

/** What the cache must hold for every group Graph lists (the API view of a plain Graph read). */
async function expectCacheMatchesGraph() {
  const graph = (await oracleGroups()).map((group) => directoryGroupOf(group));
  const cached = await cachedGroups(scope);
  const byId = (list: Array<{ id: string }>) => [...list].sort((a, b) => a.id.localeCompare(b.id));
  expect(byId(cached)).toEqual(byId(graph));
  return graph;
}

describe('directory.groups.sync', () => {
  it('says the cache is empty, and how to fill it, before the first sync', async () => {
    const list = await api('GET', `${scope.base}/directory/groups`, { as: 'rita' });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
    expect(list.body.cache).toMatchObject({ status: 'empty', syncedAt: null, runId: null });
    expect(list.body.cache.message).toContain('directory.groups.sync');
    const one = await api(
      'GET',
      `${scope.base}/directory/groups/${'0'.repeat(8)}-0000-0000-0000-000000000000`,
      {
        as: 'rita',
      },
    );
    expect(one.status).toBe(404);
    expect(one.body.detail).toContain('not been synced');
  });

  it('a first sync reads every group in pages and matches an independent Graph read', async () => {
    const run = await runDirectorySync(scope, 'directory.groups.sync');
    expect(run.outcome, JSON.stringify(run.failures)).toBe('succeeded');
    const graph = await expectCacheMatchesGraph();
    expect(graph.length).toBeGreaterThan(300);
    expect(run.result).toMatchObject({
      mode: 'full',
      fellBack: false,
      read: graph.length,
      written: graph.length,
    });
    // The simulated Graph pages delta answers by 100, like the directory.
    expect(run.result.pages).toBe(Math.ceil(graph.length / 100));
    expect(run.counts.processed).toBe(graph.length);
    const list = await api('GET', `${scope.base}/directory/groups?limit=5`, { as: 'rita' });
    expect(list.body.cache).toMatchObject({
      status: 'synced',
      runId: run.id,
      links: { run: `/api/operations/${run.id}` },
    });
    expect(list.body.items).toHaveLength(5);
    expect(list.body.continuationToken).toBeTruthy();
    expect(['security', 'microsoft365']).toEqual(
      expect.arrayContaining([...new Set(graph.map((group) => group.kind))]),
    );
    expect(graph.some((group) => group.dynamic && group.membershipRule)).toBe(true);
  });

  it('an unchanged re-sync asks Graph once (the delta link) and writes only its own state', async () => {
    const { lastSeq } = await graphRequestsSince(Number.MAX_SAFE_INTEGER);
    const run = await runDirectorySync(scope, 'directory.groups.sync');
    expect(run.outcome).toBe('succeeded');
    expect(run.result).toMatchObject({ mode: 'delta', pages: 1, read: 0, written: 0, removed: 0 });
    // The state document: when the round opens, after its one page, when it commits the delta link.
    expect(run.result.documentsWritten).toBe(3);
    const graphCalls = (await graphRequestsSince(lastSeq)).entries.filter(
      (e) => !e.endpoint.includes('oauth2'),
    );
    expect(graphCalls.map((e) => e.endpoint)).toEqual(['GET /v1.0/groups/delta']);
  });

  it('a group added, renamed and deleted in Graph shows up after a re-sync that used the delta link', async () => {
    const groups = await cachedGroups(scope);
    const added = await adminChange({ action: 'create', id: groups[0].id });
    const renamed = await adminChange({
      action: 'update',
      id: groups[1].id,
      patch: { displayName: 'Renamed by the directory test' },
    });
    const deleted = await adminChange({ action: 'delete', id: groups[2].id });
    const { lastSeq } = await graphRequestsSince(Number.MAX_SAFE_INTEGER);
    const run = await runDirectorySync(scope, 'directory.groups.sync');
    expect(run.result).toMatchObject({ mode: 'delta', fellBack: false, read: 3, written: 3, removed: 1 });
    const endpoints = (await graphRequestsSince(lastSeq)).entries.map((e) => e.endpoint);
    expect(endpoints.filter((e) => e.includes('/groups'))).toEqual(['GET /v1.0/groups/delta']);
    await expectCacheMatchesGraph();
    const get = (id: string) => api('GET', `${scope.base}/directory/groups/${id}`, { as: 'rita' });
    expect((await get(added.id)).body).toMatchObject({ displayName: added.displayName, removedAt: null });
    expect((await get(renamed.id)).body.displayName).toBe('Renamed by the directory test');
    const gone = (await get(deleted.id)).body;
    expect(gone.removedAt).toEqual(expect.any(String));
    expect(gone.cache.runId).toBe(run.id);
    const removed = await cachedGroups(scope, 'removed=true');
    expect(removed.map((group) => group.id)).toEqual([deleted.id]);
    // The rename and the removal are stamped for drift's change feed (the new group is not: no name before).
    const docs = new Map(
      (await directoryStore().groupsByIds(scope.tenantId, [added.id, renamed.id, deleted.id])).map((d) => [
        d.id,
        d,
      ]),
    );
    expect(docs.get(renamed.id)).toMatchObject({ nameChangedAt: docs.get(renamed.id)!.updatedAt });
    expect(docs.get(deleted.id)).toMatchObject({ nameChangedAt: docs.get(deleted.id)!.updatedAt });
    expect(docs.get(added.id)!.nameChangedAt).toBeNull();
    expect(docs.get(renamed.id)!.workspaceId).toBe(scope.workspaceId);
  });

  it.each([410, 400] as const)(
    'an expired delta token (%s) falls back to a full read that still finds deletions',
    async (status) => {
      const groups = await cachedGroups(scope);
      await control('POST', `/tenants/${TENANT}/delta-tokens/expire`, { status });
      const deleted = await adminChange({ action: 'delete', id: groups[3].id });
      const run = await runDirectorySync(scope, 'directory.groups.sync');
      expect(run.outcome, JSON.stringify(run.failures)).toBe('succeeded');
      expect(run.result).toMatchObject({ mode: 'full', fellBack: true, removed: 1 });
      await expectCacheMatchesGraph();
      const gone = await api('GET', `${scope.base}/directory/groups/${deleted.id}`, { as: 'rita' });
      expect(gone.body.removedAt).toEqual(expect.any(String));
      const next = await runDirectorySync(scope, 'directory.groups.sync');
      expect(next.result).toMatchObject({ mode: 'delta', read: 0, written: 0 });
    },
  );

  it('searches by display-name prefix (case-insensitive) and by exact id, from the database only', async () => {
    const graph = (await oracleGroups()).map((group) => directoryGroupOf(group));
    const sample = graph.find((group) => group.displayName.length > 6)!;
    const prefix = sample.displayName.slice(0, 6).toUpperCase();
    const { lastSeq } = await graphRequestsSince(Number.MAX_SAFE_INTEGER);
    const found = await cachedGroups(scope, `search=${encodeURIComponent(prefix)}`);
    const expected = graph.filter((group) =>
      group.displayName.toLowerCase().startsWith(prefix.toLowerCase()),
    );
    expect(found.map((group) => group.id).sort()).toEqual(expected.map((group) => group.id).sort());
    const names = found.map((group) => group.displayName.toLowerCase());
    expect(names).toEqual([...names].sort());
    const byId = await cachedGroups(scope, `search=${sample.id}`);
    expect(byId.map((group) => group.id)).toEqual([sample.id]);
    const dynamic = await cachedGroups(scope, 'type=dynamic');
    expect(dynamic.length).toBe(graph.filter((group) => group.dynamic).length);
    const m365 = await cachedGroups(scope, 'type=microsoft365');
    expect(m365.length).toBe(graph.filter((group) => group.kind === 'microsoft365').length);
    await api('GET', `${scope.base}/directory/groups/${sample.id}`, { as: 'rita' });
    await api('GET', `${scope.base}/directory/role-definitions?search=admin`, { as: 'rita' });
    // The selectors never call Graph: nothing in the simulated cloud's request log for the tenant.
    expect((await graphRequestsSince(lastSeq)).entries).toEqual([]);
    const invalid = await api('GET', `${scope.base}/directory/groups?type=unknown`, { as: 'rita' });
    expect(invalid.status).toBe(400);
  });

  it("the inventory takes its objects' groups from the fresh cache instead of reading them again", async () => {
    const { lastSeq } = await graphRequestsSince(Number.MAX_SAFE_INTEGER);
    const run = await sync(scope, { selection: { includeFoundations: false } });
    expect(run.outcome, JSON.stringify(run.failures)).toBe('succeeded');
    const dependencies = run.result.dependencies;
    expect(dependencies.referenced).toBeGreaterThan(0);
    expect(dependencies.fromDirectoryCache).toBe(dependencies.referenced);
    const groupReads = (await graphRequestsSince(lastSeq)).entries.filter((e) =>
      /\/groups\b/.test(e.endpoint),
    );
    expect(groupReads).toEqual([]);
    const items = await allItems(scope, 'type=groups');
    expect(items).toHaveLength(dependencies.referenced);
  });

  it('gives restore its read interface: by id (removed too), by display name (live only), last sync', async () => {
    const directory = createGroupDirectory(directoryStore());
    const live = await cachedGroups(scope);
    const removed = await cachedGroups(scope, 'removed=true');
    const ids = [live[0].id, removed[0].id, '00000000-0000-0000-0000-000000000001'];
    const byId = await directory.groupsById(scope.tenantId, ids);
    expect([...byId.keys()].sort()).toEqual([live[0].id, removed[0].id].sort());
    expect(byId.get(removed[0].id)!.removedAt).toEqual(expect.any(String));
    // The route's view, plus when a delta round last saw the name change (what drift dates findings by).
    const { nameChangedAt, ...group } = byId.get(live[0].id)!;
    expect(group).toEqual(live[0]);
    expect(nameChangedAt === null || typeof nameChangedAt === 'string').toBe(true);
    const asked = [live[0].displayName.toUpperCase(), removed[0].displayName, 'No such group'];
    const byName = await directory.groupsByDisplayName(scope.tenantId, asked);
    const liveNames = new Set(live.map((group) => group.displayName.toLowerCase()));
    expect([...byName.keys()]).toEqual(asked.filter((name) => liveNames.has(name.toLowerCase())));
    for (const groups of byName.values())
      expect(groups.every((group) => group.removedAt === null)).toBe(true);
    expect(byName.get(asked[0])!.map((group) => group.id)).toContain(live[0].id);
    const last = await directory.lastSync(scope.tenantId);
    const list = await api('GET', `${scope.base}/directory/groups?limit=1`, { as: 'rita' });
    expect(last).toEqual({ syncedAt: list.body.cache.syncedAt, runId: list.body.cache.runId });
    expect(await directory.lastSync('no-such-tenant')).toBeUndefined();
  });
});
