import { getContract, subResourceRequest, type GraphClient } from '../../shared/graph';
import { toRunFailure } from '../../shared/operations/model';
import { MICROSOFT_GRAPH_APP_ID, verifyPermissions } from '../../shared/providers/verification';
import type { ProviderActivityDeps } from '../provider-health-check/activities';
import type { RunInput, WorkResult } from '../runs/contract';
import type { Activities } from '../runs/register';
import { VERIFICATION } from './contract';

interface ServicePrincipal {
  id: string;
  appId: string;
  appRoles?: Array<{ id: string; value: string | null }>;
}

async function principalOf(
  client: GraphClient,
  appId: string,
  correlation: { runId: string; tenantId: string },
) {
  for await (const item of client.listAll(getContract('servicePrincipals'), {
    namedFilter: { name: 'byAppId', params: { appId } },
    correlation,
  })) {
    return item as unknown as ServicePrincipal;
  }
  return undefined;
}

/**
 * Reads what the tenant granted the connection's app (its service principal's app role assignments on
 * Microsoft Graph, named through Graph's own app roles) and reports, per feature, what is missing.
 */
export function createVerificationActivities(deps: () => ProviderActivityDeps): Activities {
  return {
    [VERIFICATION.check]: async ({ runId }: RunInput): Promise<WorkResult> => {
      const { runs, graphForRun } = deps();
      const run = await runs.require(runId);
      const correlation = { runId, tenantId: run.tenantId };
      try {
        const { client, connection } = await graphForRun(run);
        const [ours, graph] = await Promise.all([
          principalOf(client, connection.clientId, correlation),
          principalOf(client, MICROSOFT_GRAPH_APP_ID, correlation),
        ]);
        if (!ours || !graph) {
          return {
            outcome: 'failed',
            failures: [
              {
                reasonCode: 'provider_not_configured',
                message: 'The app has no service principal in the tenant (no admin consent yet).',
              },
            ],
          };
        }
        const roleNames = new Map((graph.appRoles ?? []).map((role) => [role.id, role.value ?? role.id]));
        const assignments: Array<{ appRoleId: string; resourceId: string }> = [];
        for await (const page of client.pages(
          subResourceRequest(getContract('servicePrincipals'), ours.id, 'appRoleAssignments'),
          {
            correlation,
          },
        )) {
          assignments.push(...(page.items as unknown as typeof assignments));
        }
        const granted = assignments
          .filter((a) => a.resourceId === graph.id)
          .map((a) => roleNames.get(a.appRoleId) ?? a.appRoleId);
        const report = verifyPermissions(granted);
        return { outcome: 'succeeded', result: { connectionId: connection.id, ...report } };
      } catch (error) {
        return { outcome: 'failed', failures: [toRunFailure(error)] };
      }
    },
  };
}
