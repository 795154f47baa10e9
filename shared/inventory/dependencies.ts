import { getByIdRequest, getContract, graphContracts, isGraphNotFound, type GraphObject } from '../graph';
import type { RunFailure } from '../operations/model';
import { graphForRun, toRunFailure } from '../providers/graph-access';
import { BatchQueue } from './batch-queue';
import { graphBudgetFor } from './graph-budget';
import type { InventoryItem } from './model';
import { markRemoved, observe } from './observe';
import { readPages, type GraphReadContext } from './reader';
import { inventoryStores } from './services';
import { emptyWriteStats } from './store/batch-writer';
import type { NewVersion } from './store/versions';
import { loadRun, type ObservedVersion } from './sync-type';

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

/**
 * The groups the tenant's current items are assigned to (id, name, type, membership rule), stored as
 * inventory items of type `groups` with their own versions. One directory page (999 groups) is read
 * first: most tenants' groups fit in it. In a larger directory, what it did not hold is read by id,
 * 20 to a `$batch`, rather than listing the whole directory for a few hundred referenced groups.
 */
export async function syncDependencies(request: {
  runId: string;
  onVersions?: (versions: ObservedVersion[]) => Promise<void>;
}): Promise<DependencyResult> {
  const run = await loadRun(request.runId);
  const contract = getContract('groups');
  const { items, versions: versionStore } = inventoryStores();
  const referenced = await referencedGroupIds(items.container, run.tenantId);
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
  let graph: GraphReadContext;
  try {
    const access = await graphForRun(run);
    const budget = graphBudgetFor(access.connection.entraTenantId, access.connection.clientId);
    const correlation = { runId: run.id, tenantId: run.tenantId };
    graph = {
      client: access.client,
      budget,
      batches: new BatchQueue(access.client, budget, correlation),
      correlation,
      stats: { pages: 0, subRequests: 0 },
    };
  } catch (error) {
    return { ...result, failure: toRunFailure(error, contract.key) };
  }
  const found: GraphObject[] = [];
  try {
    if (referenced.size > 0) {
      const pages = readPages(graph, contract);
      const first = await pages.next();
      await pages.return(undefined);
      const remaining = new Set(referenced);
      for (const group of first.done ? [] : first.value.items) {
        if (remaining.delete(String(group.id))) found.push(group);
      }
      // The whole directory fit in that page: what it did not hold does not exist (deleted groups).
      if (first.done || !first.value.nextLink) {
        result.unresolved = remaining.size;
        remaining.clear();
      }
      graph.stats.subRequests += remaining.size;
      const answers = await Promise.all(
        [...remaining].map((id) => graph.batches.read(getByIdRequest(contract, id))),
      );
      for (const answer of answers) {
        if (answer.ok) found.push(answer.body as GraphObject);
        else if (isGraphNotFound(answer.error)) result.unresolved++;
        else throw answer.error;
      }
    }
  } catch (error) {
    return {
      ...result,
      pages: graph.stats.pages,
      subRequests: graph.stats.subRequests,
      failure: toRunFailure(error, contract.key),
    };
  }

  const writes = emptyWriteStats();
  const now = new Date().toISOString();
  const context = {
    contract,
    workspaceId: run.workspaceId,
    tenantId: run.tenantId,
    runId: run.id,
    now,
    typeOrder: graphContracts.indexOf(contract),
  };
  for (let start = 0; start < found.length; start += 500) {
    const page = found.slice(start, start + 500);
    const existing = new Map(
      (
        await items.byGraphIds(
          run.tenantId,
          contract.key,
          page.map((group) => String(group.id)),
        )
      ).map((item) => [item.graphId, item]),
    );
    const stored: InventoryItem[] = [];
    const versions: NewVersion[] = [];
    const seen: ObservedVersion[] = [];
    for (const group of page) {
      const observation = observe(
        context,
        { object: group, subResources: {}, assignments: [], gone: false },
        existing.get(String(group.id)),
      );
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
    await request.onVersions?.(seen);
  }
  const gone = (await items.unseen(run.tenantId, contract.key, run.id)).map((item) => markRemoved(item, now));
  await items.upsert(run.tenantId, gone, writes);
  return {
    ...result,
    removed: gone.length,
    pages: graph.stats.pages,
    subRequests: graph.stats.subRequests,
    cosmosRequests: writes.requests,
    documentsWritten: writes.documents,
  };
}

/** Group ids in the assignments of the tenant's current (not removed) items. */
async function referencedGroupIds(
  container: import('@azure/cosmos').Container,
  tenantId: string,
): Promise<Set<string>> {
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
