import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * An assignment target as the inventory keeps it: who an object applies to. Names are not stored here:
 * they are read from the group / filter items of the same tenant when the item is shown, so a renamed
 * group needs no new policy version.
 */
export const assignmentTargetSchema = z.object({
  /** `include` / `exclude` a group, or every device / user. */
  kind: z.enum(['include', 'exclude', 'allDevices', 'allUsers', 'other']),
  groupId: z.string().nullable(),
  filterId: z.string().nullable(),
  filterType: z.string().nullable(),
  /** Apps: `required`, `available`, `uninstall`, …; null elsewhere. */
  intent: z.string().nullable(),
  /** `conditions` for Conditional Access (targets live in the policy), `assignment` otherwise. */
  source: z.enum(['assignment', 'conditions']),
});
export type AssignmentTarget = z.infer<typeof assignmentTargetSchema>;

/**
 * Who made a change, from the tenant's audit logs (docs/watch.md): an administrator, an app, or unknown
 * when no audit record matched (`reason` says why, e.g. the change was found by a full sync).
 */
export const changedBySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), userPrincipalName: z.string(), displayName: z.string() }),
  z.object({ kind: z.literal('app'), appId: z.string(), displayName: z.string() }),
  z.object({ kind: z.literal('unknown'), reason: z.string() }),
]);
export type ChangedBy = z.infer<typeof changedBySchema>;

/** The attribution of one change: who, the audit activity (`Patch DeviceConfiguration`) and its time. */
export const attributionSchema = z.object({
  changedBy: changedBySchema,
  activity: z.string().nullable(),
  activityAt: z.string().nullable(),
});
export type Attribution = z.infer<typeof attributionSchema>;

export const historyEntrySchema = z.object({
  versionId: z.string(),
  observedAt: z.string(),
  runId: z.string(),
  change: z.enum(['created', 'changed', 'restored']),
  /** Set by the change watch; a full sync leaves it out (the change was not attributed). */
  attribution: attributionSchema.optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** One Graph object of a managed tenant: what it is, where it applies, and which version it has now. */
export const inventoryItemSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  workspaceId: z.string(),
  docType: z.literal('item'),
  policyType: z.string(),
  category: z.string(),
  role: z.string(),
  graphId: z.string(),
  displayName: z.string(),
  /** Lower-cased display name, for case-insensitive search. */
  searchName: z.string(),
  /** Type order, then name: the order lists are shown in (one ORDER BY property needs no composite index). */
  sortKey: z.string(),
  odataType: z.string().nullable(),
  platform: z.string(),
  lastModifiedDateTime: z.string().nullable(),
  contentHash: z.string(),
  currentVersionId: z.string(),
  assignments: z.array(assignmentTargetSchema),
  /** Group and filter ids and `allDevices` / `allUsers`: what the assignment-target filter matches. */
  targetIds: z.array(z.string()),
  scopeTagIds: z.array(z.string()),
  /** Encrypted OMA-URI values found (and not stored) in the current version. */
  encryptedSettings: z.number().int(),
  /** Newest last; capped (older versions stay stored, see `versionCount`). */
  history: z.array(historyEntrySchema),
  versionCount: z.number().int(),
  firstSeenAt: z.string(),
  /**
   * When the item was last written (a change, or a field such as `lastModifiedDateTime` moving); an
   * unchanged object is not rewritten: the API shows the later of this and its type's last complete
   * listing (the type's observation), and removal sets it to that listing.
   */
  lastSeenAt: z.string(),
  /** When the content last changed (created, changed, removed or back again). */
  changedAt: z.string(),
  removedAt: z.string().nullable(),
});
export type InventoryItem = z.infer<typeof inventoryItemSchema>;

/** What a version holds: the object, its sub-resources and its assignments, normalized. */
export const versionContentSchema = z.object({
  object: z.record(z.string(), z.unknown()),
  subResources: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
  assignments: z.array(z.record(z.string(), z.unknown())),
});
export type VersionContent = z.infer<typeof versionContentSchema>;

/** A policy version: content-addressed (its id is the content hash), never changed once written. */
export const policyVersionSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  docType: z.literal('version'),
  itemId: z.string(),
  policyType: z.string(),
  graphId: z.string(),
  displayName: z.string(),
  odataType: z.string().nullable(),
  contentHash: z.string(),
  /** Null when the content is stored in `chunks` chunk documents (too large for one document). */
  content: versionContentSchema.nullable(),
  chunks: z.number().int(),
  /** Size of the serialized content in bytes. */
  size: z.number().int(),
  /** JSON pointers of values never stored (encrypted OMA-URI values). */
  redactedPaths: z.array(z.string()),
  /** Who made the change that first produced this content, when the change watch saw it. */
  attribution: attributionSchema.optional(),
});
export type PolicyVersion = z.infer<typeof policyVersionSchema>;

export const versionChunkSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  docType: z.literal('versionChunk'),
  versionId: z.string(),
  index: z.number().int(),
  data: z.string(),
});
export type VersionChunk = z.infer<typeof versionChunkSchema>;

const SAFE_ID = /^[A-Za-z0-9._-]{1,200}$/;

/**
 * The inventory item id of a Graph object: readable (`deviceConfigurations:{graphId}`) when the Graph id
 * is URL- and Cosmos-safe, else a digest of it (Cosmos ids must not hold `/`, `\`, `?` or `#`).
 */
export function itemIdOf(policyType: string, graphId: string): string {
  if (SAFE_ID.test(graphId)) return `${policyType}:${graphId}`;
  return `${policyType}:h-${createHash('sha256').update(graphId).digest('base64url').slice(0, 32)}`;
}
