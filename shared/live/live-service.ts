import type { Principal } from '../auth/token-verifier';
import { NotFoundError } from '../errors';
import type { WorkspaceService } from '../workspaces/workspace-service';
import { tenantGroup } from './names';
import type { ClientConnectionInfo, LiveHub } from './signalr-rest';
import type { Clock } from '../clock';

/**
 * How long a subscription lasts. Group membership by user id outlives connections (Azure keeps it for
 * the user's future connections), so it also expires as a second line of defence; removal from a
 * workspace revokes it at once (`removeMember`). Clients subscribe again on (re)connect and before it ends.
 */
export const SUBSCRIPTION_TTL_SECONDS = 3600;

export interface Subscription {
  groups: Array<{ tenantId: string; group: string }>;
  expiresAt: string;
}

/** Negotiate and tenant subscriptions: the caller's identity always comes from the verified token. */
export class LiveService {
  constructor(private readonly deps: { hub: LiveHub; workspaces: WorkspaceService; clock: Clock }) {}

  negotiate(principal: Principal): Promise<ClientConnectionInfo> {
    return this.deps.hub.clientConnection(principal.userId);
  }

  /**
   * Joins the caller to the groups of the workspace's tenants (all, or those named). The route has
   * already checked that the caller may view the workspace; tenants of other workspaces are not found.
   */
  async subscribe(principal: Principal, workspaceId: string, tenantIds?: string[]): Promise<Subscription> {
    const tenants = await this.deps.workspaces.listTenants(workspaceId, false);
    const known = new Set(tenants.map((t) => t.id));
    const unknown = tenantIds?.find((id) => !known.has(id));
    if (unknown !== undefined) throw new NotFoundError('The tenant');
    const chosen = tenantIds ? [...new Set(tenantIds)] : [...known];
    const groups = chosen.map((tenantId) => ({ tenantId, group: tenantGroup(tenantId) }));
    const expiresAt = new Date(
      this.deps.clock.now().getTime() + SUBSCRIPTION_TTL_SECONDS * 1000,
    ).toISOString();
    await this.deps.hub.addUserToGroups(
      principal.userId,
      groups.map((g) => g.group),
      SUBSCRIPTION_TTL_SECONDS,
    );
    return { groups, expiresAt };
  }

  /**
   * Ends a user's live access to a workspace at once: out of every tenant group of it (archived
   * tenants too), on open connections and for later ones. Safe to repeat; used after the membership is
   * gone, so a subscribe racing with it is refused by the membership check.
   */
  async revokeWorkspace(userId: string, workspaceId: string): Promise<void> {
    const tenants = await this.deps.workspaces.listTenants(workspaceId, true);
    await this.deps.hub.removeUserFromGroups(
      userId,
      tenants.map((t) => tenantGroup(t.id)),
    );
  }

  /**
   * Removes a member and their live access. A retry after a lost answer (the member already gone)
   * still revokes, then answers not found as before.
   */
  async removeMember(actor: Principal, workspaceId: string, userId: string): Promise<void> {
    const removal = await this.deps.workspaces
      .removeMember(actor, workspaceId, userId)
      .then(() => undefined)
      .catch((error: unknown) => {
        if (error instanceof NotFoundError) return error;
        throw error;
      });
    await this.revokeWorkspace(userId, workspaceId);
    if (removal) throw removal;
  }
}
