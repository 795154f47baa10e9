import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { WorkResult } from '../runs/contract';
import { runLifecycle } from '../runs/lifecycle';
import { HEALTH_CHECK } from './contract';

df.app.orchestration(HEALTH_CHECK.orchestrator, function* (context: OrchestrationContext) {
  return yield* runLifecycle(context, function* (runId) {
    return (yield context.df.callActivity(HEALTH_CHECK.probe, { runId })) as WorkResult;
  });
});
