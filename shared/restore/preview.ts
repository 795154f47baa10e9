import { createHash } from 'node:crypto';
import { z } from 'zod';
import { findContract, getContract, type GraphContract, type ReferenceRule } from '../graph';
import { normalizeObject, type ReadNow, type RunGraph } from '../inventory';
import type { Run } from '../operations/model';
import { differences, documentHash, writeDocument, type WriteDocument } from './body';
import type { RestoreDeps } from './deps';
import { isBuiltIn, nameOf, ReferenceResolver } from './mapping';
import { restoreOptionsSchema, restoreSourceSchema, type PlanItem, type ReferenceMapping } from './model';
import { dependencyRanks, idsAt, mapDocument, referenceRules } from './references';
import { sourceItems, sourceTenantOf, type SourceItem } from './source';

export const previewInputSchema = z
  .object({
    source: restoreSourceSchema,
    items: z.array(z.string().min(1).max(400)).min(1).max(1000).optional(),
    options: restoreOptionsSchema.default(restoreOptionsSchema.parse({})),
  })
  .strict();
export type PreviewInput = z.infer<typeof previewInputSchema>;

/** Diff entries kept per item: enough to read, bounded so a plan item stays a small document. */
const MAX_DIFF = 50;

export function planItemId(planId: string, policyType: string, graphId: string): string {
  return `${planId}:${createHash('sha256').update(`${policyType}:${graphId}`).digest('hex').slice(0, 24)}`;
}

/** The source items' types in write order: each inner list is one dependency rank. */
function phasesOf(items: readonly SourceItem[]): string[][] {
  const ranks = dependencyRanks();
  const phases: string[][] = [];
  for (const type of [...new Set(items.map((item) => item.policyType))].sort()) {
    const rank = ranks.get(type) ?? 0;
    (phases[rank] ??= []).push(type);
  }
  return phases.filter((phase) => phase !== undefined);
}

interface TypeScope {
  deps: RestoreDeps;
  run: Run;
  input: PreviewInput;
  /** Where the source's versions are (the source tenant, or a baseline's golden tenant). */
  sourceTenantId: string;
  contract: GraphContract;
  sameTenant: boolean;
  resolver: ReferenceResolver;
  byId: Map<string, ReadNow>;
  byName: Map<string, ReadNow[]>;
  /** The source's ids of this type: in the same tenant, an object under one of them is that object's. */
  sourceIds: ReadonlySet<string>;
}

/** A read started now and awaited later: its failure is kept for the await, never left unhandled. */
function started<T>(work: Promise<T>): () => Promise<T> {
  const settled = work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return async () => {
    const result = await settled;
    if (!result.ok) throw result.error;
    return result.value;
  };
}

/**
 * Plans the whole preview in one step. The target's objects of every type are read at once, as Graph shows them now: the reads are independent of each other,
 * so the run's `$batch` queue packs the reads of all types into full envelopes instead of sending a
 * part-filled one at the end of each dependency phase. The plan is then made a phase at a time (a type's
 * references to earlier phases are planned by then). Writes the plan items (upserts with stable ids, so a
 * retried activity writes the same items). Returns how many.
 */
export async function previewPlan(deps: RestoreDeps, run: Run): Promise<number> {
  const input = previewInputSchema.parse(run.context);
  const sourceTenantId = await sourceTenantOf(deps, run.workspaceId, run.tenantId, input.source);
  const sameTenant = sourceTenantId === run.tenantId;
  const all = await sourceItems(deps, run, input.source, input.items);
  const phases = phasesOf(all);
  const mineOf = (policyType: string) => all.filter((item) => item.policyType === policyType);
  // This plan's items of earlier phases, by `policyType:sourceGraphId` and by source id alone.
  const planned = new Map<string, PlanItem>();
  const graph = await deps.inventory.openRunGraph(run);
  try {
    const resolver = new ReferenceResolver(
      deps,
      graph,
      { sourceTenantId, targetTenantId: run.tenantId, sameTenant },
      planned,
    );
    const types = phases.flat();
    const reads = new Map(
      types.map((type) => [
        type,
        started(readTargets(deps, graph, getContract(type), sameTenant, mineOf(type), !input.items)),
      ]),
    );
    let count = 0;
    for (const phase of phases) {
      const items = (
        await Promise.all(
          phase.map(async (policyType) => {
            const mine = mineOf(policyType);
            const targets = await reads.get(policyType)!();
            const shared = { deps, run, input, sourceTenantId, sameTenant, resolver };
            return planType(shared, policyType, mine, targets);
          }),
        )
      ).flat();
      await deps.store.saveItems(items);
      for (const item of items) {
        planned.set(`${item.policyType}:${item.sourceGraphId}`, item);
        planned.set(item.sourceGraphId, item);
      }
      count += items.length;
      await deps.lifecycle.progress(run.id, { progress: `Planned ${phase.join(', ')}` });
      await graph.beat();
    }
    return count;
  } finally {
    graph.close();
  }
}

