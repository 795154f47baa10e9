import { beforeAll, describe, expect, it } from 'vitest';
import { inventoryContracts } from '../../shared/inventory';
import { api } from '../support/api';
import { oracleClient, oracleRead, type OracleObject } from './oracle';
import { allItems, connectedScope, control, finished, startSync, sync, type Scope } from './support';

/** Contoso is read, never changed, here: other test files read it at the same time. */
let scope: Scope;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- run documents are asserted field by field
let firstRun: any;
const oracle = new Map<string, OracleObject[]>();

beforeAll(async () => {
  scope = await connectedScope('Inventory contoso', 'contoso');
  firstRun = await sync(scope);
  const client = oracleClient('contoso');
  for (const contract of inventoryContracts()) oracle.set(contract.key, await oracleRead(client, contract));
});

describe('a full sync of contoso', () => {
  it('succeeds with every type, and per-type counts that match the simulated tenant', async () => {
    expect(firstRun).toMatchObject({ outcome: 'succeeded', failures: [] });
    const { counts } = await control<{ counts: Record<string, number> }>('GET', '/tenants/contoso');
    for (const contract of inventoryContracts()) {
      const objects = oracle.get(contract.key)!;
      expect(firstRun.counts.byType[contract.key], contract.key).toEqual({
        total: objects.length,
        failed: 0,
      });
      expect(firstRun.result.types[contract.key]).toMatchObject({ status: 'succeeded', new: objects.length });
      // Update rings are a filtered view of deviceConfigurations: together they are the collection.
      if (contract.key === 'deviceConfigurations' || contract.key === 'windowsUpdateRings') continue;
      expect(objects.length, contract.key).toBe(counts[contract.collectionPath] ?? 0);
    }
    expect(oracle.get('deviceConfigurations')!.length + oracle.get('windowsUpdateRings')!.length).toBe(
      counts['/deviceManagement/deviceConfigurations'],
    );
    expect(firstRun.counts.total).toBe([...oracle.values()].reduce((n, objects) => n + objects.length, 0));
  });

  it('stores every object of every type with its assignments, and the groups they name', async () => {
    const items = await allItems(scope);
    const referenced = new Set<string>();
    for (const contract of inventoryContracts()) {
      const stored = new Map(
        items.filter((item) => item.policyType === contract.key).map((item) => [item.graphId, item]),
      );
      const expected = oracle.get(contract.key)!;
      expect([...stored.keys()].sort(), contract.key).toEqual(expected.map((object) => object.id).sort());
      for (const object of expected) {
        const item = stored.get(object.id);
        expect(item.displayName).toBe(object.displayName);
        const targets = item.assignments
          .filter((target: { groupId: string | null }) => target.groupId)
          .map((target: { kind: string; groupId: string }) => `${target.kind}:${target.groupId}`)
          .sort();
        expect(targets, `${contract.key} ${object.displayName}`).toEqual(object.groupTargets);
        for (const target of object.groupTargets) referenced.add(target.split(':')[1]!);
      }
    }
    const groups = items.filter((item) => item.policyType === 'groups');
    expect(groups.map((group) => group.graphId).sort()).toEqual([...referenced].sort());
    // Names of assignment targets come from the stored groups and filters.
    const assigned = items.flatMap((item) => item.assignments);
    expect(assigned.filter((target) => target.groupId && !target.groupName)).toEqual([]);
    expect(assigned.some((target) => target.filterId && target.filterName)).toBe(true);
    expect(items.find((item) => item.scopeTagIds.includes('0'))?.scopeTags).toContainEqual({
      id: '0',
      name: 'Default',
    });
  });

  it('keeps sub-resources, script bodies and assignments in each current version', async () => {
    const item = async (type: string) => {
      const [first] = await allItems(scope, `type=${type}`);
      const read = await api('GET', `${scope.base}/inventory/${encodeURIComponent(first.id)}`, {
        as: 'rita',
      });
      expect(read.status).toBe(200);
      return read.body.currentVersion.content;
    };
    expect((await item('configurationPolicies')).subResources.settings.length).toBeGreaterThan(0);
    const gp = await item('groupPolicyConfigurations');
    expect(gp.subResources.definitionValues.length).toBeGreaterThan(0);
    expect(
      gp.subResources.definitionValues.every((value: { presentationValues?: unknown[] }) =>
        Array.isArray(value.presentationValues),
      ),
    ).toBe(true);
    expect((await item('deviceManagementScripts')).object.scriptContent).toEqual(expect.any(String));
    const intent = await item('intents');
    expect(intent.subResources.settings.length).toBeGreaterThan(0);
    expect(intent.assignments.length).toBeGreaterThan(0);
    const compliance = await item('compliancePolicies');
    expect(Object.keys(compliance.subResources).sort()).toEqual(['scheduledActionsForRule', 'settings']);
    expect(
      (await item('deviceCompliancePolicies')).subResources.scheduledActionsForRule.length,
    ).toBeGreaterThan(0);
  });

  it('filters and searches the stored items without Graph', async () => {
    const all = await allItems(scope);
    const windows = await allItems(scope, 'platform=windows');
    expect(windows.length).toBeGreaterThan(0);
    expect(windows.every((item) => item.platform === 'windows')).toBe(true);
    const compliance = await allItems(scope, 'category=compliance');
    expect(new Set(compliance.map((item) => item.policyType))).toEqual(
      new Set(
        inventoryContracts()
          .filter((c) => c.category === 'compliance')
          .map((c) => c.key),
      ),
    );
    const someGroup = all.find((item) => item.policyType === 'groups')!;
    const assigned = await allItems(scope, `assignmentTarget=${someGroup.graphId}`);
    expect(assigned.map((item) => item.id).sort()).toEqual(
      all
        .filter((item) => item.targetIds.includes(someGroup.graphId))
        .map((item) => item.id)
        .sort(),
    );
    expect(assigned.length).toBeGreaterThan(0);
    const name = oracle.get('configurationPolicies')![0]!.displayName;
    const found = await allItems(scope, `search=${encodeURIComponent(name.slice(2, 12).toUpperCase())}`);
    expect(found.map((item) => item.displayName)).toContain(name);
    expect(await allItems(scope, 'removed=true')).toEqual([]);
    expect(await allItems(scope, `changedSince=${new Date(Date.now() + 60_000).toISOString()}`)).toEqual([]);
    expect(await allItems(scope, `changedSince=${firstRun.startedAt}`)).toHaveLength(all.length);
    const page = await api('GET', `${scope.base}/inventory?type=deviceConfigurations&limit=5`, {
      as: 'rita',
    });
    expect(page.body.items).toHaveLength(5);
    expect(page.body.continuationToken).toEqual(expect.any(String));
  });

  it('answers 404 for items and versions it does not have', async () => {
    const missing = await api('GET', `${scope.base}/inventory/deviceConfigurations:nope`, { as: 'rita' });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe('The inventory item was not found.');
    const [item] = await allItems(scope, 'type=deviceConfigurations');
    const version = await api('GET', `${scope.base}/inventory/${encodeURIComponent(item.id)}/versions/abc`, {
      as: 'rita',
    });
    expect(version.status).toBe(404);
    expect(version.body.detail).toBe('The policy version was not found.');
  });
});

describe('a second sync of unchanged contoso', () => {
  it('writes no version and rewrites no item; the same start meanwhile is deduplicated, another is busy', async () => {
    const before = await allItems(scope);
    const started = await startSync(scope);
    expect(started.status).toBe(202);
    const again = await startSync(scope, { selection: { includeFoundations: true } }, 'mike');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ deduplicated: true, run: { id: started.body.run.id } });
    const other = await startSync(scope, { selection: { categories: ['apps'] } });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'scope_busy', activeRun: { id: started.body.run.id } });
    const run = await finished(started.body.run.id);
    expect(run.outcome).toBe('succeeded');
    expect(run.result.totals).toMatchObject({
      versionsCreated: 0,
      new: 0,
      changed: 0,
      removed: 0,
      unchanged: before.length - run.result.dependencies.stored,
    });
    const after = await allItems(scope);
    const versions = new Map(before.map((item) => [item.id, item.currentVersionId]));
    expect(after.map((item) => [item.id, item.currentVersionId])).toEqual(
      after.map((item) => [item.id, versions.get(item.id)]),
    );
    expect(after.every((item) => item.versionCount === 1 && item.lastSeenAt > item.firstSeenAt)).toBe(true);
  });
});
