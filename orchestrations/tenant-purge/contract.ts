import { ORCHESTRATORS } from '../../shared/operations/orchestrators';

/** What a tenant purge deletes, in this order (the tenant's own document last but drift's, added later). */
export const PURGE_STEPS = [
  'inventory',
  'policyVersions',
  'directory',
  'backups',
  'runs',
  'notifications',
  'connections',
  'tenant',
  // Added after the tenant: a purge already running when these steps came replays its steps unchanged.
  'drift',
  'driftSummaries',
  // Notifications written while the steps above ran (drift signals and run events follow change feeds
  // and lag behind): deleted once more after the tenant document is gone, when no more are written.
  'lateNotifications',
] as const;
export type PurgeStep = (typeof PURGE_STEPS)[number];

export const TENANT_PURGE = {
  orchestrator: ORCHESTRATORS.tenantPurge,
  step: 'tenantPurgeStep',
} as const;

export interface PurgeStepInput {
  runId: string;
  step: PurgeStep;
}

/** Documents deleted by one call, and whether that kind has more (the orchestrator calls again). */
export interface PurgeStepResult {
  deleted: number;
  more: boolean;
}
