import type { AuditLog } from '../audit/audit';
import type { Principal } from '../auth/token-verifier';
import { ConflictError, NotFoundError } from '../errors';
import { isActive } from '../operations/model';
import type { RunStore } from '../operations/run-store';
import type { ManagedTenant } from '../workspaces/models';
import { actorOf } from '../workspaces/workspace-service';
import type { BackupStore } from './backup-store';
import type { BackupItem, BackupSet, BackupSetView } from './model';

/** Manifest pages returned per request of a set's items (up to 500 items each). */
const PAGES_PER_REQUEST = 4;

/** Reading and managing backup sets (DB only: nothing here reaches Graph). */
export class BackupService {
  constructor(private readonly deps: { store: BackupStore; audit: AuditLog; runs: RunStore }) {}

  async list(
    tenant: ManagedTenant,
    query: { scheduleId?: string; limit: number; continuationToken?: string },
  ): Promise<{ items: BackupSetView[]; continuationToken?: string }> {
    const page = await this.deps.store.listSets({
      workspaceId: tenant.workspaceId,
      tenantId: tenant.id,
      ...query,
    });
    return { ...page, items: page.items.map(view) };
  }

  async require(tenant: ManagedTenant, id: string): Promise<BackupSet> {
    const set = await this.deps.store.getSet(tenant.id, id);
    if (!set || set.workspaceId !== tenant.workspaceId) throw new NotFoundError('The backup set');
    return set;
  }

  /** The set with a page of its items (follow `itemsContinuationToken` for the rest). */
  async get(
    tenant: ManagedTenant,
    id: string,
    continuationToken?: string,
  ): Promise<BackupSetView & { items: BackupItem[]; itemsContinuationToken?: string }> {
    const set = await this.require(tenant, id);
    const page = await this.deps.store.items(tenant.id, id, {
      maxPages: PAGES_PER_REQUEST,
      continuationToken,
    });
    return {
      ...view(set),
      items: page.items,
      ...(page.continuationToken && { itemsContinuationToken: page.continuationToken }),
    };
  }

  async update(
    principal: Principal,
    tenant: ManagedTenant,
    id: string,
    change: { name?: string; pinned?: boolean },
  ): Promise<BackupSetView> {
    await this.require(tenant, id);
    const updated = await this.deps.store.updateSet(tenant.id, id, (set) => ({
      ...set,
      ...(change.name !== undefined && { name: change.name }),
      ...(change.pinned !== undefined && { pinned: change.pinned }),
    }));
    const action =
      change.pinned === undefined ? 'backup.update' : change.pinned ? 'backup.pin' : 'backup.unpin';
    await this.record(principal, updated, action, change);
    return view(updated);
  }

  /**
   * Deletes a finished, unpinned set. Policy versions only it pinned are collected by the next garbage
   * collection of the tenant (after a backup), which runs under the tenant's scope.
   */
  async delete(principal: Principal, tenant: ManagedTenant, id: string): Promise<void> {
    const set = await this.require(tenant, id);
    // A set whose run has ended is not in progress any more, whatever it says (a run that died midway).
    const run = set.status === 'in_progress' ? await this.deps.runs.get(set.runId) : undefined;
    if (run && isActive(run))
      throw new ConflictError('backup_in_progress', 'The backup is still being made.', { runId: set.runId });
    if (set.pinned) throw new ConflictError('backup_pinned', 'The backup set is pinned; unpin it first.');
    await this.deps.store.deleteSet(tenant.id, id);
    await this.record(principal, set, 'backup.delete', { name: set.name, items: set.counts.total });
  }

  private record(principal: Principal, set: BackupSet, action: string, metadata: Record<string, unknown>) {
    return this.deps.audit.record({
      workspaceId: set.workspaceId,
      tenantId: set.tenantId,
      actor: actorOf(principal),
      action,
      target: { type: 'backup_set', id: set.id },
      outcome: 'success',
      metadata,
    });
  }
}

function view(set: BackupSet): BackupSetView {
  const { kind: _kind, ...rest } = set;
  return rest;
}
