import { describe, expect, it } from 'vitest';
import {
  backUp,
  execute,
  graphOf,
  ownCloudForFile,
  planItems,
  preview,
  syncDirectory,
  type PlanItemView,
} from './support';

/**
 * Contoso's backup restored into Fabrikam, a tenant of the same workspace: names match objects and
 * groups across tenants (ids differ), what the target lacks is created first and referenced by its new
 * id, and what cannot be mapped is blocked, never written without its reference.
 */
const cloud = ownCloudForFile();

const TYPES = [
  'assignmentFilters',
  'roleScopeTags',
  'deviceConfigurations',
  'deviceCompliancePolicies',
  'notificationMessageTemplates',
  'namedLocations',
  'conditionalAccessPolicies',
];

const refs = (item: PlanItemView, target: string, how: string) =>
  item.references.filter((r) => r.target === target && r.how === how);

describe('restore into another tenant', () => {
  it('maps groups by name, creates missing filters, scope tags and templates first and points at them, blocks unmapped groups, creates Conditional Access report-only', async () => {
    const source = await cloud.connectedTenant('Contoso source', 'contoso');
    const target = await cloud.connectTenant(source.workspaceId, 'Fabrikam target', 'fabrikam');
    await syncDirectory(cloud, source);
    await syncDirectory(cloud, target);
    const setId = await backUp(cloud, source, TYPES);
    const fabrikam = graphOf(cloud, 'fabrikam');
    const contoso = graphOf(cloud, 'contoso');

    const planned = await preview(cloud, target, {
      source: { tenantId: source.tenantId, backupSetId: setId },
    });
    const { items } = planned;
    expect(planned.run.result.create).toBeGreaterThan(0);

    // Dependency order: every object this restore creates is planned in an earlier phase than its users.
    const phaseOf = new Map(items.map((i) => [`${i.policyType}:${i.sourceGraphId}`, i.phase]));
    for (const item of items)
      for (const ref of item.references.filter((r) => r.how === 'created_by_restore'))
        expect(phaseOf.get(`${ref.target}:${ref.sourceId}`)!).toBeLessThan(item.phase);

    const blockedByGroup = items.filter((i) => i.action === 'blocked' && i.reasonCode === 'group_missing');
    expect(blockedByGroup.length).toBeGreaterThan(0);
    const mappedByName = items.find(
      (i) =>
        i.action === 'create' &&
        refs(i, 'groups', 'by_name').length > 0 &&
        i.policyType === 'deviceConfigurations',
    );
    const usesNewFilter = items.find(
      (i) => i.action === 'create' && refs(i, 'assignmentFilters', 'created_by_restore').length > 0,
    );
    expect(mappedByName && usesNewFilter).toBeTruthy();
    expect(items.some((i) => i.action === 'create' && i.policyType === 'conditionalAccessPolicies')).toBe(
      true,
    );

    const executed = await execute(cloud, target, planned.run);
    expect(executed.outcome, JSON.stringify(executed.failures)).toBe('succeeded');
    expect(executed.result).toMatchObject({
      created: planned.run.result.create,
      updated: planned.run.result.update,
      skipped: planned.run.result.blocked,
      failed: 0,
    });
    const done = new Map((await planItems(cloud, planned.run.id)).map((i) => [i.id, i]));

    // A group mapped by name: the new object is assigned to Fabrikam's group of that name.
    const groupRef = refs(mappedByName!, 'groups', 'by_name')[0]!;
    const created = await fabrikam.get(
      'deviceConfigurations',
      done.get(mappedByName!.id)!.result!.targetGraphId!,
    );
    const groupIds = (created.assignments as Array<{ target: { groupId?: string } }>).map(
      (a) => a.target.groupId,
    );
    expect(groupIds).toContain(groupRef.targetId);
    expect(groupIds).not.toContain(groupRef.sourceId);

    // A filter the restore created first: the object's assignment names its new id.
    const filterRef = refs(usesNewFilter!, 'assignmentFilters', 'created_by_restore')[0]!;
    const filterItem = items.find(
      (i) => i.policyType === 'assignmentFilters' && i.sourceGraphId === filterRef.sourceId,
    )!;
    const newFilterId = done.get(filterItem.id)!.result!.targetGraphId!;
    const sourceFilter = await contoso.get('assignmentFilters', filterRef.sourceId);
    expect((await fabrikam.get('assignmentFilters', newFilterId)).displayName).toBe(sourceFilter.displayName);
    const user = done.get(usesNewFilter!.id)!.result!.targetGraphId!;
    const filters = (
      (await fabrikam.get(usesNewFilter!.policyType, user)).assignments as Array<{
        target: Record<string, unknown>;
      }>
    ).map((a) => a.target.deviceAndAppManagementAssignmentFilterId);
    expect(filters).toContain(newFilterId);

    // Conditional Access never becomes enforcing through a restore: enabled policies arrive report-only.
    for (const item of items.filter(
      (i) => i.action === 'create' && i.policyType === 'conditionalAccessPolicies',
    )) {
      const backedUp = (await contoso.get(item.policyType, item.sourceGraphId)).state;
      const written = await fabrikam.get(item.policyType, done.get(item.id)!.result!.targetGraphId!);
      expect(written.state).toBe(backedUp === 'enabled' ? 'enabledForReportingButNotEnforced' : backedUp);
    }

    // A missing group blocked its object: skipped with that reason, nothing of that name created.
    const blocked = done.get(blockedByGroup.find((i) => i.targetGraphId === null)!.id)!;
    expect(blocked.result).toMatchObject({ outcome: 'skipped', reasonCode: 'group_missing' });
    const names = (await fabrikam.list(blocked.policyType)).map((o) => o.displayName ?? o.name);
    expect(names).not.toContain(blocked.displayName);
  }, 300_000);

  it('with unmappedAssignments "skip", an object whose group is missing is planned without that assignment instead of blocked', async () => {
    const source = await cloud.connectedTenant('Contoso skip', 'contoso');
    const target = await cloud.connectTenant(source.workspaceId, 'Fabrikam skip', 'fabrikam');
    await syncDirectory(cloud, source);
    await syncDirectory(cloud, target);
    const setId = await backUp(cloud, source, ['deviceConfigurations']);
    const body = { source: { tenantId: source.tenantId, backupSetId: setId } };
    const blocking = await preview(cloud, target, body);
    const skipping = await preview(cloud, target, { ...body, options: { unmappedAssignments: 'skip' } });
    const onlyGroups = blocking.items.filter(
      (i) =>
        i.reasonCode === 'group_missing' &&
        i.references.every((r) => r.target === 'groups' || r.how !== 'missing'),
    );
    expect(onlyGroups.length).toBeGreaterThan(0);
    for (const item of onlyGroups) {
      const same = skipping.items.find((i) => i.sourceGraphId === item.sourceGraphId)!;
      expect(['create', 'update', 'unchanged']).toContain(same.action);
      expect(same.skippedAssignments).toBeGreaterThan(0);
    }
  }, 300_000);
});
