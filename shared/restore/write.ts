import {
  assignmentWriteRequests,
  createRequest,
  getContract,
  objectActionRequest,
  replaceRequest,
  subResourceCreateRequest,
  updateRequest,
  type GraphContract,
  type GraphObject,
  type GraphRequestSpec,
  GraphRequestError,
} from '../graph';
import { readPages, stableStringify, type RunGraph } from '../inventory';
import { toRunFailure, type Run } from '../operations/model';
import { differences, documentHash, writeDocument, type WriteDocument } from './body';
import type { RestoreDeps } from './deps';
import { nameOf } from './mapping';
import type { ItemExecution, ItemOutcome, PlanItem, RestorePlan } from './model';
import { bindRoot, currentDocument, mappedDocument } from './preview';

export interface ExecuteContext {
  deps: RestoreDeps;
  run: Run;
  plan: RestorePlan;
  graph: RunGraph;
  /** Target ids of the plan's objects created (or matched) so far, by `policyType:sourceGraphId`. */
  created: Map<string, string>;
}

type Json = Record<string, unknown>;

/**
 * Writes one plan item and records its outcome on the item. Safe to run again after any crash: a final
 * outcome is never redone; a create whose response was lost is found by name before creating again; an
 * update re-reads the target and skips an object changed by someone else since the preview.
 */
export async function writeItem(context: ExecuteContext, planned: PlanItem): Promise<ItemOutcome> {
  const { deps, run } = context;
  const stored = await deps.store.item(run.tenantId, planned.id);
  if (!stored) return 'failed';
  let { item, etag } = stored;
  if (item.execution?.state === 'done') return item.execution.outcome!;
  const finish = async (outcome: ItemOutcome, extra: Partial<ItemExecution> = {}) => {
    const execution: ItemExecution = {
      reasonCode: null,
      message: null,
      targetGraphId: item.execution?.targetGraphId ?? item.targetGraphId,
      ...extra,
      state: 'done',
      outcome,
      at: deps.clock.now().toISOString(),
    };
    await deps.store.saveItem({ ...item, execution });
    if (outcome === 'created' || outcome === 'updated') await auditWrite(context, item, outcome, execution);
    await deps.lifecycle.progress(run.id, {});
    return outcome;
  };
  if (item.action === 'blocked')
    return finish('skipped', { reasonCode: item.reasonCode, message: item.message });
  if (item.action === 'unchanged') return finish('unchanged');

  const contract = getContract(item.policyType);
  const version = await deps.inventory.readVersion(context.plan.source.tenantId, item.sourceVersionId);
  if (!version)
    return finish('failed', { reasonCode: 'version_missing', message: 'The backed-up version is gone.' });
  const unresolved = item.references.find(
    (ref) => ref.how === 'created_by_restore' && !context.created.has(`${ref.target}:${ref.sourceId}`),
  );
  if (unresolved)
    return finish('failed', {
      reasonCode: 'dependency_failed',
      message: `${unresolved.target} '${unresolved.sourceName ?? unresolved.sourceId}' was not restored.`,
    });
  const desired = mappedDocument(
    contract,
    writeDocument(contract, version.content, bindRoot(deps, contract)),
    item.references,
    (ref) => context.created.get(`${ref.target}:${ref.sourceId}`),
  );
  try {
    if (item.action === 'update') return await update(context, contract, item, desired, finish);
    const saveIntent = async (execution: ItemExecution) => {
      const next = { ...item, execution };
      if (!(await deps.store.saveItem(next, etag)))
        throw new Error('The plan item changed while it was written.');
      const again = await deps.store.item(run.tenantId, item.id);
      item = again!.item;
      etag = again!.etag;
    };
    const targetId = await create(context, contract, item, desired, saveIntent);
    context.created.set(`${item.policyType}:${item.sourceGraphId}`, targetId);
    return await finish('created', { targetGraphId: targetId });
  } catch (error) {
    // A write answered 504, cut off or still throttled after the pipeline's retries may or may not have
    // been applied: the activity's retry finds out (the create's intent is recorded, an update re-reads)
    // instead of calling a write that took effect `failed`.
    if (error instanceof GraphRequestError && error.retryable) throw error;
    if (!(error instanceof Error) || !('reasonCode' in error)) throw error;
    return finish('failed', failureOf(error));
  }
}

