import type { GroupDirectory } from '../directory';
import { getContract } from '../graph';
import type { VersionContent } from '../inventory/model';
import { referencedIds, type NameLookup } from './normalize';
import type { TenantObjects } from './tenant-objects';

/** Types whose names stand in for their ids in comparisons (assignment filters, scope tags). */
const NAMED_TYPES = ['assignmentFilters', 'roleScopeTags'];

/** A stored version and its type. */
export interface TypedContent {
  policyType: string;
  content: VersionContent;
}

/** Groups (assignments and references) and other objects (`{type}:{id}` item ids) the versions name. */
function idsOf(versions: readonly TypedContent[]): { groups: string[]; items: string[] } {
  const groups = new Set<string>();
  const items = new Set<string>();
  for (const { policyType, content } of versions) {
    for (const assignment of content.assignments) {
      const target = assignment.target as { groupId?: unknown } | undefined;
      if (typeof target?.groupId === 'string') groups.add(target.groupId);
    }
    for (const { target, id } of referencedIds(getContract(policyType), content))
      if (target === 'groups') groups.add(id);
      else items.add(`${target}:${id}`);
  }
  return { groups: [...groups], items: [...items] };
}

/**
 * The names a tenant gives the ids these versions refer to: groups from the directory cache (else the
 * inventory's group items), filters and scope tags from the tenant's inventory. Cosmos only.
 */
export async function namesOf(
  deps: { groups: Pick<GroupDirectory, 'groupsById'>; objects: TenantObjects },
  tenantId: string,
  versions: readonly TypedContent[],
): Promise<NameLookup> {
  const { groups: groupIds, items: referenced } = idsOf(versions);
  const [groups, named] = await Promise.all([
    deps.groups.groupsById(tenantId, groupIds),
    deps.objects.find(tenantId, { policyTypes: NAMED_TYPES }),
  ]);
  // Groups the directory cache does not know (never synced): the inventory's group items, if any.
  const uncached = groupIds.filter((id) => !groups.has(id)).map((id) => `groups:${id}`);
  const ids = [...uncached, ...referenced];
  const groupItems = ids.length > 0 ? await deps.objects.find(tenantId, { ids }) : [];
  const byGraphId = new Map(
    [...named, ...groupItems].map((item) => [`${item.policyType}:${item.graphId}`, item.displayName]),
  );
  return {
    group: (id) => groups.get(id)?.displayName ?? byGraphId.get(`groups:${id}`),
    object: (id) => byGraphId.get(`assignmentFilters:${id}`) ?? byGraphId.get(`roleScopeTags:${id}`),
    reference: (target, id) => byGraphId.get(`${target}:${id}`),
  };
}
