import type { InvocationContext } from '@azure/functions';
import { startOperationResponse } from '../../shared/api/operation-schemas';
import type { Principal } from '../../shared/auth/token-verifier';
import { getServices } from '../../shared/app/services';
import { ConflictError } from '../../shared/errors';
import type { Membership } from '../../shared/workspaces/models';
import { durableDispatcher } from '../../orchestrations/runs/durable-dispatcher';
import type { RouteResult } from './route';

/** What every start route answers; `deduplicated` says when a second start is the same operation. */
export function startResponses(deduplicated: string) {
  return {
    202: { description: 'Started', schema: startOperationResponse },
    200: { description: deduplicated, schema: startOperationResponse },
    409: { description: '`scope_busy`: another operation is active on the tenant' },
    503: { description: '`dispatch_failed`: recorded as failed, try again' },
  };
}

/**
 * Every route that starts an operation goes through the one gate and answers the same way:
 * 202 started, 200 deduplicated, 409 `scope_busy` naming the active run (503 from the gate itself).
 */
export async function startOperation(
  caller: { principal: Principal; membership: Membership; invocation: InvocationContext },
  scope: { workspaceId: string; tenantId: string },
  body: { type: string } & Record<string, unknown>,
): Promise<RouteResult> {
  const outcome = await getServices().operations.start(
    caller.principal,
    caller.membership,
    { workspaceId: scope.workspaceId, tenantId: scope.tenantId },
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
    body: { run: outcome.run, deduplicated },
    headers: { location: outcome.run.links.self },
  };
}
