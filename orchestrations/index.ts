import * as df from 'durable-functions';
import { BACKUP } from './backup/contract';
import { createBackupActivities, type BackupActivityDeps } from './backup/activities';
import { backupRunOrchestrator, backupScheduledOrchestrator } from './backup/orchestrator';
import { INVENTORY } from './inventory-sync/contract';
import { createInventoryActivities } from './inventory-sync/activities';
import { inventorySync, inventorySyncLane } from './inventory-sync/orchestrator';
import { WATCH } from './inventory-watch/contract';
import { createWatchActivities } from './inventory-watch/activities';
import { inventoryWatch } from './inventory-watch/orchestrator';
import { HEALTH_CHECK } from './provider-health-check/contract';
import { createHealthCheckActivities, type ProviderActivityDeps } from './provider-health-check/activities';
import { providerHealthCheck } from './provider-health-check/orchestrator';
import { VERIFICATION } from './provider-verification/contract';
import { createVerificationActivities } from './provider-verification/activities';
import { providerVerification } from './provider-verification/orchestrator';
import { createRunActivities } from './runs/activities';
import { DIRECTORY } from './directory-sync/contract';
import { createDirectoryActivities } from './directory-sync/activities';
import { directoryGroupsSync, directoryRoleDefinitionsSync } from './directory-sync/orchestrator';
import type { Directory } from '../shared/directory';
import { registerActivities } from './runs/register';
import { RESTORE } from './restore/contract';
import { createRestoreActivities, type RestoreActivityDeps } from './restore/activities';
import { restoreExecute, restorePreview } from './restore/orchestrator';
import { TENANT_PURGE } from './tenant-purge/contract';
import { createTenantPurgeActivities, type TenantPurgeActivityDeps } from './tenant-purge/activities';
import { tenantPurge } from './tenant-purge/orchestrator';
import type { Inventory } from '../shared/inventory';
import type { Watch } from '../shared/watch';
import type { RunLifecycle } from '../shared/operations/lifecycle';

/** What every activity of the app needs, taken from the composition root when the first one runs. */
export type OrchestrationDeps = ProviderActivityDeps &
  BackupActivityDeps &
  TenantPurgeActivityDeps &
  RestoreActivityDeps & {
    lifecycle: RunLifecycle;
    inventory: Inventory;
    directory: Directory;
    watch: Watch;
  };

/**
 * Every orchestration and activity of the app, registered with the Durable extension. A new operation
 * adds its orchestrator here under its `ORCHESTRATORS` name, and its activities' factory.
 */
export function registerOrchestrations(deps: () => OrchestrationDeps): void {
  df.app.orchestration(HEALTH_CHECK.orchestrator, providerHealthCheck);
  df.app.orchestration(VERIFICATION.orchestrator, providerVerification);
  df.app.orchestration(INVENTORY.orchestrator, inventorySync);
  df.app.orchestration(INVENTORY.lane, inventorySyncLane);
  df.app.orchestration(BACKUP.run, backupRunOrchestrator);
  df.app.orchestration(BACKUP.scheduled, backupScheduledOrchestrator);
  df.app.orchestration(DIRECTORY.groupsOrchestrator, directoryGroupsSync);
  df.app.orchestration(DIRECTORY.rolesOrchestrator, directoryRoleDefinitionsSync);
  df.app.orchestration(TENANT_PURGE.orchestrator, tenantPurge);
  df.app.orchestration(RESTORE.preview, restorePreview);
  df.app.orchestration(RESTORE.execute, restoreExecute);
  df.app.orchestration(WATCH.orchestrator, inventoryWatch);

  registerActivities(createRunActivities(deps));
  registerActivities(createHealthCheckActivities(deps));
  registerActivities(createVerificationActivities(deps));
  registerActivities(createInventoryActivities(deps));
  registerActivities(createBackupActivities(deps));
  registerActivities(createDirectoryActivities(deps));
  registerActivities(createTenantPurgeActivities(deps));
  registerActivities(createRestoreActivities(deps));
  registerActivities(createWatchActivities(deps));
}
