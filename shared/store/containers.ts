/**
 * The one definition of every Cosmos DB container: the local cloud creates them from here and the
 * Bicep in infra/ is checked against it, so partition keys, unique keys and TTLs cannot drift.
 */
export interface ContainerDefinition {
  id: string;
  partitionKey: `/${string}`;
  uniqueKeys?: Array<Array<`/${string}`>>;
  /** Seconds; -1 = TTL enabled with no default (documents opt in with `ttl`). Unset = no TTL. */
  defaultTtl?: number;
  /** Paths excluded from indexing (large payloads that are never queried). */
  excludedPaths?: string[];
  purpose: string;
}

export const CONTAINERS = {
  workspaces: { id: 'workspaces', partitionKey: '/id', purpose: 'Workspaces (MSPs / organisations).' },
  memberships: {
    id: 'memberships',
    partitionKey: '/workspaceId',
    uniqueKeys: [['/userId']],
    purpose: 'Workspace memberships and roles, one per (workspace, user).',
  },
  tenants: {
    id: 'tenants',
    partitionKey: '/workspaceId',
    purpose: 'Managed tenants and their provider connections.',
  },
  runs: {
    id: 'runs',
    partitionKey: '/id',
    purpose: 'Operation runs: the single source of truth of every long-running operation.',
  },
  runLocks: {
    id: 'runLocks',
    partitionKey: '/id',
    defaultTtl: -1,
    purpose: 'Conditional-write gate documents: active run per scope and per identity key.',
  },
  inventory: {
    id: 'inventory',
    partitionKey: '/tenantId',
    // Sync cursors and run state opt in with `ttl`; items never expire.
    defaultTtl: -1,
    purpose: 'One inventory item per Graph object of a managed tenant, plus sync cursors and run state.',
  },
  policyVersions: {
    id: 'policyVersions',
    partitionKey: '/tenantId',
    excludedPaths: ['/content/*', '/data/?'],
    purpose:
      'Content-addressed versions of Graph objects (content + assignments); chunk documents for large ones.',
  },
  directory: {
    id: 'directory',
    partitionKey: '/tenantId',
    // The raw Graph fields are kept to merge delta answers, never queried.
    excludedPaths: ['/graph/*'],
    purpose:
      'The directory cache: groups (removed ones kept) and role definitions of each tenant, and its sync state.',
  },
  backups: {
    id: 'backups',
    partitionKey: '/tenantId',
    // Manifest pages hold up to 500 items each that no query filters on: indexing them would only cost.
    excludedPaths: ['/items/*'],
    purpose: 'Backup schedules (the scheduler queries nextRunAt), backup sets and their manifest pages.',
  },
  drift: {
    id: 'drift',
    partitionKey: '/workspaceId',
    // Findings keep the expected and actual values of their differences: shown, never queried.
    excludedPaths: ['/differences/*'],
    purpose:
      'Baselines, drift findings (one per baseline object and tenant) and the per-(baseline, tenant) matches and evaluation state of a workspace.',
  },
  driftSummaries: {
    id: 'driftSummaries',
    partitionKey: '/workspaceId',
    purpose:
      "Per-(baseline, tenant) drift summaries and signal ledgers of a workspace: one small document each, apart from the findings, so the workspace's summary reads only these and the signals follow only their change feed.",
  },
  notifications: {
    id: 'notifications',
    partitionKey: '/userId',
    defaultTtl: 90 * 24 * 3600,
    purpose: 'Per-user notifications (initiator only).',
  },
  audit: { id: 'audit', partitionKey: '/workspaceId', purpose: 'Append-only audit events.' },
  graphBudgets: {
    id: 'graphBudgets',
    partitionKey: '/id',
    // A budget's document carries a TTL of an hour: an idle one goes, the next starts full.
    defaultTtl: -1,
    purpose:
      'The Graph budget of each (Entra tenant, app registration) shared by every instance: one tiny document each, leased in slices with conditional writes.',
  },
  leases: {
    id: 'leases',
    partitionKey: '/id',
    purpose: 'Change-feed leases of the cosmosDBTrigger functions.',
  },
} as const satisfies Record<string, ContainerDefinition>;

export type ContainerName = keyof typeof CONTAINERS;
