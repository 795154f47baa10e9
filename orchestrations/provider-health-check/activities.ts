import { getContract } from '../../shared/graph';
import { toRunFailure } from '../../shared/operations/model';
import type { RunStore } from '../../shared/operations/run-store';
import type { ConnectionService } from '../../shared/providers/connection-service';
import type { GraphForRun } from '../../shared/providers/graph-access';
import type { RunInput, WorkResult } from '../runs/contract';
import type { Activities } from '../runs/register';
import { HEALTH_CHECK } from './contract';

export interface ProviderActivityDeps {
  runs: RunStore;
  graphForRun: GraphForRun;
  connections: ConnectionService;
}

/**
 * Acquires a token with the connection and makes one cheap read (the app's own service principal),
 * recording the latency, or the reason code when it fails, on the run and on the connection.
 */
export function createHealthCheckActivities(deps: () => ProviderActivityDeps): Activities {
  return {
    [HEALTH_CHECK.probe]: async ({ runId }: RunInput): Promise<WorkResult> => {
      const { runs, graphForRun, connections } = deps();
      const run = await runs.require(runId);
      const started = performance.now();
      let access: Awaited<ReturnType<GraphForRun>> | undefined;
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
        await connections.recordHealthCheck(run, access.connection, {
          status: 'succeeded',
          reasonCode: null,
        });
        return { outcome: 'succeeded', result: { latencyMs, connectionId: access.connection.id } };
      } catch (error) {
        const failure = toRunFailure(error);
        if (access)
          await connections.recordHealthCheck(run, access.connection, {
            status: 'failed',
            reasonCode: failure.reasonCode,
          });
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
  };
}
