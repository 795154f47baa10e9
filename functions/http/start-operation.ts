import type { InvocationContext } from '@azure/functions';
import { startOperationResponse } from '../../shared/api/operation-schemas';
import type { Principal } from '../../shared/auth/token-verifier';
import { getServices } from '../../shared/app/services';
import { ConflictError } from '../../shared/errors';
import type { ManagedTenant, Membership } from '../../shared/workspaces/models';
import type { RouteResponseSpec } from '../../shared/api/route-spec';
import { durableDispatcher } from '../../orchestrations/runs/durable-dispatcher';
import { requireTenant, type RouteResult } from './route';

/**
 * The tenant of a start route's path, not read yet: the gate reads it only when it creates a run
 * (404 then for a tenant that is not the workspace's), so a deduplicated or refused start is answered
 * with two point reads after the caller's membership.
 */
export interface TenantOfPath {
  workspaceId: string;
  tenantId: string;
}

/** What every start route answers; `deduplicated` says when a second start is the same operation. */
export function startResponses(deduplicated: string) {
  return {
    202: { description: 'Started', schema: startOperationResponse },
    200: { description: deduplicated, schema: startOperationResponse },
    409: { description: 'Another operation is active on the tenant', problems: ['scope_busy'] },
    503: { description: 'Recorded as failed; try again', problems: ['dispatch_failed'] },
  } satisfies Record<number, RouteResponseSpec>;
}

/**
 * Every route that starts an operation goes through the one gate and answers the same way:
 * 202 started, 200 deduplicated, 409 `scope_busy` naming the active run (503 from the gate itself).
 */
export async function startOperation(
  caller: { principal: Principal; membership: Membership; invocation: InvocationContext },
  tenant: ManagedTenant | TenantOfPath,
  body: { type: string } & Record<string, unknown>,
): Promise<RouteResult> {
  const scope =
    'displayName' in tenant
      ? { workspaceId: tenant.workspaceId, tenantId: tenant.id, tenantName: tenant.displayName }
      : { ...tenant, tenantName: async () => (await requireTenant(getServices(), tenant)).displayName };
  const outcome = await getServices().operations.start(
    caller.principal,
    caller.membership,
    scope,
    body,
    durableDispatcher(caller.invocation),
  );
  if (outcome.kind === 'busy') {
    const { activeRun } = outcome;
    throw new ConflictError('scope_busy', `Another operation (${activeRun.type}) is active on this tenant.`, {
      activeRun: { id: activeRun.id, type: activeRun.type, status: activeRun.status, links: activeRun.links },
    });
  }
  const deduplicated = outcome.kind === 'deduplicated';
  return {
    status: deduplicated ? 200 : 202,
    body: { run: getServices().catalog.described(outcome.run), deduplicated },
    headers: { location: outcome.run.links.self },
  };
}
