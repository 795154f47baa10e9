import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { RUN_ACTIVITIES, type RunInput, type WorkResult } from './contract';

const lifecycleRetry = new df.RetryOptions(1000, 4);

/**
 * The frame every run orchestrator shares: mark the run running, do the work, complete the run with
 * its outcome. An unexpected failure still completes the run (failed, `internal_error`), so no run is
 * left active by its own orchestration.
 */
export function* runLifecycle(
  context: OrchestrationContext,
  work: (runId: string) => Generator<Task, WorkResult, unknown>,
): Generator<Task, { runId: string; outcome: string }, unknown> {
  const { runId } = context.df.getInput() as RunInput;
  yield context.df.callActivityWithRetry(RUN_ACTIVITIES.markRunning, lifecycleRetry, { runId });
  let result: WorkResult;
  try {
    result = yield* work(runId);
  } catch {
    result = {
      outcome: 'failed',
      failures: [{ reasonCode: 'internal_error', message: 'The operation failed unexpectedly.' }],
    };
  }
  context.df.setCustomStatus({ runId, outcome: result.outcome });
  yield context.df.callActivityWithRetry(RUN_ACTIVITIES.complete, lifecycleRetry, {
    runId,
    completion: result,
  });
  return { runId, outcome: result.outcome };
}
