import type { RunFailure, Run, RunCounts, RunOutcome } from './model';
import { isActive } from './model';
import type { RunStore } from './run-store';
import { scopeLockId } from './run-store';
import type { Clock } from '../clock';

export interface Completion {
  outcome: Exclude<RunOutcome, 'pending'>;
  failures?: RunFailure[];
  counts?: RunCounts;
  result?: Record<string, unknown> | null;
}

/**
 * Every change of a run's state: single-document ETag writes, so concurrent progress updates are never
 * lost, and completing twice (a retried activity, a cancel racing the end) changes nothing.
 */
export class RunLifecycle {
  constructor(
    private readonly runs: RunStore,
    private readonly clock: Clock,
  ) {}

  markRunning(runId: string): Promise<Run> {
    const now = this.clock.now().toISOString();
    return this.runs.update(runId, (run) =>
      run.status === 'queued' ? { ...run, status: 'running', startedAt: now, heartbeatAt: now } : undefined,
    );
  }

  /** Progress from activities: a heartbeat plus optional counters and message. */
  progress(
    runId: string,
    change: { progress?: string; counts?: Partial<RunCounts>; failures?: RunFailure[] },
  ): Promise<Run> {
    return this.runs.update(runId, (run) =>
      isActive(run)
        ? {
            ...run,
            heartbeatAt: this.clock.now().toISOString(),
            ...(change.progress !== undefined && { progress: change.progress }),
            ...(change.counts && { counts: { ...run.counts, ...change.counts } }),
            ...(change.failures && { failures: [...run.failures, ...change.failures] }),
          }
        : undefined,
    );
  }

  async complete(runId: string, completion: Completion): Promise<Run> {
    const now = this.clock.now().toISOString();
    const run = await this.runs.update(runId, (current) =>
      isActive(current)
        ? {
            ...current,
            status: 'completed',
            outcome: completion.outcome,
            failures: [...current.failures, ...(completion.failures ?? [])],
            counts: completion.counts ?? current.counts,
            result: completion.result ?? current.result,
            completedAt: now,
            heartbeatAt: now,
          }
        : undefined,
    );
    await this.releaseScope(run);
    return run;
  }

  /** Frees the tenant if this run still holds it (a completed run never blocks). */
  async releaseScope(run: Run): Promise<void> {
    const lock = await this.runs.readLock(scopeLockId(run.tenantId));
    if (lock && lock.runId === run.id) await this.runs.releaseLock(lock);
  }
}

export function isStale(run: Run, staleAfterMs: number, now: number): boolean {
  return isActive(run) && now - Date.parse(run.heartbeatAt) > staleAfterMs;
}
