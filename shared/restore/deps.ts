import type { AuditLog } from '../audit/audit';
import type { BackupStore } from '../backup/backup-store';
import type { Clock } from '../clock';
import type { GroupDirectory } from '../directory';
import type { Inventory } from '../inventory';
import type { RunLifecycle } from '../operations/lifecycle';
import type { RunStore } from '../operations/run-store';
import type { WorkspaceService } from '../workspaces/workspace-service';
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
}
