import type { OrchestrationContext } from 'durable-functions';
import type { WorkResult } from '../runs/contract';
import { runLifecycle } from '../runs/lifecycle';
import { VERIFICATION } from './contract';

/** One check activity inside the run lifecycle. */
export function* providerVerification(context: OrchestrationContext) {
  return yield* runLifecycle(context, function* (runId) {
    return (yield context.df.callActivity(VERIFICATION.check, { runId })) as WorkResult;
  });
}
