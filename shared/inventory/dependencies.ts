import type { Container } from '@azure/cosmos';
import { getByIdRequest, getContract, graphContracts, isGraphNotFound, type GraphObject } from '../graph';
import { toRunFailure, type Run, type RunFailure } from '../operations/model';
import type { InventoryItem } from './model';
import { markRemoved, observe } from './observe';
import { readPages, type GraphReadContext } from './reader';
import type { InventoryDeps } from './deps';
import { openRunGraph, type RunGraph } from './run-context';
import { emptyWriteStats, type WriteStats } from './store/batch-writer';
import type { NewVersion } from './store/versions';
import type { ObservedVersion } from './sync-type';

export interface DependencyResult {
  /** Groups referenced by the tenant's current items. */
  referenced: number;
  stored: number;
  new: number;
  changed: number;
  /** Referenced but not found in the directory (deleted groups still named by an assignment). */
  unresolved: number;
  /** Group items no longer referenced (or deleted). */
  removed: number;
  pages: number;
  subRequests: number;
  cosmosRequests: number;
  documentsWritten: number;
  failure?: RunFailure;
  versions: ObservedVersion[];
}

/** Groups stored per write round. */
const WRITE_CHUNK = 500;

/**
 * The groups the tenant's current items are assigned to (id, name, type, membership rule), stored as
 * inventory items of type `groups` with their own versions; groups no longer referenced are marked
 * removed. Runs after the types, whose assignments it follows.
 */
export async function syncDependencies(
  deps: InventoryDeps,
  request: { runId: string; onVersions?: (versions: ObservedVersion[]) => Promise<void> },
): Promise<DependencyResult> {
  const run = await deps.runs.require(request.runId);
  const contract = getContract('groups');
  const referenced = await referencedGroupIds(deps.items.container, run.tenantId);
  const result: DependencyResult = {
    referenced: referenced.size,
    stored: 0,
    new: 0,
    changed: 0,
    unresolved: 0,
    removed: 0,
    pages: 0,
    subRequests: 0,
    cosmosRequests: 0,
    documentsWritten: 0,
    versions: [],
  };
  let opened: RunGraph | undefined;
  let found: GraphObject[];
  try {
    opened = await openRunGraph(deps, run);
    const read = await readGroups(opened.graph, referenced);
    found = read.found;
    result.unresolved = read.unresolved;
  } catch (error) {
    return { ...result, ...readFigures(opened), failure: toRunFailure(error, contract.key) };
  } finally {
    opened?.close();
  }
  const writes = emptyWriteStats();
  await storeGroups(deps, run, found, result, writes, request.onVersions);
  return {
    ...result,
    ...readFigures(opened),
    cosmosRequests: writes.requests,
    documentsWritten: writes.documents,
  };
}

function readFigures(opened: RunGraph | undefined) {
  return { pages: opened?.graph.stats.pages ?? 0, subRequests: opened?.graph.stats.subRequests ?? 0 };
}

/**
 * One directory page (999 groups) first: most tenants' groups fit in it, and then whatever it does not
 * hold does not exist. In a larger directory the rest is read by id through the batch queue, rather
 * than listing the whole directory for a few hundred referenced groups.
 */
async function readGroups(
  graph: GraphReadContext,
  referenced: ReadonlySet<string>,
): Promise<{ found: GraphObject[]; unresolved: number }> {
  if (referenced.size === 0) return { found: [], unresolved: 0 };
  const contract = getContract('groups');
  const pages = readPages(graph, contract);
  const first = await pages.next();
  await pages.return(undefined);
  const found: GraphObject[] = [];
  const remaining = new Set(referenced);
  for (const group of first.done ? [] : first.value.items) {
    if (remaining.delete(String(group.id))) found.push(group);
  }
  if (first.done || !first.value.nextLink) return { found, unresolved: remaining.size };
  graph.stats.subRequests += remaining.size;
  const answers = await Promise.all(
    [...remaining].map((id) => graph.batches.read(getByIdRequest(contract, id))),
  );
  let unresolved = 0;
  for (const answer of answers) {
    if (answer.ok) found.push(answer.body as GraphObject);
    else if (isGraphNotFound(answer.error)) unresolved++;
    else throw answer.error;
  }
  return { found, unresolved };
}

async function storeGroups(
  deps: InventoryDeps,
  run: Run,
  found: readonly GraphObject[],
  result: DependencyResult,
  writes: WriteStats,
  onVersions?: (versions: ObservedVersion[]) => Promise<void>,
): Promise<void> {
  const contract = getContract('groups');
  const { items, versions: versionStore } = deps;
  const now = deps.clock.now().toISOString();
  const context = {
    contract,
    workspaceId: run.workspaceId,
    tenantId: run.tenantId,
    runId: run.id,
    now,
    typeOrder: graphContracts.indexOf(contract),
  };
  for (let start = 0; start < found.length; start += WRITE_CHUNK) {
    const chunk = found.slice(start, start + WRITE_CHUNK);
    const ids = chunk.map((group) => String(group.id));
    const existing = new Map(
      (await items.byGraphIds(run.tenantId, contract.key, ids)).map((item) => [item.graphId, item]),
    );
    const stored: InventoryItem[] = [];
    const versions: NewVersion[] = [];
    const seen: ObservedVersion[] = [];
    for (const group of chunk) {
      const read = { object: group, subResources: {}, assignments: [], gone: false };
      const observation = observe(context, read, existing.get(String(group.id)));
      if (observation.change === 'new') result.new++;
      if (observation.change === 'changed') result.changed++;
      stored.push(observation.item);
      if (observation.version) versions.push(observation.version);
      seen.push({
        itemId: observation.item.id,
        graphId: observation.item.graphId,
        versionId: observation.item.currentVersionId,
        displayName: observation.item.displayName,
        change: observation.change,
      });
    }
    await versionStore.write(run.tenantId, versions, writes);
    await items.upsert(run.tenantId, stored, writes);
    result.stored += stored.length;
    result.versions.push(...seen);
    await onVersions?.(seen);
  }
  const gone = (await items.unseen(run.tenantId, contract.key, run.id)).map((item) => markRemoved(item, now));
  await items.upsert(run.tenantId, gone, writes);
  result.removed = gone.length;
}

/** Group ids in the assignments of the tenant's current (not removed) items. */
async function referencedGroupIds(container: Container, tenantId: string): Promise<Set<string>> {
  const { resources } = await container.items
    .query<{ assignments: Array<{ groupId: string | null }> }>(
      {
        query:
          "SELECT c.assignments FROM c WHERE c.tenantId = @tenantId AND c.docType = 'item' AND c.role != 'dependency' AND IS_NULL(c.removedAt)",
        parameters: [{ name: '@tenantId', value: tenantId }],
      },
      { partitionKey: tenantId },
    )
    .fetchAll();
  const ids = new Set<string>();
  for (const item of resources)
    for (const target of item.assignments ?? []) if (target.groupId) ids.add(target.groupId);
  return ids;
}
