import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import type { WorkResult } from '../runs/contract';
import { runLifecycle } from '../runs/lifecycle';
import { VERIFICATION } from './contract';

df.app.orchestration(VERIFICATION.orchestrator, function* (context: OrchestrationContext) {
  return yield* runLifecycle(context, function* (runId) {
    return (yield context.df.callActivity(VERIFICATION.check, { runId })) as WorkResult;
  });
});
