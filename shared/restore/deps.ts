import type { AuditLog } from '../audit/audit';
import type { BackupStore } from '../backup/backup-store';
import type { Clock } from '../clock';
import type { GroupDirectory } from '../directory';
import type { Inventory } from '../inventory';
import type { RunLifecycle } from '../operations/lifecycle';
import type { RunStore } from '../operations/run-store';
import type { WorkspaceService } from '../workspaces/workspace-service';
import type { SourceItem } from './model';
import type { RestoreStore } from './store';
import type { ConfirmationTokens } from './token';

/** What restore needs from the rest of the app; the composition root builds it. */
export interface RestoreDeps {
  store: RestoreStore;
  backups: BackupStore;
  inventory: Inventory;
  groups: GroupDirectory;
  workspaces: WorkspaceService;
  runs: RunStore;
  lifecycle: RunLifecycle;
  audit: AuditLog;
  clock: Clock;
  tokens: ConfirmationTokens;
  /** Graph's root (`GRAPH_BASE_URL`: the public cloud's, a sovereign cloud's or the local one), for `@odata.bind` references. */
  graphBaseUrl: string;
  /** How long a preview's confirmation token is valid. */
  confirmationMinutes: number;
  /** A baseline's expected objects behind drift findings (`source: {baselineId, findingIds}`). */
  remediation?: RemediationSources;
}

/** A baseline's expected objects behind drift findings of one tenant (docs/drift.md, Remediation). */
export interface RemediationSource {
  /** The baseline's golden tenant: where the versions are. */
  tenantId: string;
  items: SourceItem[];
}

/** The drift module's answer to a remediation source (the composition root wires it). */
export interface RemediationSources {
  /**
   * The baseline's objects the findings compare (undefined: no such baseline, or a finding that is not
   * one of the baseline's findings of this target, or an extra, which has no expected object).
   */
  source(
    workspaceId: string,
    baselineId: string,
    findingIds: readonly string[],
    targetTenantId: string,
  ): Promise<RemediationSource | { problem: string } | undefined>;
}
