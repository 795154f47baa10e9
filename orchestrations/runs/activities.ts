import * as df from 'durable-functions';
import { getServices } from '../../shared/app/services';
import { RUN_ACTIVITIES, type RunInput, type WorkResult } from './contract';

df.app.activity(RUN_ACTIVITIES.markRunning, {
  handler: async ({ runId }: RunInput) => {
    const run = await getServices().lifecycle.markRunning(runId);
    return { status: run.status };
  },
});

df.app.activity(RUN_ACTIVITIES.complete, {
  handler: async ({ runId, completion }: RunInput & { completion: WorkResult }) => {
    const run = await getServices().lifecycle.complete(runId, completion);
    return { status: run.status, outcome: run.outcome };
  },
});
