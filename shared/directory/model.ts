/**
 * The directory cache: each managed tenant's groups and role definitions as their own runs last read them
 * from Graph. Selectors, restore's group mapping and the inventory read this; nothing here calls Graph.
 */

export type GroupKind = 'security' | 'microsoft365' | 'distribution' | 'mailEnabledSecurity';

export interface DirectoryGroup {
  id: string;
  displayName: string;
  description?: string | null;
  mailNickname?: string | null;
  kind: GroupKind;
  dynamic: boolean;
  membershipRule?: string | null;
  onPremisesSynced: boolean;
  createdDateTime?: string | null;
  /** When a sync first saw the group gone from the tenant; null while it exists. */
  removedAt?: string | null;
  /**
   * When a delta round last saw the display name change, the group removed, or a removed group back: what
   * the drift feed re-evaluates on and dates findings by (docs/drift.md). A full read does not know the
   * stored name and writes it null. Stored, and answered by `groupsById`; not shown by the routes.
   */
  nameChangedAt?: string | null;
}

/** The read interface other modules (restore, the inventory) use. Keep these names stable. */
export interface GroupDirectory {
  /** Includes removed groups (removedAt set). Unknown ids are absent from the map. */
  groupsById(tenantId: string, ids: readonly string[]): Promise<Map<string, DirectoryGroup>>;
  /** Case-insensitive exact display name, live (not removed) groups only; key = the name as asked. */
  groupsByDisplayName(tenantId: string, names: readonly string[]): Promise<Map<string, DirectoryGroup[]>>;
  lastSync(tenantId: string): Promise<{ syncedAt: string; runId: string } | undefined>;
}

/** The Graph properties of a group the cache keeps (the groups contract's `$select`). */
export type GraphGroupFields = Record<string, unknown>;

/** One group in Cosmos (`directory` container, partition = tenant id; the document id is the group id). */
export interface GroupDocument extends DirectoryGroup {
  tenantId: string;
  /** The workspace of the sync that wrote it (documents written before it was kept have none). */
  workspaceId?: string;
  docType: 'group';
  /** Lowercased display name: prefix search and case-insensitive exact lookups. */
  nameKey: string;
  /** The selected Graph properties as last read: a delta answer may carry only the changed ones. */
  graph: GraphGroupFields;
  /** The last full read (run id) that saw the group: a full read marks groups it did not see removed. */
  fullReadRunId: string | null;
  updatedAt: string;
  updatedByRunId: string;
}

export type RoleSource = 'intune' | 'entra';

export interface DirectoryRoleDefinition {
  id: string;
  source: RoleSource;
  displayName: string;
  description: string | null;
  isBuiltIn: boolean;
  /** Allowed resource actions, as Graph lists them (`Microsoft.Intune_…`, `microsoft.directory/…`). */
  permissions: string[];
  removedAt: string | null;
}

/** What each list says about the cache: when it was filled and by which run. */
export interface SyncStamp {
  syncedAt: string;
  runId: string;
}

/** `microsoft365` for Unified groups; otherwise by the security / mail flags Graph reports. */
export function groupKind(fields: GraphGroupFields): GroupKind {
  const types = Array.isArray(fields.groupTypes) ? fields.groupTypes : [];
  if (types.includes('Unified')) return 'microsoft365';
  const security = fields.securityEnabled === true;
  const mail = fields.mailEnabled === true;
  if (security && mail) return 'mailEnabledSecurity';
  return security ? 'security' : 'distribution';
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The cache's view of a group from the Graph properties it keeps. */
export function directoryGroupOf(fields: GraphGroupFields): DirectoryGroup {
  const types = Array.isArray(fields.groupTypes) ? fields.groupTypes : [];
  return {
    id: String(fields.id),
    displayName: text(fields.displayName) ?? '',
    description: text(fields.description),
    mailNickname: text(fields.mailNickname),
    kind: groupKind(fields),
    dynamic: types.includes('DynamicMembership'),
    membershipRule: text(fields.membershipRule),
    onPremisesSynced: fields.onPremisesSyncEnabled === true,
    createdDateTime: text(fields.createdDateTime),
    removedAt: null,
  };
}

/** The public shape of a stored group (no storage fields). */
export function groupOfDocument(doc: GroupDocument): DirectoryGroup {
  return {
    id: doc.id,
    displayName: doc.displayName,
    description: doc.description ?? null,
    mailNickname: doc.mailNickname ?? null,
    kind: doc.kind,
    dynamic: doc.dynamic,
    membershipRule: doc.membershipRule ?? null,
    onPremisesSynced: doc.onPremisesSynced,
    createdDateTime: doc.createdDateTime ?? null,
    removedAt: doc.removedAt ?? null,
  };
}
