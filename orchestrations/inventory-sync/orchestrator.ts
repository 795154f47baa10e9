import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import type { WorkResult } from '../runs/contract';
import { runLifecycle } from '../runs/lifecycle';
import { INVENTORY, type Claim, type LaneInput, type PlanResult, type SegmentOutcome } from './contract';

const retry = new df.RetryOptions(2000, 4);

/**
 * An inventory sync: plan the selected types, read them in a few lanes that each claim the next page
 * range from a shared queue (so the work spreads evenly whatever the types' sizes, and a run never has
 * more activities reading Graph than it has lanes), then the groups the objects are assigned to, then
 * the summary. Only ids and counts pass through history.
 */
export function* inventorySync(context: OrchestrationContext) {
  return yield* runLifecycle(context, function* (runId): Generator<Task, WorkResult, unknown> {
    const plan = (yield context.df.callActivityWithRetry(INVENTORY.plan, retry, { runId })) as PlanResult;
    if ('failure' in plan) return { outcome: 'failed', failures: [plan.failure] };
    const lanes = Array.from({ length: plan.lanes }, (_, lane) =>
      context.df.callSubOrchestrator(
        INVENTORY.lane,
        { runId, lane } satisfies LaneInput,
        `${context.df.instanceId}:lane${lane}`,
      ),
    );
    if (lanes.length > 0) yield context.df.Task.all(lanes);
    if (plan.includeDependencies)
      yield context.df.callActivityWithRetry(INVENTORY.dependencies, retry, { runId });
    return (yield context.df.callActivityWithRetry(INVENTORY.summarize, retry, { runId })) as WorkResult;
  });
}

/** One lane: claim a page range, read it, report it with the next claim, until the queue is empty. */
export function* inventorySyncLane(context: OrchestrationContext) {
  const { runId, lane } = context.df.getInput() as LaneInput;
  let finished: SegmentOutcome | null = null;
  for (let step = 0; ; step++) {
    const claim = (yield context.df.callActivityWithRetry(INVENTORY.claim, retry, {
      runId,
      lane,
      step,
      finished,
    })) as Claim | null;
    if (!claim) return { lane, steps: step };
    finished = (yield context.df.callActivityWithRetry(INVENTORY.segment, retry, {
      runId,
      ...claim,
    })) as SegmentOutcome;
  }
}
