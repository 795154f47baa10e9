import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit';
import type { Principal } from '../auth/token-verifier';
import type { BackupStore } from '../backup/backup-store';
import type { Clock } from '../clock';
import { BadRequestError, NotFoundError } from '../errors';
import { findContract } from '../graph';
import type { WorkspaceService } from '../workspaces/workspace-service';
import {
  type AssignTenantBody,
  type Baseline,
  type BaselineObject,
  type BaselineSource,
  type BaselineView,
  type CreateBaselineBody,
  type UpdateBaselineBody,
} from './model';
import type { DriftStore } from './store';
import type { TenantObjects } from './tenant-objects';

export interface BaselineDeps {
  store: DriftStore;
  audit: AuditLog;
  clock: Clock;
  workspaces: Pick<WorkspaceService, 'getTenant'>;
  backups: Pick<BackupStore, 'getSet' | 'items'>;
  objects: TenantObjects;
}

/** Roles of objects a baseline never holds: groups and the directory are what assignments point at. */
const NOT_COMPARED: ReadonlySet<string> = new Set(['dependency', 'directory', 'internal', 'reference']);

const who = (principal: Principal) => ({ userId: principal.userId, displayName: principal.displayName });

/**
 * Baselines of a workspace: built from a golden tenant's backup set or chosen inventory items, assigned
 * to tenants. Every write is audited; evaluation follows through the container's change feed.
 */
export class BaselineService {
  constructor(private readonly deps: BaselineDeps) {}

  async list(workspaceId: string, page: { limit: number; continuationToken?: string }) {
    const result = await this.deps.store.listBaselines(workspaceId, page);
    return {
      items: result.items.map((baseline) => {
        const { objects, tenants, docType: _d, tenantIds: _t, deletedAt: _x, ...rest } = baseline;
        return { ...rest, objectCount: objects.length, tenantCount: tenants.length };
      }),
      ...(result.continuationToken && { continuationToken: result.continuationToken }),
    };
  }

  async get(workspaceId: string, id: string): Promise<BaselineView> {
    return view(await this.require(workspaceId, id));
  }

  async require(workspaceId: string, id: string): Promise<Baseline> {
    const baseline = await this.deps.store.baseline(workspaceId, id);
    if (!baseline || baseline.deletedAt) throw new NotFoundError('The baseline');
    return baseline;
  }

  async create(principal: Principal, workspaceId: string, body: CreateBaselineBody): Promise<BaselineView> {
    const objects = await this.objectsOf(workspaceId, body.source, body.policyTypes, body.itemIds);
    const now = this.deps.clock.now().toISOString();
    const baseline: Baseline = {
      id: randomUUID(),
      workspaceId,
      docType: 'baseline',
      name: body.name,
      description: body.description,
      source: body.source,
      policyTypes: body.policyTypes,
      itemIds: body.itemIds,
      reportExtras: body.reportExtras,
      objects,
      tenants: [],
      tenantIds: [],
      revision: 1,
      createdAt: now,
      createdBy: who(principal),
      updatedAt: now,
      updatedBy: who(principal),
      deletedAt: null,
    };
    await this.deps.store.createBaseline(baseline);
    await this.audit(principal, baseline, 'baseline.created', null, {
      objects: objects.length,
      source: body.source,
    });
    return view(baseline);
  }

  async update(
    principal: Principal,
    workspaceId: string,
    id: string,
    body: UpdateBaselineBody,
  ): Promise<BaselineView> {
    const current = await this.require(workspaceId, id);
    const rebuild = body.source || body.policyTypes || body.itemIds;
    const source = body.source ?? current.source;
    const policyTypes = body.policyTypes ?? current.policyTypes;
    const itemIds = body.itemIds ?? current.itemIds;
    const objects = rebuild ? await this.objectsOf(workspaceId, source, policyTypes, itemIds) : undefined;
    const now = this.deps.clock.now().toISOString();
    const updated = await this.deps.store.updateBaseline(workspaceId, id, (baseline) => ({
      ...baseline,
      ...(body.name !== undefined && { name: body.name }),
      ...(body.description !== undefined && { description: body.description }),
      ...(body.reportExtras !== undefined && { reportExtras: body.reportExtras }),
      ...(objects && { source, policyTypes, itemIds, objects }),
      revision: baseline.revision + 1,
      updatedAt: now,
      updatedBy: who(principal),
    }));
    await this.audit(principal, updated, 'baseline.updated', null, {
      changed: Object.keys(body),
      objects: updated.objects.length,
    });
    return view(updated);
  }

