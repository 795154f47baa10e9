import type { RunLifecycle } from '../../shared/operations/lifecycle';
import { RUN_ACTIVITIES, type RunInput, type WorkResult } from './contract';
import type { Activities } from './register';

/** The run lifecycle's two steps, shared by every run orchestrator (see lifecycle.ts). */
export function createRunActivities(deps: () => { lifecycle: RunLifecycle }): Activities {
  return {
    [RUN_ACTIVITIES.markRunning]: async ({ runId }: RunInput) => {
      const run = await deps().lifecycle.markRunning(runId);
      return { status: run.status };
    },
    [RUN_ACTIVITIES.complete]: async ({ runId, completion }: RunInput & { completion: WorkResult }) => {
      const run = await deps().lifecycle.complete(runId, completion);
      return { status: run.status, outcome: run.outcome };
    },
  };
}
