import type { StartCheck } from '../operations/service';
import type { RestoreDeps } from './deps';
import { finishExecute, startExecute, takeSnapshot, writeChunk } from './execute';
import { failureOf } from './write';
import { checkExecute, checkPreview, executeInputSchema, finishPreview } from './plan';
import { previewInputSchema, previewPlan } from './preview';
import { RESTORE_EXECUTE, RESTORE_PREVIEW } from './run-types';

export type { RestoreDeps } from './deps';
export { RestoreStore } from './store';
export { createConfirmationTokens } from './token';
export type { PlanItem, RestorePlan } from './model';

/**
 * Restore over its store, with what it needs from the rest of the app. Built once by the composition
 * root; the restore activities call the steps below with a run id, the start route the checks.
 */
export function createRestore(deps: RestoreDeps) {
  const run = (runId: string) => deps.runs.require(runId);
  const startChecks: Record<string, StartCheck> = {
    [RESTORE_PREVIEW]: async ({ workspaceId, tenantId, input }) =>
      checkPreview(deps, workspaceId, tenantId, previewInputSchema.parse(input).source),
    [RESTORE_EXECUTE]: async ({ principal, tenantId, input }) => {
      await checkExecute(deps, principal, tenantId, executeInputSchema.parse(input));
    },
  };
  return {
    startChecks,
    preview: {
      plan: async (runId: string) => previewPlan(deps, await run(runId)),
      finish: async (runId: string) => finishPreview(deps, await run(runId)),
    },
    execute: {
      start: async (runId: string) => startExecute(deps, await run(runId)),
      snapshot: async (runId: string) => takeSnapshot(deps, await run(runId)),
      write: async (runId: string, chunk: Parameters<typeof writeChunk>[2]) =>
        writeChunk(deps, await run(runId), chunk),
      finish: async (runId: string, snapshot: { backupSetId: string }) =>
        finishExecute(deps, await run(runId), snapshot),
    },
    /** The plan's items, a page at a time (the plan route; Cosmos only). */
    planPage: (tenantId: string, planId: string, options: { limit: number; continuationToken?: string }) =>
      deps.store.page(tenantId, planId, options),
    plan: (tenantId: string, planId: string) => deps.store.getPlan(tenantId, planId),
    failureOf,
  };
}
export type Restore = ReturnType<typeof createRestore>;