  /** Marks the baseline deleted; the evaluator removes its findings and then the document. */
  async delete(principal: Principal, workspaceId: string, id: string): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    const baseline = await this.require(workspaceId, id);
    await this.deps.store.updateBaseline(workspaceId, id, (current) => ({
      ...current,
      deletedAt: now,
      updatedAt: now,
      updatedBy: who(principal),
    }));
    await this.audit(principal, baseline, 'baseline.deleted', null, { tenants: baseline.tenantIds.length });
  }

  /** Assigns a tenant (or changes its pairings): PUT is idempotent, each call re-evaluates the tenant. */
  async assignTenant(
    principal: Principal,
    workspaceId: string,
    id: string,
    tenantId: string,
    body: AssignTenantBody,
  ): Promise<BaselineView> {
    const current = await this.require(workspaceId, id);
    if (!(await this.deps.workspaces.getTenant(workspaceId, tenantId)))
      throw new NotFoundError('The managed tenant');
    checkPairings(current, body.pairings);
    const now = this.deps.clock.now().toISOString();
    // The tenant's index names the baseline before the baseline names the tenant (never a miss), and
    // again after it (an unassignment running at the same time may have taken it out in between).
    await this.deps.store.indexTenantBaselines(workspaceId, tenantId, [id], []);
    const updated = await this.deps.store.updateBaseline(workspaceId, id, (baseline) => {
      const existing = baseline.tenants.find((t) => t.tenantId === tenantId);
      const tenants = baseline.tenants.filter((t) => t.tenantId !== tenantId);
      tenants.push({
        tenantId,
        pairings: body.pairings,
        assignedAt: existing?.assignedAt ?? now,
        assignedBy: existing?.assignedBy ?? who(principal),
        revision: (existing?.revision ?? 0) + 1,
      });
      tenants.sort((a, b) => a.tenantId.localeCompare(b.tenantId));
      return { ...baseline, tenants, tenantIds: tenants.map((t) => t.tenantId) };
    });
    await this.deps.store.indexTenantBaselines(workspaceId, tenantId, [id], []);
    await this.audit(principal, updated, 'baseline.tenant_assigned', tenantId, {
      pairings: Object.keys(body.pairings).length,
    });
    return view(updated);
  }

  async unassignTenant(principal: Principal, workspaceId: string, id: string, tenantId: string) {
    const current = await this.require(workspaceId, id);
    if (!current.tenantIds.includes(tenantId)) throw new NotFoundError('The tenant assignment');
    await this.deps.store.updateBaseline(workspaceId, id, (baseline) => {
      const tenants = baseline.tenants.filter((t) => t.tenantId !== tenantId);
      return { ...baseline, tenants, tenantIds: tenants.map((t) => t.tenantId) };
    });
    // Out of the tenant's index, unless an assignment running at the same time put the tenant back.
    await this.deps.store.indexTenantBaselines(workspaceId, tenantId, [], [id]);
    if ((await this.deps.store.baseline(workspaceId, id))?.tenantIds.includes(tenantId))
      await this.deps.store.indexTenantBaselines(workspaceId, tenantId, [id], []);
    // Findings of a tenant no longer compared would be stale: they go with the assignment (with its
    // summary and signal ledger).
    await this.deps.store.deletePairDocuments(workspaceId, id, tenantId);
    await this.audit(principal, current, 'baseline.tenant_unassigned', tenantId, {});
  }

  /** The source's objects after narrowing, each with the version tenants are compared with. */
  private async objectsOf(
    workspaceId: string,
    source: BaselineSource,
    policyTypes: readonly string[],
    itemIds: readonly string[],
  ): Promise<BaselineObject[]> {
    const tenant = await this.deps.workspaces.getTenant(workspaceId, source.tenantId);
    if (!tenant) throw new NotFoundError('The source tenant');
    const unknownType = policyTypes.find((type) => !findContract(type));
    if (unknownType)
      throw new BadRequestError('baseline_source_invalid', `There is no policy type ${unknownType}.`, {
        missing: [],
      });
    let all: BaselineObject[] = [];
    if ('backupSetId' in source) {
      const set = await this.deps.backups.getSet(source.tenantId, source.backupSetId);
      if (!set || set.workspaceId !== workspaceId) throw new NotFoundError('The backup set');
      let continuationToken: string | undefined;
      do {
        const page = await this.deps.backups.items(source.tenantId, set.id, {
          maxPages: 20,
          continuationToken,
        });
        all.push(
          ...page.items.map((item) => ({
            key: item.itemId,
            policyType: item.policyType,
            graphId: item.graphId,
            displayName: item.displayName ?? item.graphId,
            versionId: item.versionId,
          })),
        );
        continuationToken = page.continuationToken;
      } while (continuationToken);
    } else {
      const found = await this.deps.objects.find(source.tenantId, { ids: source.itemIds });
      const present = found.filter((item) => !item.removedAt);
      const missing = source.itemIds.filter((itemId) => !present.some((item) => item.id === itemId));
      if (missing.length > 0)
        throw new BadRequestError(
          'baseline_source_invalid',
          `The source tenant has no inventory item ${missing[0]}.`,
          { missing },
        );
      all = present.map((item) => ({
        key: item.id,
        policyType: item.policyType,
        graphId: item.graphId,
        displayName: item.displayName,
        versionId: item.currentVersionId,
      }));
    }
    const narrowed = all.filter(
      (object) =>
        !NOT_COMPARED.has(findContract(object.policyType)?.role ?? 'internal') &&
        (policyTypes.length === 0 || policyTypes.includes(object.policyType)) &&
        (itemIds.length === 0 || itemIds.includes(object.key)),
    );
    if (narrowed.length === 0)
      throw new BadRequestError('baseline_source_invalid', 'Nothing of the source is left after narrowing.', {
        missing: [],
      });
    return narrowed.sort((a, b) => a.key.localeCompare(b.key));
  }

  private async audit(
    principal: Principal,
    baseline: Baseline,
    action: string,
    tenantId: string | null,
    metadata: Record<string, unknown>,
  ) {
    await this.deps.audit.record({
      workspaceId: baseline.workspaceId,
      tenantId,
      actor: { kind: 'user', userId: principal.userId, displayName: principal.displayName },
      action,
      target: { type: 'baseline', id: baseline.id },
      outcome: 'success',
      metadata: { name: baseline.name, ...metadata },
    });
  }
}

function checkPairings(baseline: Baseline, pairings: Record<string, string>) {
  const keys = new Set(baseline.objects.map((object) => object.key));
  for (const objectKey of Object.keys(pairings))
    if (!keys.has(objectKey))
      throw new BadRequestError('baseline_pairing_invalid', `The baseline has no object ${objectKey}.`, {
        objectKey,
      });
  const targets = Object.entries(pairings);
  for (const [objectKey, graphId] of targets)
    if (targets.some(([other, target]) => other !== objectKey && target === graphId))
      throw new BadRequestError(
        'baseline_pairing_invalid',
        `Two baseline objects are paired with the tenant object ${graphId}.`,
        { objectKey },
      );
}

export function view(baseline: Baseline): BaselineView {
  const { docType: _d, tenantIds: _t, deletedAt: _x, ...rest } = baseline;
  return rest;
}
