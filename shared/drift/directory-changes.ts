import { z } from 'zod';

/**
 * What drift needs of a group document the directory cache wrote (its container's change feed): whose
 * group, and whether the write may have changed the name drift compares assignments by (docs/drift.md).
 */
const groupWriteSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  workspaceId: z.string().optional(),
  docType: z.literal('group'),
  updatedAt: z.string(),
  updatedByRunId: z.string(),
  fullReadRunId: z.string().nullable().optional(),
  nameChangedAt: z.string().nullable().optional(),
  removedAt: z.string().nullable().optional(),
});

/** The groups of one tenant whose names may have changed, in one change-feed batch. */
export interface RenamedGroups {
  workspaceId: string;
  tenantId: string;
  groupIds: string[];
}

/**
 * The groups a batch renamed, removed or brought back, by tenant: a delta round stamps such a write
 * (`nameChangedAt` = the write's time; a removal too). A full read writes every group without reading
 * what was stored, so each of its writes counts as a possible rename (first syncs and expired delta
 * links: rare, and the evaluation writes nothing where the name is the same). Other writes (a
 * description, a membership rule), role definitions and the sync state are left out; so is a write
 * with no workspace (none since every write records it: a group stored before is renamed by a write
 * that carries it).
 */
export function renamedGroupsOf(documents: readonly unknown[]): RenamedGroups[] {
  const byTenant = new Map<string, RenamedGroups>();
  for (const doc of documents) {
    const parsed = groupWriteSchema.safeParse(doc);
    if (!parsed.success || !parsed.data.workspaceId) continue;
    const group = parsed.data;
    const renamed = group.nameChangedAt === group.updatedAt;
    const fullRead = group.fullReadRunId === group.updatedByRunId && !group.removedAt;
    if (!renamed && !fullRead) continue;
    const key = `${group.workspaceId}/${group.tenantId}`;
    const entry = byTenant.get(key) ?? {
      workspaceId: group.workspaceId!,
      tenantId: group.tenantId,
      groupIds: [],
    };
    entry.groupIds.push(group.id);
    byTenant.set(key, entry);
  }
  return [...byTenant.values()];
}
