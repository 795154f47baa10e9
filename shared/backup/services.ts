import { getServices } from '../app/services';
import type { Dispatcher } from '../operations/dispatcher';
import { systemClock, type Clock } from '../schedules/clock';
import { LastRuns } from '../schedules/last-runs';
import { ScheduleService } from '../schedules/schedule-service';
import { ScheduleStore } from '../schedules/schedule-store';
import type { SchedulerDeps } from '../schedules/scheduler';
import { TenantStatuses } from '../schedules/tenant-status';
import { container } from '../store/cosmos';
import type { BackupRunDeps } from './backup-run';
import { BackupService } from './backup-service';
import { BackupStore } from './backup-store';

export interface BackupServices {
  clock: Clock;
  scheduleStore: ScheduleStore;
  schedules: ScheduleService;
  backupStore: BackupStore;
  backups: BackupService;
  tenantStatuses: TenantStatuses;
}

let services: BackupServices | undefined;

/**
 * The backup feature's part of the composition root, built once per process on top of `getServices()`
 * (audit, runs, lifecycle): the shared root stays free of feature wiring that several people extend
 * at once. Importing this module also registers the backup run types.
 */
export function getBackupServices(): BackupServices {
  if (!services) {
    const { audit, runs } = getServices();
    const clock = systemClock;
    const scheduleStore = new ScheduleStore(container('backups'));
    const backupStore = new BackupStore(container('backups'));
    services = {
      clock,
      scheduleStore,
      schedules: new ScheduleService({
        store: scheduleStore,
        lastRuns: new LastRuns(container('runs')),
        audit,
        clock,
      }),
      backupStore,
      backups: new BackupService({ store: backupStore, audit, runs }),
      tenantStatuses: new TenantStatuses(container('tenants')),
    };
  }
  return services;
}

/** What one scheduler tick needs; the dispatcher is the invocation's Durable client. */
export function schedulerDeps(dispatcher: Dispatcher, log: (message: string) => void): SchedulerDeps {
  const { runs, lifecycle, audit, catalog } = getServices();
  const { scheduleStore, tenantStatuses, clock } = getBackupServices();
  return {
    schedules: scheduleStore,
    gate: { runs, lifecycle, audit, dispatcher, catalog },
    tenants: tenantStatuses,
    clock,
    log,
  };
}

/** What the backup activities need. */
export function backupRunDeps(): BackupRunDeps {
  const { runs, lifecycle, audit } = getServices();
  const { backupStore, scheduleStore, clock } = getBackupServices();
  return { runs, lifecycle, audit, backups: backupStore, schedules: scheduleStore, clock };
}
