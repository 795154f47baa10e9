import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import type { WorkResult } from '../runs/contract';
import { runLifecycle } from '../runs/lifecycle';
import { DIRECTORY, type GroupsSegmentInput, type GroupsSegmentOutput } from './contract';

const retry = new df.RetryOptions(2000, 4);

/**
 * A groups sync: open the round, read it in segments (each an activity that continues from the link
 * stored in the tenant's sync state, so a 100,000-group first read spreads over several activities),
 * then close it. Only ids and counts pass through history.
 */
export function* directoryGroupsSync(context: OrchestrationContext) {
  return yield* runLifecycle(context, function* (runId): Generator<Task, WorkResult, unknown> {
    yield context.df.callActivityWithRetry(DIRECTORY.groupsBegin, retry, { runId });
    for (let step = 0; ; step++) {
      const segment = (yield context.df.callActivityWithRetry(DIRECTORY.groupsSegment, retry, {
        runId,
        step,
      } satisfies GroupsSegmentInput)) as GroupsSegmentOutput;
      if (segment.failure) return { outcome: 'failed', failures: [segment.failure] };
      if (segment.done) break;
    }
    return (yield context.df.callActivityWithRetry(DIRECTORY.groupsFinish, retry, { runId })) as WorkResult;
  });
}

/** Role definitions: one activity reads both sources (a few hundred objects at most). */
export function* directoryRoleDefinitionsSync(context: OrchestrationContext) {
  return yield* runLifecycle(context, function* (runId): Generator<Task, WorkResult, unknown> {
    return (yield context.df.callActivityWithRetry(DIRECTORY.roles, retry, { runId })) as WorkResult;
  });
}
