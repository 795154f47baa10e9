import type { InvocationContext } from '@azure/functions';
import type { Principal } from '../../shared/auth/token-verifier';
import { getServices } from '../../shared/app/services';
import { ConflictError } from '../../shared/errors';
import { describedRun } from '../../shared/operations/run-types';
import type { ManagedTenant, Membership } from '../../shared/workspaces/models';
import { durableDispatcher } from './durable-dispatcher';
import type { RouteResult } from './route';

/**
 * Every route that starts an operation goes through the one gate and answers the same way:
 * 202 started, 200 deduplicated, 409 `scope_busy` naming the active run (503 from the gate itself).
 */
export async function startOperation(
  caller: { principal: Principal; membership: Membership | undefined; invocation: InvocationContext },
  tenant: ManagedTenant,
  body: { type: string } & Record<string, unknown>,
): Promise<RouteResult> {
  const outcome = await getServices().operations.start(
    caller.principal,
    caller.membership!,
    { workspaceId: tenant.workspaceId, tenantId: tenant.id, tenantName: tenant.displayName },
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
    body: { run: describedRun(outcome.run), deduplicated },
    headers: { location: outcome.run.links.self },
  };
}
