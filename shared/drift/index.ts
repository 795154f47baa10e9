/**
 * Baselines and continuous drift (docs/drift.md). The public surface other modules use:
 *
 * - `evaluate(workspaceId, baselineId, tenantId)`: evaluates one (baseline, tenant) fully and answers
 *   which findings it opened and resolved (`EvaluationResult`) — the hook for signals and remediation;
 * - `onInventoryDocuments(documents)` / `onDriftDocuments(documents)` / `onDirectoryDocuments(documents)`:
 *   the change-feed entries (a tenant object stored by a sync or a watch; a baseline created, changed,
 *   assigned or deleted; a group renamed or removed in the directory cache), each answering the
 *   evaluations it ran with their opened and resolved findings;
 * - `baselines`, `findings`: the API's services;
 * - `store`: read findings (`finding`, `findingsOfPair`) and baselines (`baseline`) by id.
 */
import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit';
import type { BackupStore } from '../backup/backup-store';
import type { Clock } from '../clock';
import type { GroupDirectory } from '../directory';
import type { PolicyVersion, VersionContent } from '../inventory/model';
import type { WorkspaceService } from '../workspaces/workspace-service';
import { BaselineService } from './baselines';
import { renamedGroupsOf } from './directory-changes';
import { evaluatePair, readAll, type EvaluationResult } from './evaluate';
import { DriftFindings } from './findings';
import { idsOf } from './names';
import { baselineSchema, evaluatedKeyOf, tenantBaselinesIdOf, type Baseline } from './model';
import { GoldenRenames, goldenRenamePendingSchema } from './golden-renames';
import { DriftStore } from './store';
import { tenantObjectOf, TenantObjects, type TenantObject } from './tenant-objects';

export type { EvaluationResult } from './evaluate';
export type {
  Baseline,
  BaselineObject,
  Finding,
  FindingView,
  Difference,
  Outcome,
  FindingState,
} from './model';
export { findingIdOf } from './model';

export interface DriftDeps {
  drift: Container;
  driftSummaries: Container;
  inventory: Container;
  audit: AuditLog;
  clock: Clock;
  workspaces: Pick<WorkspaceService, 'getTenant'>;
  backups: Pick<BackupStore, 'getSet' | 'items'>;
  groups: Pick<GroupDirectory, 'groupsById'>;
  readVersion(
    tenantId: string,
    versionId: string,
  ): Promise<(PolicyVersion & { content: VersionContent }) | undefined>;
  /** Tenants one change-feed invocation evaluates for a baseline change or a golden rename (default 50). */
  tenantsPerInvocation?: number;
}

/** One evaluation a change-feed batch ran, and what it changed. */
export interface PairEvaluation extends EvaluationResult {
  workspaceId: string;
  baselineId: string;
  tenantId: string;
}

export type Drift = ReturnType<typeof createDrift>;

/** Tenants a baseline change or a golden rename evaluates at once, and in one change-feed invocation. */
const TENANTS_AT_ONCE = 4;
const TENANTS_PER_INVOCATION = 50;

/** Runs `each` over the items, a few at a time. */
async function fewAtOnce<T>(items: readonly T[], each: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await each(item);
  };
  await Promise.all(Array.from({ length: TENANTS_AT_ONCE }, worker));
}

/** The marker a baseline with tenants left to evaluate writes (it comes back through the feed). */
const pendingSchema = z.object({
  docType: z.literal('evaluationPending'),
  workspaceId: z.string(),
  baselineId: z.string(),
});

