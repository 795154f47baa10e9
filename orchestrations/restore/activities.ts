import { RunFailureError } from '../../shared/operations/model';
import type { RunLifecycle } from '../../shared/operations/lifecycle';
import type { Restore } from '../../shared/restore';
import type { RunInput } from '../runs/contract';
import type { Activities } from '../runs/register';
import {
  RESTORE,
  type ExecuteStartResult,
  type FinishExecuteInput,
  type PreviewPlanResult,
  type SnapshotResult,
  type WriteChunkInput,
} from './contract';

export interface RestoreActivityDeps {
  restore: Restore;
  lifecycle: RunLifecycle;
}

/** A failure the run ends with (the source is gone, the plan was taken) comes back as a result. */
async function orFailure<T>(work: () => Promise<T>): Promise<T | { failure: RunFailureError['failure'] }> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RunFailureError) return { failure: error.failure };
    throw error;
  }
}

export function createRestoreActivities(deps: () => RestoreActivityDeps): Activities {
  return {
    [RESTORE.previewPlan]: ({ runId }: RunInput): Promise<PreviewPlanResult> =>
      orFailure(async () => ({ items: await deps().restore.preview.plan(runId) })),

    [RESTORE.previewFinish]: ({ runId }: RunInput) => deps().restore.preview.finish(runId),

    [RESTORE.executeStart]: ({ runId }: RunInput): Promise<ExecuteStartResult> =>
      orFailure(() => deps().restore.execute.start(runId)),

    [RESTORE.executeSnapshot]: ({ runId }: RunInput): Promise<SnapshotResult> =>
      orFailure(() => deps().restore.execute.snapshot(runId)),

    [RESTORE.executeWrite]: async ({ runId, ...chunk }: WriteChunkInput) => {
      const { restore, lifecycle } = deps();
      const tally = await restore.execute.write(runId, chunk);
      await lifecycle.progress(runId, { progress: `Writing phase ${chunk.phase + 1}` });
      return tally;
    },

    [RESTORE.executeFinish]: ({ runId, backupSetId }: FinishExecuteInput) =>
      deps().restore.execute.finish(runId, { backupSetId }),
  };
}