/** One type's plan items: each source object against the target's objects read for it. */
async function planType(
  shared: Pick<TypeScope, 'deps' | 'run' | 'input' | 'sourceTenantId' | 'sameTenant' | 'resolver'>,
  policyType: string,
  mine: readonly SourceItem[],
  targets: readonly ReadNow[],
): Promise<PlanItem[]> {
  const live = targets.filter((read) => !read.gone && !read.failure);
  const byName = new Map<string, ReadNow[]>();
  for (const read of live) {
    const name = nameOf(read.object);
    if (name) byName.set(name, [...(byName.get(name) ?? []), read]);
  }
  const scope: TypeScope = {
    ...shared,
    contract: getContract(policyType),
    byId: new Map(live.map((read) => [String(read.object.id), read])),
    byName,
    sourceIds: new Set(mine.map((item) => item.graphId)),
  };
  const items: PlanItem[] = [];
  for (const source of mine) items.push(await planItem(scope, source));
  return items;
}

function writable(contract: GraphContract): boolean {
  return contract.restorable && (contract.shape.kind === 'collection' || contract.shape.patch !== null);
}

/**
 * The target's objects the plan compares with, read completely. In another tenant: the list (names),
 * then details of the objects named as a source object only. In the same tenant: a whole backed-up
 * type is listed too (a list page holds up to 1000 objects, a `$batch` 20 reads by id), the objects
 * the list gives in part (script bodies) and chosen versions are read by id.
 */
async function readTargets(
  deps: RestoreDeps,
  graph: RunGraph,
  contract: GraphContract,
  sameTenant: boolean,
  mine: SourceItem[],
  wholeSet: boolean,
): Promise<ReadNow[]> {
  if (!writable(contract)) return [];
  const names = new Set(mine.map((item) => item.displayName));
  // The objects a drift finding compared (by pairing, or by a name that differs in case) are its targets.
  const hinted = new Set(mine.flatMap((item) => (item.targetGraphId ? [item.targetGraphId] : [])));
  if (sameTenant && contract.shape.kind === 'collection') {
    const ids = new Set(mine.map((item) => item.graphId));
    if (!wholeSet || contract.detailRead === 'getById')
      return deps.inventory.readByIds(graph.graph, contract, [...ids]);
    // By id, and by name for what an earlier restore may have created again under a new id.
    return deps.inventory.readListed(
      graph.graph,
      contract,
      (object) => ids.has(String(object.id)) || names.has(nameOf(object) ?? ''),
    );
  }
  return deps.inventory.readListed(
    graph.graph,
    contract,
    (object) => names.has(nameOf(object) ?? '') || hinted.has(String(object.id)),
  );
}

export function bindRoot(deps: RestoreDeps, contract: GraphContract) {
  return { baseUrl: deps.graphBaseUrl, apiVersion: contract.apiVersion };
}

