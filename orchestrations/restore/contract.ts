import { ORCHESTRATORS } from '../../shared/operations/orchestrators';
import type { RunFailure } from '../../shared/operations/model';

/** Names and payloads of the restore orchestrations (orchestrators import only this). */
export const RESTORE = {
  preview: ORCHESTRATORS.restorePreview,
  execute: ORCHESTRATORS.restoreExecute,
  previewPlan: 'restorePreviewPlan',
  previewFinish: 'restorePreviewFinish',
  executeStart: 'restoreExecuteStart',
  executeSnapshot: 'restoreExecuteSnapshot',
  executeWrite: 'restoreExecuteWrite',
  executeFinish: 'restoreExecuteFinish',
} as const;

/** Objects written by one activity call: one `$batch` worth of reads, a few minutes of writes at most. */
export const WRITE_CHUNK = 20;
/** Chunks of one phase written at once (the tenant's Graph budget paces them anyway). */
export const WRITE_CONCURRENCY = 4;

export type Failed = { failure: RunFailure };

export type PreviewPlanResult = { items: number } | Failed;
export type ExecuteStartResult = { phases: Array<{ phase: number; count: number }> } | Failed;
export type SnapshotResult = { backupSetId: string; items: number } | Failed;
export interface WriteChunkInput {
  runId: string;
  phase: number;
  offset: number;
  limit: number;
}
export interface FinishExecuteInput {
  runId: string;
  backupSetId: string;
}
