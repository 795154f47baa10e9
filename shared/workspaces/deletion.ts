import type { Container } from '@azure/cosmos';
import type { AuditLog } from '../audit/audit';
import type { Principal } from '../auth/token-verifier';
import type { Clock } from '../clock';
import { NotFoundError, ValidationError } from '../errors';
import { updateWithEtag } from '../store/documents';
import type { ManagedTenant, Workspace } from './models';
import { actorOf, type WorkspaceService } from './workspace-service';

export interface WorkspaceDeletionDeps {
  workspaces: WorkspaceService;
  containers: {
    workspaces: Container;
    memberships: Container;
    tenants: Container;
    drift: Container;
    driftSummaries: Container;
  };
  audit: AuditLog;
  clock: Clock;
  /** Takes a user out of the live groups of the workspace's tenants (open connections included). */
  revokeLive(userId: string, workspaceId: string): Promise<void>;
  /** WORKSPACE_PURGE_AFTER_DAYS. */
  purgeAfterDays: number;
}

export interface DeletedWorkspace {
  id: string;
  deletedAt: string;
  purgeAfter: string;
}

/**
 * Workspace deletion, in two steps. The soft delete (owners, audited) hides everything at once: the
 * workspace is marked, its tenants leave `active` (so no schedule fires for them), every membership is
 * removed (so every route answers 404 and no member can subscribe to live updates) and open live
 * connections leave the tenants' groups. After WORKSPACE_PURGE_AFTER_DAYS a `tenant.purge` run per
 * tenant deletes the data (purge.ts), then `finishPurges` removes the workspace itself. Audit events
 * stay (they name ids and actions, never configuration content).
 *
 * Every step is safe to repeat: a retried delete (the answer lost, or the process killed half-way)
 * finds the mark already set and completes what is missing.
 */
export class WorkspaceDeletion {
  constructor(private readonly deps: WorkspaceDeletionDeps) {}

  async softDelete(
    principal: Principal,
    workspaceId: string,
    confirmName: string,
  ): Promise<DeletedWorkspace> {
    const { containers, clock, audit } = this.deps;
    const current = await this.deps.workspaces.get(workspaceId);
    if (!current) throw new NotFoundError('The workspace');
    if (current.name !== confirmName) {
      throw new ValidationError('Type the workspace name to confirm its deletion.', [
        { path: 'query.confirm', message: 'Does not match the workspace name.' },
      ]);
    }
    const members = await this.deps.workspaces.listMembers(workspaceId);
    const now = clock.now();
    const marked = await updateWithEtag<Workspace>(
      containers.workspaces,
      workspaceId,
      workspaceId,
      (workspace) =>
        workspace.deletion
          ? undefined
          : {
              ...workspace,
              deletion: {
                deletedAt: now.toISOString(),
                deletedBy: principal.userId,
                purgeAfter: new Date(now.getTime() + this.deps.purgeAfterDays * 86_400_000).toISOString(),
                formerMembers: members.map((m) => ({ userId: m.userId, role: m.role })),
              },
            },
      'The workspace',
    );
    const deletion = marked.deletion!;
    for (const tenant of await this.deps.workspaces.listTenants(workspaceId, true)) {
      await updateWithEtag<ManagedTenant>(containers.tenants, tenant.id, workspaceId, (t) =>
        t.status === 'deleted' ? undefined : { ...t, status: 'deleted' },
      );
    }
    const formerMembers = new Set([...deletion.formerMembers, ...members].map((m) => m.userId));
    for (const userId of formerMembers) {
      await containers.memberships
        .item(`${workspaceId}:${userId}`, workspaceId)
        .delete()
        .catch(ignoreNotFound);
      await this.deps.revokeLive(userId, workspaceId);
    }
    await audit.record({
      workspaceId,
      actor: actorOf(principal),
      action: 'workspace.delete',
      target: { type: 'workspace', id: workspaceId },
      outcome: 'success',
      metadata: { name: marked.name, purgeAfter: deletion.purgeAfter, members: formerMembers.size },
      idempotencyKey: `workspace.delete:${workspaceId}:${deletion.deletedAt}`,
    });
    return { id: workspaceId, deletedAt: deletion.deletedAt, purgeAfter: deletion.purgeAfter };
  }

  /** Deleted workspaces whose retention has passed, with their tenants still to purge. */
  async duePurges(): Promise<Array<{ workspace: Workspace; tenants: ManagedTenant[] }>> {
    const { resources } = await this.deps.containers.workspaces.items
      .query<Workspace>({
        query: 'SELECT * FROM c WHERE IS_DEFINED(c.deletion) AND c.deletion.purgeAfter <= @now',
        parameters: [{ name: '@now', value: this.deps.clock.now().toISOString() }],
      })
      .fetchAll();
    return Promise.all(
      resources.map(async (workspace) => ({
        workspace,
        tenants: await this.deps.workspaces.listTenants(workspace.id, true),
      })),
    );
  }

  /** The last step, once every tenant is purged: the workspace document goes (the audit stays). */
  async removePurgedWorkspace(workspace: Workspace): Promise<void> {
    const { containers, audit } = this.deps;
    // Memberships a half-finished soft delete left behind go first, then the workspace.
    for (const member of workspace.deletion?.formerMembers ?? []) {
      await containers.memberships
        .item(`${workspace.id}:${member.userId}`, workspace.id)
        .delete()
        .catch(ignoreNotFound);
    }
    // Baselines (and what is left of their findings and summaries) belong to the workspace, not to a tenant.
    for (const drift of [containers.drift, containers.driftSummaries]) {
      const { resources: driftDocs } = await drift.items
        .query<{ id: string }>(
          {
            query: 'SELECT c.id FROM c WHERE c.workspaceId = @w',
            parameters: [{ name: '@w', value: workspace.id }],
          },
          { partitionKey: workspace.id },
        )
        .fetchAll();
      for (const doc of driftDocs) await drift.item(doc.id, workspace.id).delete().catch(ignoreNotFound);
    }
    await audit.record({
      workspaceId: workspace.id,
      actor: { kind: 'system' },
      action: 'workspace.purge',
      target: { type: 'workspace', id: workspace.id },
      outcome: 'success',
      metadata: { deletedAt: workspace.deletion?.deletedAt ?? null },
      idempotencyKey: `workspace.purge:${workspace.id}`,
    });
    await containers.workspaces.item(workspace.id, workspace.id).delete().catch(ignoreNotFound);
  }
}

export function ignoreNotFound(error: unknown): void {
  if ((error as { code?: number }).code !== 404) throw error;
}
