import type { Container } from '@azure/cosmos';
import { getByIdRequest, getContract, isGraphNotFound, type GraphObject } from '../graph';
import { toRunFailure, type Run, type RunFailure } from '../operations/model';
import { describe, observeContextOf } from './observe';
import { readPages, type GraphReadContext } from './reader';
import type { InventoryDeps } from './deps';
import { openRunGraph, type RunGraph } from './run-context';
import { emptyWriteStats, type WriteStats } from './store/batch-writer';
import { concludeType, previousObservation, recordPage, type ObservedVersion } from './recording';
import type { ObservedEntry } from './store/observations';

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
  /** Referenced groups taken from the directory cache (fresh enough) instead of Graph. */
  fromDirectoryCache: number;
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
    fromDirectoryCache: 0,
    pages: 0,
    subRequests: 0,
    cosmosRequests: 0,
    documentsWritten: 0,
    versions: [],
  };
  let opened: RunGraph | undefined;
  let found: GraphObject[] = [];
  try {
    // Groups the directory cache holds (synced recently enough) are not read from Graph again: only
    // the ones it has never seen are, by id. Groups it saw deleted are unresolved, as Graph would say.
    const cached = await deps.directoryGroups?.(run.tenantId, [...referenced]);
    if (cached) {
      found = cached.live;
      result.fromDirectoryCache = cached.live.length;
      result.unresolved = cached.removed;
    }
    const toRead = cached ? new Set(cached.unknown) : referenced;
    if (toRead.size > 0) {
      opened = await openRunGraph(deps, run);
      const read = cached
        ? await readGroupsById(opened.graph, toRead)
        : await readGroups(opened.graph, toRead);
      found = [...found, ...read.found];
      result.unresolved += read.unresolved;
    }
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
  const rest = await readGroupsById(graph, remaining);
  return { found: [...found, ...rest.found], unresolved: rest.unresolved };
}

/** Groups read one by one (packed in `$batch`es); 404s are unresolved. */
async function readGroupsById(
  graph: GraphReadContext,
  ids: ReadonlySet<string>,
): Promise<{ found: GraphObject[]; unresolved: number }> {
  const contract = getContract('groups');
  graph.stats.subRequests += ids.size;
  const answers = await Promise.all([...ids].map((id) => graph.batches.read(getByIdRequest(contract, id))));
  const found: GraphObject[] = [];
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
  const now = deps.clock.now().toISOString();
  const context = observeContextOf(run, contract, now);
  const previous = await previousObservation(deps, run.tenantId, contract.key);
  const entries: ObservedEntry[] = [];
  for (let start = 0; start < found.length; start += WRITE_CHUNK) {
    const described = found
      .slice(start, start + WRITE_CHUNK)
      .map((group) => describe(context, { object: group, subResources: {}, assignments: [], gone: false }));
    const record = await recordPage(deps, context, described, previous);
    for (const change of record.changes) {
      if (change === 'new') result.new++;
      if (change === 'changed') result.changed++;
    }
    entries.push(...described.map((read) => read.entry));
    await deps.versions.write(run.tenantId, record.versions, writes);
    await deps.items.upsert(run.tenantId, record.items, writes);
    result.stored += described.length;
    result.versions.push(...record.seen);
    await onVersions?.(record.seen);
  }
  // Every referenced group was looked up: those not found, and groups no longer referenced, are removed.
  result.removed = await concludeType(
    deps,
    {
      tenantId: run.tenantId,
      runId: run.id,
      policyType: contract.key,
      previous,
      seen: entries,
      complete: true,
      now,
    },
    writes,
  );
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
