import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { RUN_ACTIVITIES, type RunInput } from '../runs/contract';
import { runLifecycle } from '../runs/lifecycle';
import {
  BACKUP,
  type AcquireResult,
  type CaptureInput,
  type PrepareResult,
  type CaptureResult,
  type MaintenanceResult,
  type WorkResult,
} from './contract';

const retry = new df.RetryOptions(2000, 4);
/** Waits between scope checks grow from 2 s to this, so a long wait costs few history events. */
const MAX_SCOPE_POLL_MS = 30_000;

/**
 * A backup: read each selected type through the inventory path (which stores new policy versions) and
 * pin the versions seen in a backup set; then, for a schedule's successful backup, apply its retention;
 * then collect policy versions nothing references any more. Only ids and counts pass through history.
 */
function* backupWork(context: OrchestrationContext, runId: string): Generator<Task, WorkResult, unknown> {
  const plan = (yield context.df.callActivityWithRetry(BACKUP.prepare, retry, { runId })) as PrepareResult;
  if ('failure' in plan) return { outcome: 'failed', failures: [plan.failure] };
  const results: CaptureResult[] = [];
  let round: Task[] = [];
  try {
    for (const phase of plan.phases) {
      // A queue of page ranges: a type with more pages comes back with its continuation for another round.
      let queue: CaptureInput[] = phase.map((policyType) => ({
        runId,
        backupSetId: plan.backupSetId,
        policyType,
        segment: 0,
        continuation: null,
      }));
      while (queue.length > 0) {
        const inputs = queue.slice(0, plan.concurrency);
        queue = queue.slice(plan.concurrency);
        round = inputs.map((input) => context.df.callActivityWithRetry(BACKUP.capture, retry, input));
        const done = (yield context.df.Task.all(round)) as CaptureResult[];
        round = [];
        results.push(...done);
        done.forEach((result, index) => {
          if (result.continuation)
            queue.push({ ...inputs[index]!, segment: result.segment + 1, continuation: result.continuation });
        });
      }
    }
  } catch {
    // A capture failing even after its retries (Graph errors come back as results, so this is rarer)
    // ends the reading: what its round did finish counts, every type not read to its end is recorded
    // as failed, and the set is still closed below with what was read, never left in progress.
    for (const task of round)
      if (task.isCompleted && !task.isFaulted) results.push(task.result as CaptureResult);
    for (const policyType of plan.phases.flat()) {
      const segments = results.filter((r) => r.policyType === policyType);
      if (segments.length > 0 && !segments.at(-1)!.continuation) continue;
      results.push({
        policyType,
        segment: segments.length,
        status: 'failed',
        items: 0,
        newVersions: 0,
        continuation: null,
        failure: { reasonCode: 'internal_error', message: 'The type could not be read.' },
      });
    }
  }
  const completion = (yield context.df.callActivityWithRetry(BACKUP.finish, retry, {
    runId,
    backupSetId: plan.backupSetId,
    results,
  })) as WorkResult;
  const maintenance: MaintenanceResult = {};
  if (completion.outcome === 'succeeded' && plan.scheduleId) {
    Object.assign(maintenance, yield context.df.callActivityWithRetry(BACKUP.retention, retry, { runId }));
  }
  if (completion.outcome !== 'failed') {
    Object.assign(maintenance, yield context.df.callActivityWithRetry(BACKUP.collect, retry, { runId }));
  }
  return { ...completion, result: { ...completion.result, ...maintenance } };
}

export function* backupRunOrchestrator(context: OrchestrationContext) {
  return yield* runLifecycle(context, (runId) => backupWork(context, runId));
}

/**
 * A scheduled backup does not fail because the tenant is busy: it waits for the tenant's scope with
 * durable timers (growing intervals, no worker held) up to the configured bound, then fails with
 * `scope_busy`. The run stays `queued` while it waits.
 */
export function* backupScheduledOrchestrator(context: OrchestrationContext) {
  const { runId } = context.df.getInput() as RunInput;
  const waitingSince = context.df.currentUtcDateTime.getTime();
  for (let attempt = 0; ; attempt++) {
    const scope = (yield context.df.callActivityWithRetry(BACKUP.acquireScope, retry, {
      runId,
    })) as AcquireResult;
    if (scope.kind === 'ended') return { runId, outcome: 'ended' };
    if (scope.kind === 'acquired') break;
    const now = context.df.currentUtcDateTime.getTime();
    const deadline = waitingSince + scope.maxWaitMs;
    if (now >= deadline) {
      const minutes = Math.round(scope.maxWaitMs / 60_000);
      yield context.df.callActivityWithRetry(RUN_ACTIVITIES.complete, retry, {
        runId,
        completion: {
          outcome: 'failed',
          failures: [
            {
              reasonCode: 'scope_busy',
              message: `The tenant stayed busy with another operation (${scope.activeRun.type}) for ${minutes} min.`,
            },
          ],
        },
      });
      return { runId, outcome: 'failed' };
    }
    const delay = Math.min(2000 * 2 ** attempt, MAX_SCOPE_POLL_MS, deadline - now);
    yield context.df.createTimer(new Date(now + delay));
  }
  return yield* runLifecycle(context, (id) => backupWork(context, id));
}
