import type { AuditLog } from '../audit/audit';
import type { Clock } from '../clock';
import type { Inventory } from '../inventory';
import type { RunLifecycle } from '../operations/lifecycle';
import type { RunStore } from '../operations/run-store';
import type { ScheduleStore } from '../schedules/schedule-store';
import type { BackupStore } from './backup-store';

/** What a backup run's steps need; the composition root builds it (`Services.backupRun`). */
export interface BackupRunDeps {
  runs: RunStore;
  lifecycle: RunLifecycle;
  audit: AuditLog;
  backups: BackupStore;
  schedules: ScheduleStore;
  clock: Clock;
  /** The backup reads through the inventory, which stores the versions a set pins. */
  inventory: Inventory;
}
