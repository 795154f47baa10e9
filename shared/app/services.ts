import { AuditLog } from '../audit/audit';
import { createTokenVerifier, type TokenVerifier } from '../auth/token-verifier';
import type { BackupRunDeps } from '../backup/deps';
import { BackupService } from '../backup/backup-service';
import { BackupStore } from '../backup/backup-store';
import { systemClock, type Clock } from '../clock';
import { getConfig, getHostConnections, type AppConfig } from '../config';
import { consoleGraphLogger, createGraphClientFactory, type GraphClientFactory } from '../graph';
import { createDirectory, type Directory } from '../directory';
import { DirectoryStore } from '../directory/store';
import { createDrift, type Drift } from '../drift';
import { remediationSources } from '../drift/remediation';
import { DriftSignals } from '../drift/signals';
import { createInventory, sharedGraphBudgets, type Inventory } from '../inventory';
import { createWatch, type Watch, type WatchTickDeps } from '../watch';
import { fanOutChanges } from '../watch/change-fan-out';
import { createLive } from '../live/compose';
import type { RunFanOut } from '../live/fan-out';
import type { LiveService } from '../live/live-service';
import { NotificationStore } from '../notifications/store';
import { createPageTokenCodec, type PageTokenCodec } from '../api/page-token';
import type { OperationCatalog } from '../operations/catalog';
import type { Dispatcher } from '../operations/dispatcher';
import type { GateDeps } from '../operations/gate';
import { ScopeClaims } from '../operations/scope-claims';
import { combineStartChecks, inputReferenceChecks } from '../operations/input-references';
import { RunLifecycle } from '../operations/lifecycle';
import { RunStore } from '../operations/run-store';
import { OperationsService } from '../operations/service';
import { ConnectionService } from '../providers/connection-service';
import { createGraphAccess, type GraphForRun } from '../providers/graph-access';
import { LastRuns } from '../schedules/last-runs';
import { ScheduleService } from '../schedules/schedule-service';
import { ScheduleStore } from '../schedules/schedule-store';
import type { SchedulerDeps } from '../schedules/scheduler';
import { TenantStatuses } from '../schedules/tenant-status';
import { NotFoundError } from '../errors';
import { createConfirmationTokens, createRestore, RestoreStore, type Restore } from '../restore';
import { KeyVaultSecretStore } from '../secrets/key-vault';
import { LocalFileSecretStore } from '../secrets/local-file';
import type { SecretStore } from '../secrets/secret-store';
import { createCosmos, type Cosmos } from '../store/cosmos';
import { WorkspaceDeletion } from '../workspaces/deletion';
import type { TenantPurgeContainers } from '../workspaces/purge';
import { WorkspaceService } from '../workspaces/workspace-service';
import { operationCatalog } from './catalog';

/** Everything the app's functions and activities use, built once per process by `getServices()`. */
export interface Services {
  config: AppConfig;
  clock: Clock;
  cosmos: Cosmos;
  verifyToken: TokenVerifier;
  audit: AuditLog;
  secrets: SecretStore;
  workspaces: WorkspaceService;
  /** Soft delete of a workspace and the purge after its retention. */
  workspaceDeletion: WorkspaceDeletion;
  /** Where a tenant purge deletes from. */
  purgeContainers: TenantPurgeContainers;
  connections: ConnectionService;
  graph: GraphClientFactory;
  /** A run's Graph client (its connection, else the tenant's default). */
  graphForRun: GraphForRun;
  runs: RunStore;
  lifecycle: RunLifecycle;
  catalog: OperationCatalog;
  operations: OperationsService;
  /** The gate's dependencies but the dispatcher, which is the invocation's Durable client. */
  gate: Omit<GateDeps, 'dispatcher'>;
  notifications: NotificationStore;
  live: LiveService;
  runFanOut: RunFanOut;
  pageTokens: PageTokenCodec;
  inventory: Inventory;
  /** The change watch: its run steps, the tenants' watch state, the change feed (docs/watch.md). */
  watch: Watch;
  /** New change records → live pushes and `inventory.changed` events (the inventory change feed). */
  changeFanOut(documents: unknown[]): ReturnType<typeof fanOutChanges>;
  /** What one watch tick needs; the dispatcher is the invocation's Durable client. */
  watchTick(dispatcher: Dispatcher, log: (message: string) => void): WatchTickDeps;
  /** The directory cache: its syncs, its queries and the `GroupDirectory` restore reads. */
  directory: Directory;
  backups: BackupService;
  /** Restore preview and execute: their steps, and the checks their start needs. */
  restore: Restore;
  /** Baselines, drift evaluation and findings (docs/drift.md). */
  drift: Drift;
  /** Drift summaries → notifications, live pushes and `drift.detected` / `drift.resolved` events. */
  driftSignals: DriftSignals;
  schedules: ScheduleService;
  /** What the backup activities need. */
  backupRun: BackupRunDeps;
  /** What one scheduler tick needs; the dispatcher is the invocation's Durable client. */
  scheduler(dispatcher: Dispatcher, log: (message: string) => void): SchedulerDeps;
}

