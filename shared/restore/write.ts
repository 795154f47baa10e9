import {
  assignmentWriteRequests,
  childDeleteRequest,
  createViaRequest,
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
import { readPages, stableStringify, type ReadNow, type RunGraph } from '../inventory';
import { toRunFailure, type Run } from '../operations/model';
import {
  differences,
  documentHash,
  itemKey,
  writeDocument,
  writeFormOfItem,
  type WriteDocument,
} from './body';
import type { RestoreDeps } from './deps';
import { nameOf } from './mapping';
import type { ItemExecution, ItemOutcome, PlanItem, RestorePlan } from './model';
import { bindRoot, currentDocument, mappedDocument, safeState } from './preview';

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
  const version = await deps.inventory.readVersion(planSourceTenantOf(context.plan), item.sourceVersionId);
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
  const mapped = mappedDocument(
    contract,
    writeDocument(contract, version.content, bindRoot(deps, contract)),
    item.references,
    (ref) => context.created.get(`${ref.target}:${ref.sourceId}`),
  );
  try {
    const options = context.plan.options;
    if (item.action === 'update') return await update(context, contract, item, mapped, finish);
    const desired = safeState(contract, mapped, options, undefined);
    const saveIntent = async (execution: ItemExecution) => {
      const next = { ...item, execution };
      if (!(await deps.store.saveItem(next, etag)))
        throw new Error('The plan item changed while it was written.');
      const again = await deps.store.item(run.tenantId, item.id);
      item = again!.item;
      etag = again!.etag;
    };
    const targetId = await create(context, contract, item, desired, saveIntent, version.content.object);
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
  const { graph, writes } = context.graph;
  await writes.take(1, graph.signal);
  await graph.budget.take(1, graph.signal);
  return graph.client.send(spec, { correlation: graph.correlation, signal: graph.signal });
}

/** What a create sends: the object with its inline sub-resources. */
function createBody(desired: WriteDocument): Json {
  return { ...desired.object, ...desired.inline };
}

async function create(
  context: ExecuteContext,
  contract: GraphContract,
  item: PlanItem,
  desired: WriteDocument,
  saveIntent: (execution: ItemExecution) => Promise<void>,
  /** The backed-up object as stored (a `createVia` path names members a write body leaves out). */
  stored: Json,
): Promise<string> {
  const now = () => context.deps.clock.now().toISOString();
  let targetId = item.execution?.targetGraphId ?? null;
  if (!targetId && item.execution?.state === 'writing')
    targetId = await findCreated(context, contract, item, item.execution.at);
  if (!targetId) {
    // The intent first: if the answer to the POST is lost, the retry knows to look before creating again.
    await saveIntent({ state: 'writing', at: now() });
    const request = contract.restore?.createVia
      ? createViaRequest(contract, { ...stored, ...desired.object }, desired.inline)
      : createRequest(contract, createBody(desired));
    const created = (await send(context, request)) as Json;
    targetId = String(created.id);
  }
  await saveIntent({ state: 'writing', targetGraphId: targetId, at: now() });
  await writeParts(context, contract, targetId, desired, undefined);
  return targetId;
}

/** Graph's clock and ours may differ a little; an object created this long before the intent is not ours. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The object an earlier attempt created (its answer lost): among the target's objects of that name, the
 * first one created since the intent was recorded. Where the family has no creation time, only a single
 * object of that name counts (several: none is adopted, and the create is sent again).
 */
async function findCreated(
  context: ExecuteContext,
  contract: GraphContract,
  item: PlanItem,
  intentAt: string,
): Promise<string | null> {
  const matches: GraphObject[] = [];
  for await (const page of readPages(context.graph.graph, contract))
    matches.push(...page.items.filter((object) => nameOf(object) === item.displayName));
  const since = Date.parse(intentAt) - CLOCK_SKEW_MS;
  const created = (object: GraphObject) =>
    typeof object.createdDateTime === 'string' ? Date.parse(object.createdDateTime) : Number.NaN;
  const timed = matches.filter((object) => !Number.isNaN(created(object)));
  if (timed.length === matches.length && timed.length > 0) {
    const ours = timed.filter((object) => created(object) >= since).sort((a, b) => created(a) - created(b));
    return ours[0] ? String(ours[0].id) : null;
  }
  return matches.length === 1 ? String(matches[0]!.id) : null;
}

async function update(
  context: ExecuteContext,
  contract: GraphContract,
  item: PlanItem,
  mapped: WriteDocument,
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
  const desired = safeState(contract, mapped, context.plan.options, current);
  if (documentHash(current) !== item.targetHash) {
    // Our own earlier attempt may have written it already; anything else is someone's newer change.
    if (differences(current, desired).length === 0) return finish('updated');
    return finish('skipped', {
      reasonCode: 'target_changed_since_preview',
      message: 'The object changed in the target since the preview; it was not overwritten.',
    });
  }
  if (contract.restore?.update === 'put') {
    // The whole policy with the sub-resources a PUT carries; those with their own action follow it.
    const carried = Object.fromEntries(
      Object.entries(desired.inline).filter(
        ([name]) => !contract.subResources.find((sub) => sub.name === name)?.writeAction,
      ),
    );
    await send(context, replaceRequest(contract, id, { ...desired.object, ...carried }));
  } else {
    await send(context, updateRequest(contract, id, desired.object));
  }
  await writeInlineByAction(context, contract, id, desired, current);
  await writeParts(context, contract, id, desired, read);
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
  stableStringify(a.map(itemKey).sort()) === stableStringify(b.map(itemKey).sort());

/**
 * Sub-resources created separately and the assignments, made equal to the backup's: by the family's
 * replacing action where it has one, else by deleting what the backup does not hold and adding what is
 * missing (so a retried step only does what is left). `raw` is the target as read before an update;
 * after a create it is read again.
 */
async function writeParts(
  context: ExecuteContext,
  contract: GraphContract,
  id: string,
  desired: WriteDocument,
  raw: ReadNow | undefined,
) {
  const { deps } = context;
  const read = raw ?? (await deps.inventory.readByIds(context.graph.graph, contract, [id]))[0];
  const root = bindRoot(deps, contract);
  for (const sub of contract.subResources) {
    const items = desired.separate[sub.name];
    if (sub.write !== 'separate' || !items) continue;
    const children = (read?.subResources[sub.name] ?? []) as Json[];
    if (sub.writeAction) {
      const current = children.map((child) => writeFormOfItem(contract, sub.name, child, root));
      if (items.length === 0 || sameItems(items, current)) continue;
      await send(
        context,
        objectActionRequest(contract, id, sub.writeAction.action, {
          [sub.writeAction.bodyKey]: items,
          ...(sub.writeAction.deletedIdsKey && {
            [sub.writeAction.deletedIdsKey]: children.map((child) => String(child.id)),
          }),
        }),
      );
      continue;
    }
    await reconcile(context, contract, id, sub.name, items, children, (child) =>
      subResourceCreateRequest(contract, id, sub.name, child),
    );
  }
  if (contract.assignments.write.kind === 'none' || contract.shape.kind === 'singleton') return;
  const assigned = (read?.assignments ?? []) as Json[];
  const current = assigned.map((a) => writeFormOfItem(contract, 'assignments', a, root));
  if (sameItems(desired.assignments, current)) return;
  if (contract.assignments.write.kind === 'action') {
    for (const spec of assignmentWriteRequests(contract, id, desired.assignments)) await send(context, spec);
    return;
  }
  await reconcile(
    context,
    contract,
    id,
    'assignments',
    desired.assignments,
    assigned,
    (assignment) => assignmentWriteRequests(contract, id, [assignment])[0]!,
  );
}

/** Deletes the items the backup does not hold, then adds the ones the target lacks. */
async function reconcile(
  context: ExecuteContext,
  contract: GraphContract,
  id: string,
  part: string,
  desired: Json[],
  existing: Json[],
  add: (item: Json) => GraphRequestSpec,
) {
  const root = bindRoot(context.deps, contract);
  const wanted = new Map<string, number>();
  for (const item of desired) wanted.set(itemKey(item), (wanted.get(itemKey(item)) ?? 0) + 1);
  for (const child of existing) {
    const key = itemKey(writeFormOfItem(contract, part, child, root));
    const left = wanted.get(key) ?? 0;
    if (left > 0) wanted.set(key, left - 1);
    else await send(context, childDeleteRequest(contract, id, part, String(child.id)));
  }
  for (const item of desired) {
    const key = itemKey(item);
    const left = wanted.get(key) ?? 0;
    if (left === 0) continue;
    wanted.set(key, left - 1);
    await send(context, add(item));
  }
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

/** Where the plan's versions are: recorded by the preview (older plans: the source's tenant). */
export function planSourceTenantOf(plan: RestorePlan): string {
  return plan.sourceTenantId ?? ('tenantId' in plan.source ? plan.source.tenantId : plan.tenantId);
}