async function send(context: ExecuteContext, spec: GraphRequestSpec): Promise<unknown> {
  const { graph } = context.graph;
  await graph.budget.take(1, graph.signal);
  return graph.client.send(spec, { correlation: graph.correlation, signal: graph.signal });
}

/** What a create sends: the object with its inline sub-resources; Conditional Access report-only unless asked. */
function createBody(context: ExecuteContext, contract: GraphContract, desired: WriteDocument): Json {
  const body: Json = { ...desired.object, ...desired.inline };
  const reportOnly = contract.restore?.reportOnlyState;
  if (reportOnly && context.plan.options.conditionalAccessState === 'reportOnly')
    body[reportOnly.property] = reportOnly.value;
  return body;
}

async function create(
  context: ExecuteContext,
  contract: GraphContract,
  item: PlanItem,
  desired: WriteDocument,
  saveIntent: (execution: ItemExecution) => Promise<void>,
): Promise<string> {
  const now = () => context.deps.clock.now().toISOString();
  let targetId = item.execution?.targetGraphId ?? null;
  if (!targetId && item.execution?.state === 'writing') targetId = await findCreated(context, contract, item);
  if (!targetId) {
    // The intent first: if the answer to the POST is lost, the retry knows to look before creating again.
    await saveIntent({ state: 'writing', at: now() });
    const created = (await send(
      context,
      createRequest(contract, createBody(context, contract, desired)),
    )) as Json;
    targetId = String(created.id);
  }
  await saveIntent({ state: 'writing', targetGraphId: targetId, at: now() });
  await writeParts(context, contract, targetId, desired, undefined);
  return targetId;
}

/** The object an earlier attempt created (its answer lost): the one object of that name in the target. */
async function findCreated(
  context: ExecuteContext,
  contract: GraphContract,
  item: PlanItem,
): Promise<string | null> {
  const matches: GraphObject[] = [];
  for await (const page of readPages(context.graph.graph, contract))
    matches.push(...page.items.filter((object) => nameOf(object) === item.displayName));
  return matches.length === 1 ? String(matches[0]!.id) : null;
}

async function update(
  context: ExecuteContext,
  contract: GraphContract,
  item: PlanItem,
  desired: WriteDocument,
  finish: (outcome: ItemOutcome, extra?: Partial<ItemExecution>) => Promise<ItemOutcome>,
): Promise<ItemOutcome> {
  const { deps, graph } = context;
  const id = item.targetGraphId!;
  const [read] =
    contract.shape.kind === 'singleton'
      ? await deps.inventory.readCollection(graph.graph, contract)
      : await deps.inventory.readByIds(graph.graph, contract, [id]);
  if (!read || read.gone)
    return finish('skipped', {
      reasonCode: 'target_changed_since_preview',
      message: 'The object was deleted from the target since the preview.',
    });
  if (read.failure) return finish('failed', failureOf(read.failure));
  const current = currentDocument(deps, contract, read);
  if (documentHash(current) !== item.targetHash) {
    // Our own earlier attempt may have written it already; anything else is someone's newer change.
    if (differences(current, desired).length === 0) return finish('updated');
    return finish('skipped', {
      reasonCode: 'target_changed_since_preview',
      message: 'The object changed in the target since the preview; it was not overwritten.',
    });
  }
  if (contract.restore?.update === 'put') {
    await send(context, replaceRequest(contract, id, { ...desired.object, ...desired.inline }));
  } else {
    await send(context, updateRequest(contract, id, desired.object));
    await writeInlineByAction(context, contract, id, desired, current);
  }
  await writeParts(context, contract, id, desired, current);
  return finish('updated');
}

/** Inline sub-resources Graph refuses in a PATCH are rewritten by their action where they differ. */
async function writeInlineByAction(
  context: ExecuteContext,
  contract: GraphContract,
  id: string,
  desired: WriteDocument,
  current: WriteDocument,
) {
  for (const sub of contract.subResources) {
    const items = desired.inline[sub.name];
    if (sub.write !== 'inline' || !sub.writeAction || !items) continue;
    if (sameItems(items, current.inline[sub.name] ?? [])) continue;
    await send(
      context,
      objectActionRequest(contract, id, sub.writeAction.action, { [sub.writeAction.bodyKey]: items }),
    );
  }
}

