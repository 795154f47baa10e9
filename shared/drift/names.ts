import type { DirectoryGroup, GroupDirectory } from '../directory';
import { getContract } from '../graph';
import { itemIdOf, type VersionContent } from '../inventory/model';
import { referencedIds, type NameLookup } from './normalize';
import type { TenantObjects } from './tenant-objects';

/** A stored version and its type. */
export interface TypedContent {
  policyType: string;
  content: VersionContent;
}

/** An assignment without a filter names this one. */
const NO_FILTER = '00000000-0000-0000-0000-000000000000';

/**
 * Groups (assignments and references) and other objects (`{type}:{id}` item ids: references, assignment
 * filters, scope tags) the versions name.
 */
export function idsOf(versions: readonly TypedContent[]): { groups: string[]; items: string[] } {
  const groups = new Set<string>();
  const items = new Set<string>();
  for (const { policyType, content } of versions) {
    for (const assignment of content.assignments) {
      const target = assignment.target as
        { groupId?: unknown; deviceAndAppManagementAssignmentFilterId?: unknown } | undefined;
      if (typeof target?.groupId === 'string') groups.add(target.groupId);
      const filterId = target?.deviceAndAppManagementAssignmentFilterId;
      if (typeof filterId === 'string' && filterId !== NO_FILTER)
        items.add(itemIdOf('assignmentFilters', filterId));
    }
    const scopeTags = content.object.roleScopeTagIds;
    if (Array.isArray(scopeTags))
      for (const id of scopeTags)
        if (typeof id === 'string' && id !== '0') items.add(itemIdOf('roleScopeTags', id));
    for (const { target, id } of referencedIds(getContract(policyType), content))
      if (target === 'groups') groups.add(id);
      else items.add(itemIdOf(target, id));
  }
  return { groups: [...groups], items: [...items] };
}

/**
 * The names a tenant gives the ids these versions refer to: groups from the directory cache (else the
 * inventory's group items), filters, scope tags and other referenced objects from the tenant's
 * inventory. Cosmos only, and by id (point reads): the ids are in the versions.
 */
export async function namesOf(
  deps: { groups: Pick<GroupDirectory, 'groupsById'>; objects: TenantObjects },
  tenantId: string,
  versions: readonly TypedContent[],
): Promise<NameLookup & { renamedAt(version: TypedContent): string[] }> {
  const { groups: groupIds, items: referenced } = idsOf(versions);
  const groups = groupIds.length > 0 ? await deps.groups.groupsById(tenantId, groupIds) : new Map();
  // Groups the directory cache does not know (never synced): the inventory's group items, if any.
  const uncached = groupIds.filter((id) => !groups.has(id)).map((id) => itemIdOf('groups', id));
  const items = await deps.objects.byIds(tenantId, [...uncached, ...referenced]);
  const byGraphId = new Map(items.map((item) => [`${item.policyType}:${item.graphId}`, item.displayName]));
  // A group the cache saw deleted is not the live group of that name (restore cannot map it either).
  const groupName = (group: DirectoryGroup) =>
    group.removedAt ? `deleted group ${group.displayName}` : group.displayName;
  return {
    group: (id) => {
      const cached = groups.get(id);
      return cached ? groupName(cached) : byGraphId.get(`groups:${id}`);
    },
    object: (id) => byGraphId.get(`assignmentFilters:${id}`) ?? byGraphId.get(`roleScopeTags:${id}`),
    reference: (target, id) => byGraphId.get(`${target}:${id}`),
    /** When the groups this version names last changed name (an input of its comparison, like its own time). */
    renamedAt: (version) =>
      idsOf([version]).groups.flatMap((id) => {
        const at = groups.get(id)?.nameChangedAt;
        return typeof at === 'string' ? [at] : [];
      }),
  };
}