async function planItem(scope: TypeScope, source: SourceItem): Promise<PlanItem> {
  const { deps, run, contract } = scope;
  const base: PlanItem = {
    id: planItemId(run.id, source.policyType, source.graphId),
    kind: 'restorePlanItem',
    tenantId: run.tenantId,
    planId: run.id,
    phase: dependencyRanks().get(source.policyType) ?? 0,
    policyType: source.policyType,
    sourceGraphId: source.graphId,
    sourceVersionId: source.versionId,
    displayName: source.displayName,
    action: 'blocked',
    reasonCode: null,
    message: null,
    targetGraphId: null,
    targetHash: null,
    diff: [],
    references: [],
    skippedAssignments: 0,
    execution: null,
  };
  const blocked = (reasonCode: string, message: string): PlanItem => ({ ...base, reasonCode, message });
  if (!writable(contract))
    return blocked(
      'not_restorable',
      contract.restoreNote ?? `${contract.label} cannot be written through Graph.`,
    );
  const version = await deps.inventory.readVersion(scope.sourceTenantId, source.versionId);
  if (!version) return blocked('version_missing', 'The backed-up version is no longer stored.');
  if (isBuiltIn(source.policyType, version.content.object))
    return blocked('built_in', 'Built into every tenant: never created or overwritten by a restore.');
  if (version.redactedPaths.length > 0)
    return blocked(
      'secret_not_captured',
      `${version.redactedPaths.length} encrypted value(s) could not be backed up; re-enter them by hand.`,
    );

  const target = matchTarget(scope, source);
  if (target === 'ambiguous')
    return blocked('target_ambiguous', `Several objects in the target are named '${source.displayName}'.`);
  const root = bindRoot(deps, contract);
  const doc = writeDocument(contract, version.content, root);
  const rules = referenceRules(contract);
  const references = await mapReferences(scope, doc, rules);
  const objectProblems = references.filter(
    (ref) => (ref.how === 'missing' || ref.how === 'ambiguous') && !isAssignmentGroup(rules, ref, doc),
  );
  // A reference with a reason of its own (a built-in template the target lacks) first: no restore fixes it.
  const objectProblem = objectProblems.find((ref) => ref.reason) ?? objectProblems[0];
  const withRefs = { ...base, references };
  if (objectProblem) {
    const what = objectProblem.target === 'groups' ? 'group' : 'dependency';
    return { ...withRefs, ...unmapped(objectProblem, what) };
  }
  const unmappedGroups = references.filter((ref) => ref.how === 'missing' || ref.how === 'ambiguous');
  if (unmappedGroups.length > 0 && scope.input.options.unmappedAssignments === 'block') {
    return { ...withRefs, ...unmapped(unmappedGroups[0]!, 'group') };
  }
  const current = target ? currentDocument(deps, contract, target) : undefined;
  const desired = safeState(
    contract,
    mappedDocument(contract, doc, references),
    scope.input.options,
    current,
  );
  const skippedAssignments = doc.assignments.length - desired.assignments.length;
  if (!target || !current) {
    return { ...withRefs, action: 'create', skippedAssignments };
  }
  const diff = differences(current, desired);
  return {
    ...withRefs,
    action: diff.length === 0 ? 'unchanged' : 'update',
    targetGraphId: String(target.object.id ?? ''),
    targetHash: documentHash(current),
    diff: diff.slice(0, MAX_DIFF),
    skippedAssignments,
  };
}

/** Why a reference blocks its item, in words a user can act on. */
function unmapped(
  ref: ReferenceMapping,
  what: 'group' | 'dependency',
): { reasonCode: string; message: string } {
  if (ref.reason === 'directory_not_synced')
    return {
      reasonCode: 'directory_not_synced',
      message:
        'Groups are mapped from the directory cache of the source and target tenants: run directory.groups.sync on both, then preview again.',
    };
  const name = ref.sourceName ?? ref.sourceId;
  // A reference a restore never creates (a built-in template the target lacks): its rule's reason code.
  if (ref.reason)
    return {
      reasonCode: ref.reason,
      message: `${findContract(ref.target)?.label ?? ref.target} '${name}' is not in the target tenant, and a restore never creates it.`,
    };
  return {
    reasonCode: `${what}_${ref.how}`,
    message:
      what === 'group'
        ? `Group '${name}' is ${ref.how} in the target directory.`
        : `${ref.target} '${name}' is ${ref.how} in the target.`,
  };
}

