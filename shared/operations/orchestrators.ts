/**
 * The Durable function name of every orchestrator that runs an operation: the catalog of operation
 * types (which orchestrator starts a run) and the orchestrations (which name they register under)
 * both import this constant. It imports nothing, so deterministic orchestration code may use it.
 */
export const ORCHESTRATORS = {
  providerHealthCheck: 'providerHealthCheck',
  providerVerification: 'providerVerification',
  inventorySync: 'inventorySync',
  /** inventory.watch: the audit logs since the watermark, and the objects they name. */
  inventoryWatch: 'inventoryWatch',
  /** backup.run, backup_schedule.run_now and backup_schedule.retry. */
  backupRun: 'backupRun',
  /** backup_schedule.scheduled: waits for the tenant's scope first. */
  backupScheduled: 'backupScheduled',
  directoryGroupsSync: 'directoryGroupsSync',
  directoryRoleDefinitionsSync: 'directoryRoleDefinitionsSync',
  /** tenant.purge: deletes a deleted workspace's tenant data after its retention. */
  tenantPurge: 'tenantPurge',
  restorePreview: 'restorePreview',
  restoreExecute: 'restoreExecute',
} as const;

export type OrchestratorName = (typeof ORCHESTRATORS)[keyof typeof ORCHESTRATORS];
