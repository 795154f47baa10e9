import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { getServices } from '../shared/app/services';
import { durableDispatcher } from '../orchestrations/runs/durable-dispatcher';
import { purgeDeletedWorkspaces } from '../shared/workspaces/purge-timer';

/**
 * Ends stale runs (no heartbeat past their type's threshold) even when nobody starts another one, and
 * starts the orchestration of a queued run whose dispatch was lost.
 */
app.timer('sweepStaleRuns', {
  schedule: '30 * * * * *',
  extraInputs: [df.input.durableClient()],
  handler: async (timer, context) => {
    if (timer.isPastDue) context.warn('sweepStaleRuns is running late (isPastDue).');
    const { failed, redispatched } = await getServices().operations.sweepStale(durableDispatcher(context));
    for (const run of failed)
      context.log(`Run ${run.id} (${run.type}) was stale and has been failed with stale_run.`);
    for (const run of redispatched)
      context.log(`Run ${run.id} (${run.type}) was queued without an orchestration; it has been started.`);
  },
});

/**
 * Purges deleted workspaces whose retention (WORKSPACE_PURGE_AFTER_DAYS) has passed: a `tenant.purge`
 * run per remaining tenant, and the workspace document once no tenant is left. Hourly; every step is
 * safe to repeat, on one host or several.
 */
app.timer('purgeDeletedWorkspaces', {
  schedule: '0 17 * * * *',
  extraInputs: [df.input.durableClient()],
  handler: async (_timer, context) => {
    const { workspaceDeletion, gate } = getServices();
    const summary = await purgeDeletedWorkspaces({
      deletion: workspaceDeletion,
      gate: { ...gate, dispatcher: durableDispatcher(context) },
    });
    if (summary.purgesStarted + summary.workspacesRemoved > 0)
      context.log(`purgeDeletedWorkspaces ${JSON.stringify(summary)}`);
  },
});
