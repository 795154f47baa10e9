import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import type { WorkResult } from '../runs/contract';
import { runLifecycle } from '../runs/lifecycle';
import {
  RESTORE,
  WRITE_CHUNK,
  WRITE_CONCURRENCY,
  type ExecuteStartResult,
  type PreviewPlanResult,
  type SnapshotResult,
  type WriteChunkInput,
} from './contract';

const retry = new df.RetryOptions(2000, 4);

/**
 * A preview: one step reads the target's objects of every type at once (so their reads share full
 * `$batch`es) and plans them in dependency order; then the plan and its confirmation token.
 */
function* previewWork(context: OrchestrationContext, runId: string): Generator<Task, WorkResult, unknown> {
  const planned = (yield context.df.callActivityWithRetry(RESTORE.previewPlan, retry, {
    runId,
  })) as PreviewPlanResult;
  if ('failure' in planned) return { outcome: 'failed', failures: [planned.failure] };
  return (yield context.df.callActivityWithRetry(RESTORE.previewFinish, retry, { runId })) as WorkResult;
}

/**
 * An execute: take the plan, snapshot what it updates, write the phases in order (chunks of a phase
 * side by side), then count the outcomes from the items themselves.
 */
function* executeWork(context: OrchestrationContext, runId: string): Generator<Task, WorkResult, unknown> {
  const start = (yield context.df.callActivityWithRetry(RESTORE.executeStart, retry, {
    runId,
  })) as ExecuteStartResult;
  if ('failure' in start) return { outcome: 'failed', failures: [start.failure] };
  const snapshot = (yield context.df.callActivityWithRetry(RESTORE.executeSnapshot, retry, {
    runId,
  })) as SnapshotResult;
  if ('failure' in snapshot) return { outcome: 'failed', failures: [snapshot.failure] };
  for (const { phase, count } of start.phases) {
    const chunks: WriteChunkInput[] = [];
    for (let offset = 0; offset < count; offset += WRITE_CHUNK)
      chunks.push({ runId, phase, offset, limit: WRITE_CHUNK });
    for (let at = 0; at < chunks.length; at += WRITE_CONCURRENCY)
      yield context.df.Task.all(
        chunks
          .slice(at, at + WRITE_CONCURRENCY)
          .map((chunk) => context.df.callActivityWithRetry(RESTORE.executeWrite, retry, chunk)),
      );
  }
  return (yield context.df.callActivityWithRetry(RESTORE.executeFinish, retry, {
    runId,
    backupSetId: snapshot.backupSetId,
  })) as WorkResult;
}

export function* restorePreview(context: OrchestrationContext) {
  return yield* runLifecycle(context, (runId) => previewWork(context, runId));
}

export function* restoreExecute(context: OrchestrationContext) {
  return yield* runLifecycle(context, (runId) => executeWork(context, runId));
}
