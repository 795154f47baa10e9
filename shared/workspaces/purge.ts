import type { Container, SqlQuerySpec } from '@azure/cosmos';
import type { SecretStore } from '../secrets/secret-store';
import { ignoreNotFound } from './deletion';

/** Documents deleted per activity call: small enough to finish well inside an activity's time. */
export const PURGE_BATCH = 200;

export interface TenantPurgeContainers {
  inventory: Container;
  policyVersions: Container;
  directory: Container;
  backups: Container;
  runs: Container;
  notifications: Container;
  tenants: Container;
  drift: Container;
  driftSummaries: Container;
}

/** Where one kind of a tenant's documents lives and how to find them (ids with their partition key). */
interface PurgeTarget {
  container: keyof TenantPurgeContainers;
  query: (scope: PurgeScope) => SqlQuerySpec;
  /** Set when the kind lives in one partition (then the query does not fan out). */
  partition?: (scope: PurgeScope) => string;
  /** Done before the document goes, e.g. the connection's secret. */
  before?: (doc: FoundDoc, secrets: SecretStore) => Promise<void>;
}

export interface PurgeScope {
  workspaceId: string;
  tenantId: string;
  /** The purge run itself stays: it is the record that the purge happened. */
  runId: string;
}

interface FoundDoc {
  id: string;
  pk: string;
  secretName?: string;
}

const inTenantPartition = (container: keyof TenantPurgeContainers): PurgeTarget => ({
  container,
  query: () => ({ query: 'SELECT c.id, c.tenantId AS pk FROM c' }),
  partition: (scope) => scope.tenantId,
});

/** The tenant's documents in its workspace's partition (drift keeps a workspace's documents together). */
const inWorkspacePartition = (container: keyof TenantPurgeContainers, where = ''): PurgeTarget => ({
  container,
  query: (scope) => ({
    query: `SELECT c.id, c.workspaceId AS pk FROM c WHERE c.workspaceId = @workspaceId AND c.tenantId = @tenantId${where}`,
    parameters: [
      { name: '@workspaceId', value: scope.workspaceId },
      { name: '@tenantId', value: scope.tenantId },
    ],
  }),
  partition: (scope) => scope.workspaceId,
});

/** The notifications about the tenant (partition = the user notified). */
const tenantNotifications: PurgeTarget = {
  container: 'notifications',
  query: (scope) => ({
    query: 'SELECT c.id, c.userId AS pk FROM c WHERE c.tenantId = @tenantId',
    parameters: [{ name: '@tenantId', value: scope.tenantId }],
  }),
};

/** Every kind a tenant purge deletes, keyed by the step names of the orchestration's contract. */
export const PURGE_TARGETS = {
  inventory: inTenantPartition('inventory'),
  policyVersions: inTenantPartition('policyVersions'),
  directory: inTenantPartition('directory'),
  backups: inTenantPartition('backups'),
  runs: {
    container: 'runs',
    query: (scope) => ({
      query: 'SELECT c.id, c.id AS pk FROM c WHERE c.tenantId = @tenantId AND c.id != @runId',
      parameters: [
        { name: '@tenantId', value: scope.tenantId },
        { name: '@runId', value: scope.runId },
      ],
    }),
  },
  notifications: tenantNotifications,
  // Drift findings, matches and baseline index of the tenant (the baselines drop the tenant when they next evaluate).
  drift: inWorkspacePartition(
    'drift',
    " AND (c.docType = 'finding' OR c.docType = 'tenantBaselines' OR c.docType = 'pairMatches')",
  ),
  // The tenant's drift summaries and signal ledgers, one pair each.
  driftSummaries: inWorkspacePartition('driftSummaries'),
  // Written while the steps before ran: once the tenant document is gone, no more are.
  lateNotifications: tenantNotifications,
  connections: {
    container: 'tenants',
    query: (scope) => ({
      query:
        "SELECT c.id, c.workspaceId AS pk, c.credential.secretName AS secretName FROM c WHERE c.kind = 'providerConnection' AND c.tenantId = @tenantId",
      parameters: [{ name: '@tenantId', value: scope.tenantId }],
    }),
    partition: (scope) => scope.workspaceId,
    before: async (doc, secrets) => {
      // The credential goes first: a document without its secret is harmless, a secret without one is not.
      if (doc.secretName) await secrets.delete(doc.secretName).catch(() => undefined);
    },
  },
  tenant: {
    container: 'tenants',
    query: (scope) => ({
      query: "SELECT c.id, c.workspaceId AS pk FROM c WHERE c.kind = 'tenant' AND c.id = @tenantId",
      parameters: [{ name: '@tenantId', value: scope.tenantId }],
    }),
    partition: (scope) => scope.workspaceId,
  },
} as const satisfies Record<string, PurgeTarget>;

export type PurgeTargetName = keyof typeof PURGE_TARGETS;

/**
 * Deletes up to PURGE_BATCH documents of one kind of the tenant's data. Safe to repeat: a document
 * already gone is skipped, so an activity that ran twice deletes nothing twice and loses nothing.
 */
export async function purgeBatch(
  deps: { containers: TenantPurgeContainers; secrets: SecretStore },
  target: PurgeTargetName,
  scope: PurgeScope,
): Promise<{ deleted: number; more: boolean }> {
  const spec: PurgeTarget = PURGE_TARGETS[target];
  const container = deps.containers[spec.container];
  const partitionKey = spec.partition?.(scope);
  const { resources } = await container.items
    .query<FoundDoc>(spec.query(scope), {
      maxItemCount: PURGE_BATCH,
      ...(partitionKey !== undefined && { partitionKey }),
    })
    .fetchNext();
  for (const doc of resources) {
    await spec.before?.(doc, deps.secrets);
    await container.item(doc.id, doc.pk).delete().catch(ignoreNotFound);
  }
  // A page can be short while more exist (a query across partitions): only an empty one ends the kind.
  return { deleted: resources.length, more: resources.length > 0 };
}
