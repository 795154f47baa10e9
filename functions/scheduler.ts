import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { getServices } from '../shared/app/services';
import { runSchedulerTick } from '../shared/schedules/scheduler';
import { durableDispatcher } from '../orchestrations/runs/durable-dispatcher';

/**
 * Starts due backup schedules, every minute. Each (schedule, fire time) runs at most once however often
 * this fires or on how many hosts; after downtime each schedule gets one catch-up run for its latest
 * missed slot. "Now" is the real clock: tests and the benchmark make slots due by setting schedules up
 * with fire times in the past, not by bending time.
 */
app.timer('backupScheduler', {
  schedule: '0 * * * * *',
  extraInputs: [df.input.durableClient()],
  handler: async (timer, context) => {
    const summary = await runSchedulerTick(
      getServices().scheduler(durableDispatcher(context), (message) => context.log(message)),
    );
    // One parseable line per tick: operators read it, `npm run bench:scheduler` measures with it.
    const line = `backupScheduler tick ${JSON.stringify({ isPastDue: timer.isPastDue, ...summary })}`;
    if (timer.isPastDue || summary.errors > 0) context.warn(line);
    else if (summary.due > 0) context.log(line);
  },
});
