import type { OrchestrationContext } from 'durable-functions';
import * as df from 'durable-functions';
import { runLifecycle } from '../runs/lifecycle';
import { PURGE_STEPS, TENANT_PURGE, type PurgeStepResult } from './contract';

const retry = new df.RetryOptions(2000, 5);

/** Each kind of the tenant's data in turn, a batch per activity call, until the kind is empty. */
export function* tenantPurge(context: OrchestrationContext) {
  return yield* runLifecycle(context, function* (runId) {
    const deletedByKind: Record<string, number> = {};
    let deleted = 0;
    for (const step of PURGE_STEPS) {
      deletedByKind[step] = 0;
      for (;;) {
        const batch = (yield context.df.callActivityWithRetry(TENANT_PURGE.step, retry, {
          runId,
          step,
        })) as PurgeStepResult;
        deletedByKind[step] += batch.deleted;
        deleted += batch.deleted;
        if (!batch.more) break;
      }
    }
    return { outcome: 'succeeded', result: { deleted, byKind: deletedByKind } };
  });
}