export function createDrift(deps: DriftDeps) {
  const store = new DriftStore(deps.drift, deps.driftSummaries);
  const objects = new TenantObjects(deps.inventory);
  const goldenRenames = new GoldenRenames(deps.drift);
  const perInvocation = deps.tenantsPerInvocation ?? TENANTS_PER_INVOCATION;
  const evaluation = {
    store,
    objects,
    groups: deps.groups,
    readVersion: deps.readVersion,
    clock: deps.clock,
  };

  /** A purged tenant leaves the baseline, with whatever findings of it are left. */
  async function dropPurgedTenant(baseline: Baseline, tenantId: string) {
    await store.updateBaseline(baseline.workspaceId, baseline.id, (current) => {
      const tenants = current.tenants.filter((t) => t.tenantId !== tenantId);
      return tenants.length === current.tenants.length
        ? undefined
        : { ...current, tenants, tenantIds: tenants.map((t) => t.tenantId) };
    });
    await store.deletePairDocuments(baseline.workspaceId, baseline.id, tenantId);
    await store.deleteDocuments(baseline.workspaceId, [tenantBaselinesIdOf(tenantId)]);
    await deps.audit.record({
      workspaceId: baseline.workspaceId,
      tenantId,
      actor: { kind: 'system' },
      action: 'baseline.tenant_unassigned',
      target: { type: 'baseline', id: baseline.id },
      outcome: 'success',
      metadata: { name: baseline.name, reason: 'tenant_purged' },
      idempotencyKey: `baseline.tenant_unassigned:${baseline.id}:${tenantId}`,
    });
  }

  /** Changed items of a tenant: the findings they touch in each baseline the tenant is assigned to. */
  async function evaluateItems(
    workspaceId: string,
    tenantId: string,
    items: readonly TenantObject[],
    baselinesOf: () => Promise<Baseline[]>,
  ): Promise<PairEvaluation[]> {
    const out: PairEvaluation[] = [];
    for (const baseline of await baselinesOf()) {
      const tenant = baseline.tenants.find((t) => t.tenantId === tenantId)!;
      const result = await evaluatePair(evaluation, baseline, tenant, { kind: 'items', items });
      if (result.evaluated > 0) out.push({ workspaceId, baselineId: baseline.id, tenantId, ...result });
    }
    return out;
  }

  /**
   * Groups of a golden tenant renamed: each baseline built from it evaluates the objects whose versions
   * name one of them in its first tenants, and leaves the others to the drift container's feed
   * (`GoldenRenames`), so one invocation evaluates at most `perInvocation` tenants per baseline.
   */
  async function evaluateGoldenGroups(
    workspaceId: string,
    tenantId: string,
    groupIds: readonly string[],
  ): Promise<PairEvaluation[]> {
    const out: PairEvaluation[] = [];
    const renamed = new Set(groupIds);
    for (const baseline of await store.baselinesFromSource(workspaceId, tenantId)) {
      const versions = await readAll(
        deps,
        tenantId,
        baseline.objects.map((o) => o.versionId),
      );
      const objectKeys = baseline.objects
        .filter((object) => {
          const content = versions.get(object.versionId);
          return (
            content &&
            idsOf([{ policyType: object.policyType, content }]).groups.some((id) => renamed.has(id))
          );
        })
        .map((object) => object.key);
      if (objectKeys.length === 0) continue;
      const tenantIds = baseline.tenants.map((t) => t.tenantId);
      const left = tenantIds.slice(perInvocation);
      // Left first: an invocation that dies evaluating the first ones is retried whole (the same marker).
      if (left.length > 0)
        await goldenRenames.add({
          workspaceId,
          baselineId: baseline.id,
          objectKeys,
          tenantIds: left,
          at: deps.clock.now().toISOString(),
        });
      out.push(...(await evaluateObjects(baseline, objectKeys, tenantIds.slice(0, perInvocation))));
    }
    return out;
  }

  /**
   * Objects of a baseline evaluated in some of its tenants, a few at a time. Tenants no longer assigned
   * are skipped; so are tenants purged meanwhile (the baseline's next full evaluation drops them).
   */
  async function evaluateObjects(
    baseline: Baseline,
    objectKeys: readonly string[],
    tenantIds: readonly string[],
  ): Promise<PairEvaluation[]> {
    const out: PairEvaluation[] = [];
    const assigned = new Map(baseline.tenants.map((t) => [t.tenantId, t]));
    await fewAtOnce(tenantIds, async (tenantId) => {
      const tenant = assigned.get(tenantId);
      if (!tenant || !(await deps.workspaces.getTenant(baseline.workspaceId, tenantId))) return;
      const result = await evaluatePair(evaluation, baseline, tenant, {
        kind: 'items',
        items: [],
        objectKeys,
      });
      if (result.evaluated > 0)
        out.push({ workspaceId: baseline.workspaceId, baselineId: baseline.id, tenantId, ...result });
    });
    return out;
  }

  /** The next tenants a golden rename left (its marker came back through the feed). */
  async function continueGoldenRename(workspaceId: string, baselineId: string): Promise<PairEvaluation[]> {
    const marker = await goldenRenames.pending(workspaceId, baselineId);
    if (!marker || marker.tenantIds.length === 0) return [];
    const baseline = await store.baseline(workspaceId, baselineId);
    if (!baseline || baseline.deletedAt) return [];
    const next = marker.tenantIds.slice(0, perInvocation);
    const out = await evaluateObjects(baseline, marker.objectKeys, next);
    await goldenRenames.evaluated(marker, next);
    return out;
  }

  /**
   * A full evaluation of the assigned tenants not yet evaluated at the baseline's current revision: at
   * most `perInvocation` of them, a few at a time (each is a handful of queries and point reads
   * in its own partitions). When more are left, a pending marker brings the baseline back through the
   * change feed, so no invocation runs long however many tenants the baseline has.
   */
  async function evaluateBaseline(baseline: Baseline): Promise<PairEvaluation[]> {
    const out: PairEvaluation[] = [];
    const keys = await store.evaluatedKeys(baseline.workspaceId, baseline.id);
    const pending = baseline.tenants.filter(
      (tenant) => keys.get(tenant.tenantId) !== evaluatedKeyOf(baseline, tenant),
    );
    await fewAtOnce(pending.slice(0, perInvocation), async (tenant) => {
      if (!(await deps.workspaces.getTenant(baseline.workspaceId, tenant.tenantId))) {
        await dropPurgedTenant(baseline, tenant.tenantId);
        return;
      }
      const result = await evaluatePair(evaluation, baseline, tenant, { kind: 'all' });
      out.push({
        workspaceId: baseline.workspaceId,
        baselineId: baseline.id,
        tenantId: tenant.tenantId,
        ...result,
      });
    });
    const remaining = pending.length - Math.min(pending.length, perInvocation);
    if (remaining > 0)
      await store.markPending(baseline.workspaceId, baseline.id, remaining, deps.clock.now().toISOString());
    else if (pending.length > 0)
      await store.deleteDocuments(baseline.workspaceId, [`pending-${baseline.id}`]);
    return out;
  }

  return {
    store,
    /** The tenants' stored objects as drift reads them (remediation plans from them too). */
    objects,
    baselines: new BaselineService({ ...deps, store, objects }),
    findings: new DriftFindings({ store, audit: deps.audit, clock: deps.clock }),

    /** Evaluates one (baseline, tenant) in full, whatever was evaluated before. */
    async evaluate(
      workspaceId: string,
      baselineId: string,
      tenantId: string,
    ): Promise<EvaluationResult | undefined> {
      const baseline = await store.baseline(workspaceId, baselineId);
      const tenant = baseline?.tenants.find((t) => t.tenantId === tenantId);
      if (!baseline || baseline.deletedAt || !tenant) return undefined;
      return evaluatePair(evaluation, baseline, tenant, { kind: 'all' });
    },

    /**
     * Inventory documents that changed (the inventory container's change feed): every item stored by a
     * sync, a watch or a restore's reads re-evaluates only the findings it touches, in each baseline its
     * tenant is assigned to. Anything but items is ignored.
     */
    async onInventoryDocuments(documents: readonly unknown[]): Promise<PairEvaluation[]> {
      const byTenant = new Map<string, { workspaceId: string; items: TenantObject[] }>();
      for (const doc of documents) {
        const item = tenantObjectOf(doc);
        if (!item) continue;
        const key = `${item.workspaceId}/${item.tenantId}`;
        const group = byTenant.get(key) ?? { workspaceId: item.workspaceId, items: [] };
        group.items.push(item);
        byTenant.set(key, group);
      }
      const out: PairEvaluation[] = [];
      for (const { workspaceId, items } of byTenant.values())
        out.push(
          ...(await evaluateItems(workspaceId, items[0]!.tenantId, items, () =>
            store.assignedBaselines(workspaceId, items[0]!.tenantId),
          )),
        );
      return out;
    },

    /**
     * Groups the directory cache renamed, removed or brought back (its container's change feed): in a
     * tenant assigned to baselines, the tenant's objects that name such a group are evaluated as if they
     * had changed; in a golden tenant, the baseline objects whose versions name one are evaluated in every
     * tenant of the baseline (the first ones here, the others through the drift container's feed).
     * Cosmos only (docs/drift.md, decision 0078).
     */
    async onDirectoryDocuments(documents: readonly unknown[]): Promise<PairEvaluation[]> {
      const out: PairEvaluation[] = [];
      for (const { workspaceId, tenantId, groupIds } of renamedGroupsOf(documents)) {
        const assigned = await store.assignedBaselines(workspaceId, tenantId);
        if (assigned.length > 0) {
          const types = [...new Set(assigned.flatMap((b) => b.objects.map((o) => o.policyType)))];
          const items = await objects.referencingGroups(tenantId, groupIds, types);
          if (items.length > 0)
            out.push(...(await evaluateItems(workspaceId, tenantId, items, async () => assigned)));
        }
        out.push(...(await evaluateGoldenGroups(workspaceId, tenantId, groupIds)));
      }
      return out;
    },

    /**
     * Drift documents that changed (the drift container's change feed): a baseline created, changed or
     * (un)assigned evaluates the tenants whose evaluation is not current; a deleted one loses its
     * findings, then itself; a golden rename's marker evaluates the next tenants it left. Findings and
     * summaries are ignored.
     */
    async onDriftDocuments(documents: readonly unknown[]): Promise<PairEvaluation[]> {
      const out: PairEvaluation[] = [];
      const ids = new Map<string, string>();
      const goldenRenamesLeft = new Map<string, string>();
      for (const doc of documents) {
        const parsed = baselineSchema.safeParse(doc);
        if (parsed.success) ids.set(parsed.data.id, parsed.data.workspaceId);
        const pending = pendingSchema.safeParse(doc);
        if (pending.success) ids.set(pending.data.baselineId, pending.data.workspaceId);
        const golden = goldenRenamePendingSchema.safeParse(doc);
        if (golden.success) goldenRenamesLeft.set(golden.data.baselineId, golden.data.workspaceId);
      }
      // The stored marker is the one to act on (the feed may hold an older image of it).
      for (const [baselineId, workspaceId] of goldenRenamesLeft)
        out.push(...(await continueGoldenRename(workspaceId, baselineId)));
      for (const [id, workspaceId] of ids) {
        // The feed may hold an older image: the stored document is the one to act on.
        const baseline = await store.baseline(workspaceId, id);
        if (!baseline) continue;
        if (baseline.deletedAt) {
          await store.deletePairDocuments(workspaceId, id);
          await store.deleteBaselineDocument(workspaceId, id);
          continue;
        }
        out.push(...(await evaluateBaseline(baseline)));
      }
      return out;
    },
  };
}
