import { backupScheduleScheduled } from '../backup/run-types';
import { startScheduledRun, type GateDeps } from '../operations/gate';
import { fireTimeText, firesBetween, latestFireAtOrBefore, nextFireAfter } from './cadence';
import type { Clock } from '../clock';
import type { Schedule } from './model';
import type { DueSchedule, ScheduleStore } from './schedule-store';
import type { TenantStatuses } from './tenant-status';

export interface SchedulerDeps {
  schedules: ScheduleStore;
  gate: GateDeps;
  tenants: Pick<TenantStatuses, 'active'>;
  clock: Clock;
  log: (message: string) => void;
}

export interface TickOptions {
  /** Schedules handled in parallel (each is a handful of single-document writes). */
  concurrency?: number;
  /** Due schedules handled per tick; the rest are still due a minute later, for the same slot. */
  maxPerTick?: number;
}

export interface TickSummary {
  now: string;
  due: number;
  /** Runs this tick created and dispatched. */
  started: number;
  /** Slots another tick (or host) had already claimed: no run made here. */
  alreadyClaimed: number;
  /** Due slots older than the latest one, skipped by catch-up (one run per schedule, for its latest slot). */
  missedSlots: number;
  /** Schedules of archived or deleted tenants: advanced without a run. */
  skipped: number;
  dispatchFailed: number;
  errors: number;
  elapsedMs: number;
}

/**
 * What a due schedule runs: the latest slot at or before now (after downtime that is one catch-up run,
 * not a burst), and the older slots that catch-up skips. Undefined when nothing is due.
 */
export function dueSlot(
  schedule: Pick<Schedule, 'cadence' | 'nextRunAt' | 'enabled'>,
  now: Date,
): { scheduledFor: Date; missed: Date[] } | undefined {
  if (!schedule.enabled || !schedule.nextRunAt) return undefined;
  const planned = new Date(schedule.nextRunAt);
  if (planned > now) return undefined;
  const latest = latestFireAtOrBefore(schedule.cadence, now);
  // `nextRunAt` is always a slot of the cadence; should it not be (edited by hand), it still wins.
  const scheduledFor = latest < planned ? planned : latest;
  const missed = firesBetween(schedule.cadence, new Date(planned.getTime() - 1), scheduledFor).filter(
    (slot) => slot < scheduledFor,
  );
  return { scheduledFor, missed };
}

/**
 * How long after a slot's fire time the tick that claimed it is taken to be still at work on it: ticks
 * fire at the minute, and a tick of 1,000 due schedules takes about 10 s. Later, a tick that finds the
 * slot claimed advances the schedule (its claimer may have died before it could).
 */
const CLAIMER_AT_WORK_MS = 60_000;

/**
 * One scheduler tick: every due schedule gets at most one run for its intended fire time. The run's
 * conditional create (stable id from schedule id + fire time) is the claim, so two ticks racing on one
 * host or on two make one run; the Durable instance is checked before it is started, so a finished
 * one is never restarted. The schedule is advanced after the claim; a tick that dies in between leaves
 * it due, and a later tick finds the slot claimed and only advances it.
 */
export async function runSchedulerTick(deps: SchedulerDeps, options: TickOptions = {}): Promise<TickSummary> {
  const started = performance.now();
  const now = deps.clock.now();
  const summary: TickSummary = {
    now: now.toISOString(),
    due: 0,
    started: 0,
    alreadyClaimed: 0,
    missedSlots: 0,
    skipped: 0,
    dispatchFailed: 0,
    errors: 0,
    elapsedMs: 0,
  };
  const due: DueSchedule[] = [];
  for await (const page of deps.schedules.due(now)) {
    due.push(...page);
    if (due.length >= (options.maxPerTick ?? 5000)) break;
  }
  summary.due = due.length;
  const active = await deps.tenants.active(due.map((schedule) => schedule.tenantId));
  // Racing ticks walk the list in different orders, so each claims a share instead of trailing the other.
  shuffle(due);
  await forEachLimited(due, options.concurrency ?? 32, async (schedule) => {
    try {
      await fire(deps, schedule, now, active.get(schedule.tenantId), summary);
    } catch (error) {
      summary.errors++;
      deps.log(`Schedule ${schedule.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  summary.elapsedMs = Math.round(performance.now() - started);
  return summary;
}

async function fire(
  deps: SchedulerDeps,
  schedule: DueSchedule,
  now: Date,
  /** The tenant's display name; undefined when it is archived or gone. */
  tenantName: string | undefined,
  summary: TickSummary,
): Promise<void> {
  const slot = dueSlot(schedule, now);
  if (!slot) return;
  if (tenantName === undefined) {
    summary.skipped++;
    await deps.schedules.advance(schedule, nextFireAfter(schedule.cadence, slot.scheduledFor));
    return;
  }
  const scheduledFor = fireTimeText(slot.scheduledFor);
  // Once the slot's run is claimed, the schedule moves on — unless someone changed it since it was read
  // (then their nextRunAt stands). Advancing alongside the dispatch loses nothing: a later tick finds
  // the slot claimed either way and starts no second run.
  const advance = () => deps.schedules.advance(schedule, nextFireAfter(schedule.cadence, slot.scheduledFor));
  const outcome = await startScheduledRun(
    deps.gate,
    {
      runType: backupScheduleScheduled,
      workspaceId: schedule.workspaceId,
      tenantId: schedule.tenantId,
      tenantName,
      input: {
        scheduleId: schedule.id,
        scheduledFor,
        ownerUserId: schedule.owner.userId,
        ownerDisplayName: schedule.owner.displayName,
      },
      initiator: { kind: 'schedule', scheduleId: schedule.id },
    },
    { whenClaimed: advance },
  );
  if (outcome.kind === 'started') {
    summary.started++;
    summary.missedSlots += slot.missed.length;
    if (slot.missed.length > 0) {
      deps.log(
        `Schedule ${schedule.id}: catching up with one run for ${scheduledFor}; ${slot.missed.length} earlier missed slot(s) skipped.`,
      );
    }
  } else if (outcome.kind === 'claimed') {
    summary.alreadyClaimed++;
    // A slot another tick claimed lately is that tick's to advance (racing ticks would otherwise both
    // write the schedule, one of them in vain); a tick after CLAIMER_AT_WORK_MS advances it for a
    // claimer that died first.
    if (now.getTime() - slot.scheduledFor.getTime() >= CLAIMER_AT_WORK_MS) await advance();
  } else summary.dispatchFailed++;
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(workers);
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
