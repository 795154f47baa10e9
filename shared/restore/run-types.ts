import type { Run } from '../operations/model';
import { ORCHESTRATORS } from '../operations/orchestrators';
import { cancelDetail, count, failureDetail, resultNumber } from '../operations/run-text';
import { defineRunType, runTypeList } from '../operations/run-type';
import { executeInputSchema } from './plan';
import { previewInputSchema } from './preview';

export const RESTORE_PREVIEW = 'restore.preview';
export const RESTORE_EXECUTE = 'restore.execute';

/** "12 objects: 3 to create, 2 to update, 6 unchanged, 1 blocked". */
function planLine(run: Run): string {
  const n = (key: string) => resultNumber(run, key);
  return `${count(n('items'), 'object')}: ${n('create')} to create, ${n('update')} to update, ${n('unchanged')} unchanged, ${n('blocked')} blocked`;
}

/** "3 created, 2 updated, 6 unchanged, 1 skipped, 0 failed". */
function executed(run: Run): string {
  const n = (key: string) => resultNumber(run, key);
  return `${n('created')} created, ${n('updated')} updated, ${n('unchanged')} unchanged, ${n('skipped')} skipped, ${n('failed')} failed`;
}

/** Reading Graph for minutes is normal (a large plan); activities report per type or per chunk. */
const STALE_AFTER_MS = 15 * 60_000;

export const restorePreviewRunType = defineRunType({
  type: RESTORE_PREVIEW,
  summary:
    'Compare a backup set (or chosen versions) of a tenant of the workspace with this tenant as Graph shows it now, and plan the restore (nothing is written)',
  capability: 'restore.preview',
  input: previewInputSchema,
  identity: (input) => ({ source: input.source, items: input.items ?? null, options: input.options }),
  orchestrator: ORCHESTRATORS.restorePreview,
  staleAfterMs: STALE_AFTER_MS,
  touchesGraph: true,
  text: {
    label: 'Restore preview',
    ended: {
      succeeded: planLine,
      partially_succeeded: planLine,
      failed: failureDetail,
      cancelled: cancelDetail,
    },
  },
});

export const restoreExecuteRunType = defineRunType({
  type: RESTORE_EXECUTE,
  summary:
    "Execute a restore preview's plan with its confirmation token: snapshot what it updates, then write in dependency order",
  capability: 'restore.execute',
  input: executeInputSchema,
  // One execution per plan: a second start with the same plan is the same operation.
  identity: (input) => ({ previewRunId: input.previewRunId }),
  orchestrator: ORCHESTRATORS.restoreExecute,
  staleAfterMs: STALE_AFTER_MS,
  touchesGraph: true,
  text: {
    label: 'Restore',
    ended: {
      succeeded: executed,
      partially_succeeded: (run) => `${executed(run)}; ${failureDetail(run)}`,
      failed: failureDetail,
      cancelled: cancelDetail,
    },
  },
});

export const restoreRunTypes = runTypeList(restorePreviewRunType, restoreExecuteRunType);