const sameItems = (a: Json[], b: Json[]) =>
  stableStringify(a.map(stableStringify).sort()) === stableStringify(b.map(stableStringify).sort());

/**
 * Sub-resources created separately and the assignments. `current` is the target's state (an update), or
 * undefined after a create, when it is read again so a retried step adds only what is missing.
 */
async function writeParts(
  context: ExecuteContext,
  contract: GraphContract,
  id: string,
  desired: WriteDocument,
  current: WriteDocument | undefined,
) {
  const { graph } = context.graph;
  for (const sub of contract.subResources) {
    const items = desired.separate[sub.name];
    if (sub.write !== 'separate' || !items || items.length === 0) continue;
    const existing = current?.separate[sub.name] ?? (await readSubResource(context, contract, id, sub.name));
    if (sameItems(items, existing)) continue;
    if (sub.writeAction) {
      const ids = (await rawSubResource(context, contract, id, sub.name)).map((child) => String(child.id));
      await send(
        context,
        objectActionRequest(contract, id, sub.writeAction.action, {
          [sub.writeAction.bodyKey]: items,
          ...(sub.writeAction.deletedIdsKey && { [sub.writeAction.deletedIdsKey]: ids }),
        }),
      );
      continue;
    }
    const have = new Set(existing.map((child) => stableStringify(child)));
    for (const child of items)
      if (!have.has(stableStringify(child)))
        await send(context, subResourceCreateRequest(contract, id, sub.name, child));
  }
  if (contract.assignments.write.kind === 'none' || contract.shape.kind === 'singleton') return;
  const currentAssignments = current?.assignments ?? (await readAssignments(context, contract, id));
  if (sameItems(desired.assignments, currentAssignments)) return;
  const have = new Set(currentAssignments.map((a) => stableStringify(a)));
  const toWrite =
    contract.assignments.write.kind === 'post-assignments'
      ? desired.assignments.filter((a) => !have.has(stableStringify(a)))
      : desired.assignments;
  for (const spec of assignmentWriteRequests(contract, id, toWrite)) {
    await graph.budget.take(1, graph.signal);
    await graph.client.send(spec, { correlation: graph.correlation, signal: graph.signal });
  }
}

async function rawSubResource(context: ExecuteContext, contract: GraphContract, id: string, name: string) {
  const [read] = await context.deps.inventory.readByIds(context.graph.graph, contract, [id]);
  return (read?.subResources[name] ?? []) as GraphObject[];
}

async function readSubResource(context: ExecuteContext, contract: GraphContract, id: string, name: string) {
  const [read] = await context.deps.inventory.readByIds(context.graph.graph, contract, [id]);
  return read ? (currentDocument(context.deps, contract, read).separate[name] ?? []) : [];
}

async function readAssignments(context: ExecuteContext, contract: GraphContract, id: string) {
  if (contract.assignments.read === 'none') return [];
  const [read] = await context.deps.inventory.readByIds(context.graph.graph, contract, [id]);
  return read ? currentDocument(context.deps, contract, read).assignments : [];
}

async function auditWrite(
  context: ExecuteContext,
  item: PlanItem,
  outcome: ItemOutcome,
  execution: ItemExecution,
) {
  const { run, deps } = context;
  await deps.audit.record({
    workspaceId: run.workspaceId,
    tenantId: run.tenantId,
    actor: run.initiator.kind === 'user' ? run.initiator : { kind: 'system' },
    action: outcome === 'created' ? 'restore.object_created' : 'restore.object_updated',
    target: { type: item.policyType, id: execution.targetGraphId ?? item.sourceGraphId },
    outcome: 'success',
    metadata: {
      runId: run.id,
      planId: item.planId,
      sourceGraphId: item.sourceGraphId,
      displayName: item.displayName,
    },
    idempotencyKey: `restore:${run.id}:${item.id}`,
  });
}

/** An item's failure: Graph's reason code and message, or the app's sanitized one. */
export function failureOf(error: unknown): { reasonCode: string; message: string } {
  if (error instanceof GraphRequestError) return { reasonCode: error.reasonCode, message: error.message };
  return toRunFailure(error);
}
