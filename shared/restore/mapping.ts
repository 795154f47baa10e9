import { getContract, type GraphObject, type ReferenceRule } from '../graph';
import { listInBatch, readPages, type RunGraph } from '../inventory';
import type { RestoreDeps } from './deps';
import type { PlanItem, ReferenceMapping } from './model';

/** A name to match by: the object's display name (or `name` where the family has no display name). */
export function nameOf(object: GraphObject): string | null {
  const name = object.displayName ?? object.name;
  return typeof name === 'string' && name !== '' ? name : null;
}

/**
 * Maps the references of one preview into the target: groups through the two tenants' directory caches
 * (Cosmos only), other objects through this plan's earlier items, then the target's objects of that
 * family as Graph lists them now (one list per family and preview step, id and name only).
 */
export class ReferenceResolver {
  private readonly targetLists = new Map<string, Promise<GraphObject[]>>();
  private synced: Promise<boolean> | undefined;

  constructor(
    private readonly deps: RestoreDeps,
    private readonly graph: RunGraph,
    private readonly scope: { sourceTenantId: string; targetTenantId: string; sameTenant: boolean },
    /** This plan's items of earlier phases, by `policyType:sourceGraphId` and by source id alone. */
    private readonly planned: Map<string, PlanItem>,
  ) {}

  async group(id: string): Promise<ReferenceMapping> {
    const { groups } = this.deps;
    const { sourceTenantId, targetTenantId } = this.scope;
    const base = { target: 'groups', sourceId: id };
    // Whether both caches were ever synced: asked once per resolver, not once per group.
    this.synced ??= Promise.all([groups.lastSync(targetTenantId), groups.lastSync(sourceTenantId)]).then(
      ([target, source]) => target !== undefined && source !== undefined,
    );
    if (!(await this.synced))
      return { ...base, sourceName: null, how: 'missing', targetId: null, reason: 'directory_not_synced' };
    const inTarget = await groups.groupsById(targetTenantId, [id]);
    const same = inTarget.get(id);
    if (same && !same.removedAt)
      return { ...base, sourceName: same.displayName, how: 'same_id', targetId: id };
    const source = (await groups.groupsById(sourceTenantId, [id])).get(id);
    const sourceName = source?.displayName ?? null;
    if (!sourceName) return { ...base, sourceName, how: 'missing', targetId: null };
    const matches = (await groups.groupsByDisplayName(targetTenantId, [sourceName])).get(sourceName) ?? [];
    const live = matches.filter((group) => !group.removedAt);
    if (live.length === 1) return { ...base, sourceName, how: 'by_name', targetId: live[0]!.id };
    return { ...base, sourceName, how: live.length === 0 ? 'missing' : 'ambiguous', targetId: null };
  }

  /**
   * An object `rule` references: this plan's, else the target's as Graph lists it now — by id where the
   * rule says the ids are the same in every tenant (Microsoft's templates, never restored), else by id in
   * the same tenant and by display name in another.
   */
  async object(rule: ReferenceRule, id: string): Promise<ReferenceMapping> {
    const targetKey = rule.target;
    if (rule.matchBy === 'id') {
      const base = { target: targetKey, sourceId: id, sourceName: null };
      const present = (await this.targetList(targetKey)).some((object) => String(object.id) === id);
      if (present) return { ...base, how: 'same_id', targetId: id };
      return {
        ...base,
        how: 'missing',
        targetId: null,
        ...(rule.missingReason && { reason: rule.missingReason }),
      };
    }
    const planned = this.planned.get(targetKey === '*' ? id : `${targetKey}:${id}`);
    const key = planned?.policyType ?? targetKey;
    const base = { target: key, sourceId: id };
    if (planned) {
      const sourceName = planned.displayName;
      if (planned.action === 'create')
        return { ...base, sourceName, how: 'created_by_restore', targetId: null };
      // Matched by the plan itself: by id in the same tenant, by name in another.
      const how = this.scope.sameTenant ? 'same_id' : 'by_name';
      if (planned.targetGraphId) return { ...base, sourceName, how, targetId: planned.targetGraphId };
      return { ...base, sourceName, how: 'missing', targetId: null };
    }
    if (key === '*') return { ...base, sourceName: null, how: 'missing', targetId: null };
    const targets = await this.targetList(key);
    if (this.scope.sameTenant && targets.some((object) => String(object.id) === id))
      return { ...base, sourceName: null, how: 'same_id', targetId: id };
    const [sourceItem] = await this.deps.inventory.itemsByGraphIds(this.scope.sourceTenantId, key, [id]);
    const sourceName = sourceItem?.displayName ?? null;
    const matches = sourceName ? targets.filter((object) => nameOf(object) === sourceName) : [];
    if (matches.length === 1)
      return { ...base, sourceName, how: 'by_name', targetId: String(matches[0]!.id) };
    return { ...base, sourceName, how: matches.length === 0 ? 'missing' : 'ambiguous', targetId: null };
  }

  /** The target's objects of a family (first-level properties only: ids and names are all we need). */
  targetList(key: string): Promise<GraphObject[]> {
    let list = this.targetLists.get(key);
    if (!list) {
      list = (async () => {
        const contract = getContract(key);
        // Collections' first pages share `$batch`es with the preview's other reads.
        if (contract.shape.kind === 'collection') return listInBatch(this.graph.graph, contract);
        const objects: GraphObject[] = [];
        for await (const page of readPages(this.graph.graph, contract)) objects.push(...page.items);
        return objects;
      })();
      this.targetLists.set(key, list);
    }
    return list;
  }
}

/** Whether an object is one Graph ships in every tenant (never created, never overwritten). */
export function isBuiltIn(policyType: string, object: GraphObject): boolean {
  const rules = getContract(policyType).restore?.builtInWhen ?? [];
  return rules.some((rule) => object[rule.property] === rule.equals);
}
