import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import type { WorkResult } from '../runs/contract';
import { runLifecycle } from '../runs/lifecycle';
import { WATCH, type ApplyTotals, type WatchPlan } from './contract';

const retry = new df.RetryOptions(2000, 4);

const ZERO: ApplyTotals = {
  created: 0,
  updated: 0,
  deleted: 0,
  assignmentsChanged: 0,
  unchanged: 0,
  absent: 0,
  failed: 0,
  subRequests: 0,
};

/**
 * A change watch: plan (read the audit logs, map them to objects, store the list), apply the list in
 * slices (re-read, store versions and change records), finish (advance the watermark). Only counts pass
 * through history; the records and objects stay in Cosmos.
 */
export function* inventoryWatch(context: OrchestrationContext) {
  return yield* runLifecycle(context, function* (runId): Generator<Task, WorkResult, unknown> {
    const plan = (yield context.df.callActivityWithRetry(WATCH.plan, retry, { runId })) as WatchPlan;
    if ('failure' in plan) return { outcome: 'failed', failures: [plan.failure] };
    if ('skipped' in plan) return { outcome: 'succeeded', result: { skipped: plan.skipped } };
    let totals = { ...ZERO };
    for (let batch = 0; batch < plan.batches; batch++) {
      const step = (yield context.df.callActivityWithRetry(WATCH.apply, retry, {
        runId,
        batch,
      })) as ApplyTotals;
      totals = Object.fromEntries(
        Object.entries(totals).map(([key, value]) => [key, value + step[key as keyof ApplyTotals]]),
      ) as unknown as ApplyTotals;
    }
    return (yield context.df.callActivityWithRetry(WATCH.finish, retry, { runId, totals })) as WorkResult;
  });
}
