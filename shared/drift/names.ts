import type { GroupDirectory } from '../directory';
import type { VersionContent } from '../inventory/model';
import type { NameLookup } from './normalize';
import type { TenantObjects } from './tenant-objects';

/** Types whose names stand in for their ids in comparisons (assignment filters, scope tags). */
const NAMED_TYPES = ['assignmentFilters', 'roleScopeTags'];

function groupIdsOf(contents: readonly VersionContent[]): string[] {
  const ids = new Set<string>();
  for (const content of contents)
    for (const assignment of content.assignments) {
      const target = assignment.target as { groupId?: unknown } | undefined;
      if (typeof target?.groupId === 'string') ids.add(target.groupId);
    }
  return [...ids];
}

/**
 * The names a tenant gives the ids these versions refer to: groups from the directory cache (else the
 * inventory's group items), filters and scope tags from the tenant's inventory. Cosmos only.
 */
export async function namesOf(
  deps: { groups: Pick<GroupDirectory, 'groupsById'>; objects: TenantObjects },
  tenantId: string,
  contents: readonly VersionContent[],
): Promise<NameLookup> {
  const groupIds = groupIdsOf(contents);
  const [groups, named] = await Promise.all([
    deps.groups.groupsById(tenantId, groupIds),
    deps.objects.find(tenantId, { policyTypes: NAMED_TYPES }),
  ]);
  // Groups the directory cache does not know (never synced): the inventory's group items, if any.
  const uncached = groupIds.filter((id) => !groups.has(id)).map((id) => `groups:${id}`);
  const groupItems = uncached.length > 0 ? await deps.objects.find(tenantId, { ids: uncached }) : [];
  const byGraphId = new Map(
    [...named, ...groupItems].map((item) => [`${item.policyType}:${item.graphId}`, item.displayName]),
  );
  return {
    group: (id) => groups.get(id)?.displayName ?? byGraphId.get(`groups:${id}`),
    object: (id) => byGraphId.get(`assignmentFilters:${id}`) ?? byGraphId.get(`roleScopeTags:${id}`),
  };
}