function matchTarget(scope: TypeScope, source: SourceItem): ReadNow | 'ambiguous' | undefined {
  if (scope.contract.shape.kind === 'singleton') return [...scope.byId.values()][0];
  const hinted = source.targetGraphId ? scope.byId.get(source.targetGraphId) : undefined;
  if (hinted) return hinted;
  const byId = scope.sameTenant ? scope.byId.get(source.graphId) : undefined;
  if (byId) return byId;
  // By name: in another tenant always; in the same tenant for an object deleted since (an earlier
  // restore may have created it again under a new id), never taking another backed-up object's place.
  const matches = (scope.byName.get(source.displayName) ?? []).filter(
    (read) => !scope.sameTenant || !scope.sourceIds.has(String(read.object.id)),
  );
  return matches.length > 1 ? 'ambiguous' : matches[0];
}

/** The write form of an object the target has now. */
export function currentDocument(deps: RestoreDeps, contract: GraphContract, read: ReadNow): WriteDocument {
  const { content } = normalizeObject(read.object, read.subResources, read.assignments);
  return writeDocument(contract, content, bindRoot(deps, contract));
}

function isAssignmentGroup(
  rules: readonly ReferenceRule[],
  ref: ReferenceMapping,
  doc: WriteDocument,
): boolean {
  return rules.some(
    (rule) =>
      rule.part === 'assignments' &&
      rule.target === ref.target &&
      ref.target === 'groups' &&
      doc.assignments.some((assignment) => idsAt(assignment, rule).includes(ref.sourceId)),
  );
}

async function mapReferences(
  scope: TypeScope,
  doc: WriteDocument,
  rules: readonly ReferenceRule[],
): Promise<ReferenceMapping[]> {
  const found = new Map<string, ReferenceRule>();
  const combined = { ...doc.object, ...doc.inline, ...doc.separate };
  for (const rule of rules) {
    const roots = rule.part === 'assignments' ? doc.assignments : [combined];
    for (const root of roots) for (const id of idsAt(root, rule)) found.set(`${rule.target}|${id}`, rule);
  }
  const mappings: ReferenceMapping[] = [];
  for (const [key, rule] of found) {
    const id = key.slice(rule.target.length + 1);
    mappings.push(
      rule.target === 'groups' ? await scope.resolver.group(id) : await scope.resolver.object(rule, id),
    );
  }
  return mappings;
}

/**
 * The document with references replaced by their targets. `created` gives the ids of objects this
 * restore created (execute); in the preview they are not known yet and the source id stands in.
 * Assignments to unmapped groups are left out (only reached with `unmappedAssignments: skip`).
 */
export function mappedDocument(
  contract: GraphContract,
  doc: WriteDocument,
  references: readonly ReferenceMapping[],
  created: (ref: ReferenceMapping) => string | undefined = () => undefined,
): WriteDocument {
  const lookup = new Map(references.map((ref) => [`${ref.target}|${ref.sourceId}`, ref]));
  return mapDocument(doc, referenceRules(contract), (rule, id) => {
    const ref =
      lookup.get(`${rule.target}|${id}`) ?? references.find((r) => r.sourceId === id && rule.target === '*');
    if (!ref) return id;
    if (ref.how === 'created_by_restore') return created(ref) ?? id;
    if (ref.how === 'missing' || ref.how === 'ambiguous') return rule.part === 'assignments' ? undefined : id;
    return ref.targetId ?? id;
  });
}

/**
 * Conditional Access is never switched to enforcing by a restore unless the caller asked for the
 * backed-up state: an enforcing policy is written report-only, unless the target already enforces it.
 */
export function safeState(
  contract: GraphContract,
  desired: WriteDocument,
  options: PreviewInput['options'],
  current: WriteDocument | undefined,
): WriteDocument {
  const rule = contract.restore?.reportOnlyState;
  if (!rule || options.conditionalAccessState === 'asBackedUp') return desired;
  if (desired.object[rule.property] !== rule.enforcing) return desired;
  if (current?.object[rule.property] === rule.enforcing) return desired;
  return { ...desired, object: { ...desired.object, [rule.property]: rule.value } };
}