let services: Services | undefined;

/**
 * The composition root: the one place that reads the configuration, creates the SDK clients and wires
 * every service with what it needs, once per process on first use. Only entry files (functions/, the
 * local cloud's seed, test fixtures) call it; the domain below receives its dependencies as
 * arguments (ESLint refuses an import of shared/app from anywhere else).
 */
export function getServices(): Services {
  services ??= buildServices(getConfig());
  return services;
}

function buildServices(config: AppConfig): Services {
  const clock = systemClock;
  const cosmos = createCosmos(config);
  const { container } = cosmos;
  const audit = new AuditLog(container('audit'), clock);
  const secrets: SecretStore =
    config.SECRET_STORE === 'keyvault'
      ? new KeyVaultSecretStore(config.KEY_VAULT_URI!)
      : new LocalFileSecretStore(config.LOCAL_SECRET_STORE_FILE!, config.LOCAL_SECRET_STORE_KEY!);
  const runs = new RunStore(container('runs'), container('runLocks'));
  const lifecycle = new RunLifecycle(runs, clock);
  const catalog = operationCatalog;
  const workspaces = new WorkspaceService(
    {
      workspaces: container('workspaces'),
      memberships: container('memberships'),
      tenants: container('tenants'),
    },
    audit,
    clock,
  );
  const connections = new ConnectionService(container('tenants'), secrets, audit, clock);
  const graph = createGraphClientFactory({ settings: config, logger: consoleGraphLogger(config.LOG_LEVEL) });
  const graphForRun = createGraphAccess({ workspaces, connections, graph });
  const notifications = new NotificationStore(container('notifications'), clock);
  const directory = createDirectory({
    store: new DirectoryStore(container('directory')),
    loadRun: (runId) => runs.get(runId),
    graphForRun,
    progress: (runId, change) => lifecycle.progress(runId, change),
    clock,
    cacheMaxAgeMinutes: config.DIRECTORY_CACHE_MAX_AGE_MINUTES,
  });
  const inventory = createInventory({
    inventory: container('inventory'),
    policyVersions: container('policyVersions'),
    runs,
    lifecycle,
    graphForRun,
    clock,
    directoryGroups: directory.graphGroupsIfFresh,
    budgets:
      config.GRAPH_BUDGET_SCOPE === 'shared'
        ? sharedGraphBudgets(container('graphBudgets'), {
            slicePercent: config.GRAPH_BUDGET_SLICE_PERCENT,
            clock,
          })
        : undefined,
  });
  const gate = { runs, lifecycle, audit, catalog, clock, claims: new ScopeClaims() };
  const watch = createWatch({
    inventory,
    container: container('inventory'),
    runs,
    graphForRun,
    clock,
    settings: {
      intervalMinutes: config.WATCH_INTERVAL_MINUTES,
      overlapMs: config.WATCH_OVERLAP_SECONDS * 1000,
    },
  });
  const scheduleStore = new ScheduleStore(container('backups'));
  const backupStore = new BackupStore(container('backups'));
  const tenantStatuses = new TenantStatuses(container('tenants'));
  const drift = createDrift({
    drift: container('drift'),
    driftSummaries: container('driftSummaries'),
    inventory: container('inventory'),
    audit,
    clock,
    workspaces,
    backups: backupStore,
    groups: directory.groups,
    readVersion: (tenantId, versionId) => inventory.readVersion(tenantId, versionId),
  });
  const restore = createRestore({
    store: new RestoreStore(container('backups')),
    backups: backupStore,
    inventory,
    groups: directory.groups,
    workspaces,
    runs,
    lifecycle,
    audit,
    clock,
    tokens: createConfirmationTokens(config.CONTINUATION_TOKEN_KEY),
    graphBaseUrl: config.GRAPH_BASE_URL,
    confirmationMinutes: config.RESTORE_CONFIRMATION_MINUTES,
    remediation: remediationSources(drift.store, drift.objects),
  });
  const live = createLive({
    hub: config.SIGNALR_HUB,
    connections: getHostConnections(),
    workspaces,
    notifications,
    clock,
    describe: catalog.describe,
  });
  return {
    config,
    clock,
    cosmos,
    verifyToken: createTokenVerifier({
      audiences: config.AUTH_AUDIENCES,
      issuers: config.AUTH_ISSUERS,
      jwksUri: config.AUTH_JWKS_URI,
      clock,
    }),
    audit,
    secrets,
    workspaces,
    connections,
    graph,
    graphForRun,
    runs,
    lifecycle,
    catalog,
    operations: new OperationsService({
      ...gate,
      workspaces,
      startChecks: combineStartChecks(
        inputReferenceChecks(
          {
            connectionExists: async (workspaceId, tenantId, connectionId) => {
              const tenant = await workspaces.getTenant(workspaceId, tenantId);
              if (!tenant) return false;
              return connections.get(tenant, connectionId).then(
                () => true,
                (error: unknown) => {
                  if (error instanceof NotFoundError) return false;
                  throw error;
                },
              );
            },
            scheduleExists: async (tenantId, scheduleId) =>
              (await scheduleStore.get(tenantId, scheduleId)) !== undefined,
          },
          catalog,
        ),
        restore.startChecks,
      ),
    }),
    gate,
    notifications,
    pageTokens: createPageTokenCodec(config.CONTINUATION_TOKEN_KEY),
    live: live.live,
    runFanOut: live.runFanOut,
    changeFanOut: (documents) =>
      fanOutChanges(
        documents,
        live.eventMessages && {
          publishChanges: (events) => live.eventMessages!.publishMessages(events),
        },
      ),
    workspaceDeletion: new WorkspaceDeletion({
      workspaces,
      containers: {
        workspaces: container('workspaces'),
        memberships: container('memberships'),
        tenants: container('tenants'),
        drift: container('drift'),
        driftSummaries: container('driftSummaries'),
      },
      audit,
      clock,
      revokeLive: (userId, workspaceId) => live.live.revokeWorkspace(userId, workspaceId),
      purgeAfterDays: config.WORKSPACE_PURGE_AFTER_DAYS,
    }),
    purgeContainers: {
      inventory: container('inventory'),
      policyVersions: container('policyVersions'),
      directory: container('directory'),
      backups: container('backups'),
      runs: container('runs'),
      notifications: container('notifications'),
      tenants: container('tenants'),
      drift: container('drift'),
      driftSummaries: container('driftSummaries'),
    },
    inventory,
    watch,
    watchTick: (dispatcher, log) => ({
      container: container('inventory'),
      gate: { ...gate, dispatcher },
      tenants: new TenantStatuses(container('tenants')),
      clock,
      log,
    }),
    directory,
    backups: new BackupService({ store: backupStore, audit, runs }),
    restore,
    drift,
    driftSignals: new DriftSignals({
      summaries: container('driftSummaries'),
      store: drift.store,
      notifications,
      workspaces,
      clock,
      ...(live.eventMessages && {
        publisher: { publishDrift: (events) => live.eventMessages!.publishMessages(events) },
      }),
    }),
    schedules: new ScheduleService({
      store: scheduleStore,
      lastRuns: new LastRuns(container('runs')),
      audit,
      clock,
    }),
    backupRun: {
      runs,
      lifecycle,
      audit,
      backups: backupStore,
      schedules: scheduleStore,
      clock,
      inventory,
    },
    scheduler: (dispatcher, log) => ({
      schedules: scheduleStore,
      gate: { ...gate, dispatcher },
      tenants: tenantStatuses,
      clock,
      log,
    }),
  };
}
