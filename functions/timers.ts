import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { getServices } from '../shared/app/services';
import { durableDispatcher } from '../orchestrations/runs/durable-dispatcher';

/** Ends stale runs (no heartbeat past their type's threshold) even when nobody starts another one. */
app.timer('sweepStaleRuns', {
  schedule: '30 * * * * *',
  extraInputs: [df.input.durableClient()],
  handler: async (timer, context) => {
    if (timer.isPastDue) context.warn('sweepStaleRuns is running late (isPastDue).');
    const swept = await getServices().operations.sweepStale(durableDispatcher(context));
    for (const run of swept)
      context.log(`Run ${run.id} (${run.type}) was stale and has been failed with stale_run.`);
  },
});
