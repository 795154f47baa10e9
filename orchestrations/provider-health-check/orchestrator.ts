import type { OrchestrationContext } from 'durable-functions';
import type { WorkResult } from '../runs/contract';
import { runLifecycle } from '../runs/lifecycle';
import { HEALTH_CHECK } from './contract';

/** One probe activity inside the run lifecycle. */
export function* providerHealthCheck(context: OrchestrationContext) {
  return yield* runLifecycle(context, function* (runId) {
    return (yield context.df.callActivity(HEALTH_CHECK.probe, { runId })) as WorkResult;
  });
}
