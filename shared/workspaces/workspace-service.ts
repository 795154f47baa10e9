import type { Container } from '@azure/cosmos';
import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit';
import type { Principal } from '../auth/token-verifier';
import { ConflictError, NotFoundError } from '../errors';
import type { Role } from '../authz/capabilities';
import { readItem, updateWithEtag, withoutSystemFields } from '../store/documents';
import { membershipId, type ManagedTenant, type Membership, type Workspace } from './models';
import type { Clock } from '../clock';

export interface WorkspaceContainers {
  workspaces: Container;
  memberships: Container;
  tenants: Container;
}

/** Workspaces, their members and their managed tenants. Authorization happens before these calls. */
export class WorkspaceService {
  constructor(
    private readonly containers: WorkspaceContainers,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async create(principal: Principal, name: string, id: string = randomUUID()): Promise<Workspace> {
    const now = this.clock.now().toISOString();
    const workspace: Workspace = { id, name, createdAt: now, createdBy: principal.userId };
    await this.containers.workspaces.items.create(workspace);
    await this.putMembership(
      workspace.id,
      principal.userId,
      principal.displayName,
      'owner',
      principal.userId,
    );
    await this.audit.record({
      workspaceId: id,
      actor: actorOf(principal),
      action: 'workspace.create',
      target: { type: 'workspace', id },
      outcome: 'success',
      metadata: { name },
    });
    return workspace;
  }

  async get(workspaceId: string): Promise<Workspace | undefined> {
    const doc = await readItem<Workspace>(this.containers.workspaces, workspaceId, workspaceId);
    return doc && withoutSystemFields(doc);
  }

  async membership(workspaceId: string, userId: string): Promise<Membership | undefined> {
    const doc = await readItem<Membership>(
      this.containers.memberships,
      membershipId(workspaceId, userId),
      workspaceId,
    );
    return doc && withoutSystemFields(doc);
  }

  async listForUser(userId: string): Promise<Array<Workspace & { role: Role }>> {
    const { resources } = await this.containers.memberships.items
      .query<Membership>({
        query: 'SELECT * FROM c WHERE c.userId = @userId',
        parameters: [{ name: '@userId', value: userId }],
      })
      .fetchAll();
    const workspaces = await Promise.all(
      resources.map(async (m) => {
        const workspace = await this.get(m.workspaceId);
        return workspace && !workspace.deletion ? { ...workspace, role: m.role } : undefined;
      }),
    );
    return workspaces.filter((w) => w !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  }

  async listMembers(workspaceId: string): Promise<Membership[]> {
    const { resources } = await this.containers.memberships.items
      .query<Membership>(
        {
          query: 'SELECT * FROM c WHERE c.workspaceId = @workspaceId ORDER BY c.addedAt',
          parameters: [{ name: '@workspaceId', value: workspaceId }],
        },
        { partitionKey: workspaceId },
      )
      .fetchAll();
    return resources.map((doc) => withoutSystemFields(doc));
  }

  /** Adds a member or changes a role. The last owner cannot be demoted: a workspace always has one. */
  async setMember(
    actor: Principal,
    workspaceId: string,
    userId: string,
    role: Role,
    displayName: string | undefined,
  ): Promise<Membership> {
    const existing = await this.membership(workspaceId, userId);
    if (existing?.role === 'owner' && role !== 'owner') await this.ensureAnotherOwner(workspaceId, userId);
    const membership = existing
      ? await updateWithEtag<Membership>(this.containers.memberships, existing.id, workspaceId, (m) => ({
          ...m,
          role,
          displayName: displayName ?? m.displayName,
        }))
      : await this.putMembership(workspaceId, userId, displayName ?? userId, role, actor.userId);
    await this.audit.record({
      workspaceId,
      actor: actorOf(actor),
      action: existing ? 'member.role_change' : 'member.add',
      target: { type: 'member', id: userId },
      outcome: 'success',
      metadata: { role, ...(existing && { previousRole: existing.role }) },
    });
    return withoutSystemFields(membership);
  }

  async removeMember(actor: Principal, workspaceId: string, userId: string): Promise<void> {
    const existing = await this.membership(workspaceId, userId);
    if (!existing) throw new NotFoundError('The member');
    if (existing.role === 'owner') await this.ensureAnotherOwner(workspaceId, userId);
    await this.containers.memberships.item(existing.id, workspaceId).delete();
    await this.audit.record({
      workspaceId,
      actor: actorOf(actor),
      action: 'member.remove',
      target: { type: 'member', id: userId },
      outcome: 'success',
      metadata: { role: existing.role },
    });
  }

  async listTenants(workspaceId: string, includeArchived: boolean): Promise<ManagedTenant[]> {
    const { resources } = await this.containers.tenants.items
      .query<ManagedTenant>(
        {
          query: `SELECT * FROM c WHERE c.workspaceId = @workspaceId AND c.kind = 'tenant'${includeArchived ? '' : " AND c.status = 'active'"} ORDER BY c.name`,
          parameters: [{ name: '@workspaceId', value: workspaceId }],
        },
        { partitionKey: workspaceId },
      )
      .fetchAll();
    return resources.map((doc) => withoutSystemFields(doc));
  }

  async getTenant(workspaceId: string, tenantId: string): Promise<ManagedTenant | undefined> {
    const doc = await readItem<ManagedTenant>(this.containers.tenants, tenantId, workspaceId);
    return doc?.kind === 'tenant' ? withoutSystemFields(doc) : undefined;
  }

  async addTenant(
    actor: Principal,
    workspaceId: string,
    input: { name: string; displayName?: string; entraTenantId?: string; domain?: string },
    id: string = randomUUID(),
  ): Promise<ManagedTenant> {
    const duplicate = (await this.listTenants(workspaceId, true)).find(
      (t) =>
        t.name.toLowerCase() === input.name.toLowerCase() ||
        (input.entraTenantId && t.entraTenantId === input.entraTenantId),
    );
    if (duplicate) {
      throw new ConflictError(
        'tenant_exists',
        'A managed tenant with this name or Entra tenant id already exists.',
        {
          tenantId: duplicate.id,
        },
      );
    }
    const tenant: ManagedTenant = {
      id,
      kind: 'tenant',
      workspaceId,
      name: input.name,
      displayName: input.displayName ?? input.name,
      entraTenantId: input.entraTenantId ?? null,
      domain: input.domain ?? null,
      status: 'active',
      defaultConnectionId: null,
      createdAt: this.clock.now().toISOString(),
      createdBy: actor.userId,
      archivedAt: null,
    };
    await this.containers.tenants.items.create(tenant);
    await this.audit.record({
      workspaceId,
      tenantId: id,
      actor: actorOf(actor),
      action: 'tenant.add',
      target: { type: 'tenant', id },
      outcome: 'success',
      metadata: { name: input.name },
    });
    return tenant;
  }

  async updateTenant(
    actor: Principal,
    workspaceId: string,
    tenantId: string,
    change: { displayName?: string; status?: 'active' | 'archived' },
  ): Promise<ManagedTenant> {
    const updated = await updateWithEtag<ManagedTenant>(
      this.containers.tenants,
      tenantId,
      workspaceId,
      (t) => ({
        ...t,
        ...(change.displayName !== undefined && { displayName: change.displayName }),
        ...(change.status !== undefined && {
          status: change.status,
          archivedAt: change.status === 'archived' ? (t.archivedAt ?? this.clock.now().toISOString()) : null,
        }),
      }),
      'The managed tenant',
    );
    await this.audit.record({
      workspaceId,
      tenantId,
      actor: actorOf(actor),
      action: change.status === 'archived' ? 'tenant.archive' : 'tenant.update',
      target: { type: 'tenant', id: tenantId },
      outcome: 'success',
      metadata: change,
    });
    return withoutSystemFields(updated);
  }

  private async putMembership(
    workspaceId: string,
    userId: string,
    displayName: string,
    role: Role,
    addedBy: string,
  ) {
    const membership: Membership = {
      id: membershipId(workspaceId, userId),
      workspaceId,
      userId,
      role,
      displayName,
      addedAt: this.clock.now().toISOString(),
      addedBy,
    };
    await this.containers.memberships.items.create(membership);
    return membership;
  }

  private async ensureAnotherOwner(workspaceId: string, leavingOwner: string): Promise<void> {
    const owners = (await this.listMembers(workspaceId)).filter(
      (m) => m.role === 'owner' && m.userId !== leavingOwner,
    );
    if (owners.length === 0) {
      throw new ConflictError('last_owner', 'A workspace needs at least one owner: add another owner first.');
    }
  }
}

export function actorOf(principal: Principal) {
  return { kind: 'user' as const, userId: principal.userId, displayName: principal.displayName };
}
