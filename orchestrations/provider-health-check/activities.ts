import * as df from 'durable-functions';
import { getServices } from '../../shared/app/services';
import { getContract } from '../../shared/graph';
import { toRunFailure } from '../../shared/operations/model';
import { graphForRun } from '../../shared/providers/graph-access';
import { recordHealthCheck } from '../../shared/providers/health';
import type { RunInput, WorkResult } from '../runs/contract';
import { HEALTH_CHECK } from './contract';

/**
 * Acquires a token with the connection and makes one cheap read (the app's own service principal),
 * recording the latency, or the reason code when it fails, on the run and on the connection.
 */
df.app.activity(HEALTH_CHECK.probe, {
  handler: async ({ runId }: RunInput): Promise<WorkResult> => {
    const run = await getServices().runs.require(runId);
    const started = performance.now();
    let access: Awaited<ReturnType<typeof graphForRun>> | undefined;
    try {
      access = await graphForRun(run);
      const pages = access.client.listPages(getContract('servicePrincipals'), {
        namedFilter: { name: 'byAppId', params: { appId: access.connection.clientId } },
        top: 1,
        select: ['id', 'appId'],
        correlation: { runId, tenantId: run.tenantId },
      });
      await pages.next();
      await pages.return(undefined);
      const latencyMs = Math.round(performance.now() - started);
      await recordHealthCheck(run, access.connection, { status: 'succeeded', reasonCode: null });
      return { outcome: 'succeeded', result: { latencyMs, connectionId: access.connection.id } };
    } catch (error) {
      const failure = toRunFailure(error);
      if (access)
        await recordHealthCheck(run, access.connection, { status: 'failed', reasonCode: failure.reasonCode });
      return {
        outcome: 'failed',
        failures: [failure],
        result: {
          latencyMs: Math.round(performance.now() - started),
          connectionId: access?.connection.id ?? null,
        },
      };
    }
  },
});
