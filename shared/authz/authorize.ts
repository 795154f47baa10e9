import type { AuditLog } from '../audit/audit';
import type { Principal } from '../auth/token-verifier';
import { ForbiddenError, NotFoundError } from '../errors';
import type { Membership } from '../workspaces/models';
import type { WorkspaceService } from '../workspaces/workspace-service';
import { roleHasCapability, type Capability } from './capabilities';

/**
 * The one authorization step of every workspace-scoped request. Not a member → 404 (the workspace
 * "does not exist" for the caller); member without the capability → 403, audited.
 */
export async function authorizeInWorkspace(
  deps: { workspaces: WorkspaceService; audit: AuditLog },
  principal: Principal,
  workspaceId: string,
  capability: Capability,
  context: { route: string; tenantId?: string },
): Promise<Membership> {
  const membership = await deps.workspaces.membership(workspaceId, principal.userId);
  if (!membership) throw new NotFoundError('The workspace');
  await requireCapability(deps, principal, membership, capability, context);
  return membership;
}

/** The capability half of the step, for a membership already resolved (403, audited). */
export async function requireCapability(
  deps: { audit: AuditLog },
  principal: Principal,
  membership: Membership,
  capability: Capability,
  context: { route: string; tenantId?: string },
): Promise<void> {
  if (!roleHasCapability(membership.role, capability)) {
    await deps.audit.record({
      workspaceId: membership.workspaceId,
      tenantId: context.tenantId ?? null,
      actor: { kind: 'user', userId: principal.userId, displayName: principal.displayName },
      action: 'authorization.denied',
      target: { type: 'route', id: context.route },
      outcome: 'denied',
      metadata: { capability, role: membership.role },
    });
    throw new ForbiddenError(capability);
  }
}
