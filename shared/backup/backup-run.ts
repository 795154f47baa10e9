import type { AuditLog } from '../audit/audit';
import type { Completion, RunLifecycle } from '../operations/lifecycle';
import { RunFailureError, type Run, type RunCounts, type RunFailure } from '../operations/model';
import type { RunStore } from '../operations/run-store';
import type { Clock } from '../clock';
import type { Inventory } from '../inventory';
import type { ScheduleStore } from '../schedules/schedule-store';
import type { BackupStore } from './backup-store';
import type { CaptureResult, CaptureStatus } from './capture';
import type { BackupSet } from './model';
import { setsToPrune } from './retention';
import { backupRun, SCHEDULE_RUN_TYPES } from './run-types';
import { canonicalBackupSelection, type BackupSelection } from './selection';

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

/** One type's outcome over all its segments. */
export interface TypeOutcome {
  policyType: string;
  status: CaptureStatus;
  items: number;
  newVersions: number;
  failure?: RunFailure;
}

/** Folds the segments of each type into one outcome per type (the worst status, the first failure). */
export function typeOutcomes(results: readonly CaptureResult[]): TypeOutcome[] {
  const byType = new Map<string, TypeOutcome>();
  const rank: Record<CaptureStatus, number> = { succeeded: 0, partial: 1, failed: 2 };
  for (const r of results) {
    const current = byType.get(r.policyType);
    if (!current) {
      byType.set(r.policyType, {
        policyType: r.policyType,
        status: r.status,
        items: r.items,
        newVersions: r.newVersions,
        ...(r.failure && { failure: r.failure }),
      });
      continue;
    }
    current.items += r.items;
    current.newVersions += r.newVersions;
    // A type that read some segments and failed another is partial, not failed.
    const status = rank[r.status] > rank[current.status] ? r.status : current.status;
    current.status = status === 'failed' && current.items > 0 ? 'partial' : status;
    current.failure ??= r.failure;
  }
  return [...byType.values()];
}

/**
 * Creates the run's backup set (id = run id, so a retried activity finds it): its selection and name
 * come from the run (manual) or from the schedule as it is now (scheduled, run-now, retry).
 */
export async function openBackupSet(deps: BackupRunDeps, run: Run): Promise<BackupSet> {
  const scheduleId = typeof run.context.scheduleId === 'string' ? run.context.scheduleId : null;
  let selection: BackupSelection;
  let name: string;
  const created = deps.clock.now();
  if (scheduleId) {
    const schedule = await deps.schedules.get(run.tenantId, scheduleId);
    if (!schedule || schedule.workspaceId !== run.workspaceId) {
      throw new RunFailureError({
        reasonCode: 'validation_failed',
        message: 'The backup schedule no longer exists.',
      });
    }
    selection = schedule.selection;
    const when =
      typeof run.context.scheduledFor === 'string' ? run.context.scheduledFor : created.toISOString();
    name = `${schedule.name} — ${when.slice(0, 16).replace('T', ' ')} UTC`;
  } else {
    const input = backupRun.input.parse(run.context);
    selection = input.selection;
    name = input.name ?? `Backup ${created.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  }
  return deps.backups.createSet({
    id: run.id,
    kind: 'backupSet',
    workspaceId: run.workspaceId,
    tenantId: run.tenantId,
    name,
    selection: canonicalBackupSelection(selection),
    runId: run.id,
    runType: run.type,
    scheduleId,
    scheduledFor: typeof run.context.scheduledFor === 'string' ? run.context.scheduledFor : null,
    retryOf: typeof run.context.retryOf === 'string' ? run.context.retryOf : null,
    initiator: run.initiator,
    status: 'in_progress',
    pinned: false,
    counts: { total: 0, byType: {} },
    failedTypes: [],
    createdAt: created.toISOString(),
    completedAt: null,
  });
}

/**
 * Closes the set with per-type counts and turns the type outcomes into the run's completion: every
 * type read → succeeded; some types failed or read in part → partially_succeeded (set `partial`);
 * nothing read at all → failed, and the empty set is removed (a backup with nothing in it is not one).
 */
export async function closeBackupSet(
  deps: BackupRunDeps,
  run: Run,
  setId: string,
  results: readonly CaptureResult[],
): Promise<Completion> {
  const outcomes = typeOutcomes(results);
  const incomplete = outcomes.filter((o) => o.status !== 'succeeded');
  const items = outcomes.reduce((sum, o) => sum + o.items, 0);
  const newVersions = outcomes.reduce((sum, o) => sum + o.newVersions, 0);
  const counts: RunCounts = {
    total: outcomes.length,
    processed: outcomes.length,
    succeeded: outcomes.length - incomplete.length,
    failed: incomplete.length,
    skipped: 0,
    byType: Object.fromEntries(
      outcomes.map((o) => [o.policyType, { total: o.items, failed: o.status === 'succeeded' ? 0 : 1 }]),
    ),
  };
  const failures: RunFailure[] = incomplete.map((o) => ({
    reasonCode: o.failure?.reasonCode ?? 'internal_error',
    message: o.failure?.message ?? 'The type could not be read completely.',
    target: o.policyType,
  }));
  if (outcomes.length > 0 && outcomes.every((o) => o.status === 'failed')) {
    await deps.backups.deleteSet(run.tenantId, setId);
    return { outcome: 'failed', counts, failures, result: { backupSetId: null, items: 0, newVersions } };
  }
  await deps.backups.updateSet(run.tenantId, setId, (set) => ({
    ...set,
    status: incomplete.length > 0 ? 'partial' : 'complete',
    counts: { total: items, byType: Object.fromEntries(outcomes.map((o) => [o.policyType, o.items])) },
    failedTypes: incomplete.map((o) => ({
      policyType: o.policyType,
      reasonCode: o.failure?.reasonCode ?? 'internal_error',
    })),
    completedAt: deps.clock.now().toISOString(),
  }));
  return {
    outcome: incomplete.length > 0 ? 'partially_succeeded' : 'succeeded',
    counts,
    failures,
    result: { backupSetId: setId, items, newVersions },
  };
}

/** After a schedule's successful backup: prune its sets beyond its retention (pinned ones never). */
export async function applyRetention(deps: BackupRunDeps, run: Run): Promise<{ pruned: number }> {
  const scheduleId = run.context.scheduleId;
  if (typeof scheduleId !== 'string' || !SCHEDULE_RUN_TYPES.includes(run.type)) return { pruned: 0 };
  const schedule = await deps.schedules.get(run.tenantId, scheduleId);
  if (!schedule) return { pruned: 0 };
  const sets = await deps.backups.allSets(run.tenantId, scheduleId);
  const prune = setsToPrune(sets, schedule.retention, deps.clock.now());
  for (const setId of prune) {
    await deps.backups.deleteSet(run.tenantId, setId);
    await deps.audit.record({
      workspaceId: run.workspaceId,
      tenantId: run.tenantId,
      actor: { kind: 'schedule', scheduleId },
      action: 'backup.prune',
      target: { type: 'backup_set', id: setId },
      outcome: 'success',
      metadata: { runId: run.id, retention: schedule.retention },
      idempotencyKey: `backup.prune:${setId}`,
    });
  }
  return { pruned: prune.length };
}
