import { getServices } from '../app/services';
import { findContract, graphContracts, type GraphContract, type GraphObject } from '../graph';
import type { Run, RunFailure } from '../operations/model';
import { graphForRun, toRunFailure } from '../providers/graph-access';
import { acquireBatchQueue, allowManyListeners } from './batch-queue';
import { graphBudgetFor } from './graph-budget';
import { markRemoved, observe, seenOnly, type ObserveContext } from './observe';
import { readDetails, readPages, type GraphReadContext } from './reader';
import { inventoryContracts } from './selection';
import { inventoryStores } from './services';
import { emptyWriteStats } from './store/batch-writer';
import { emptyTally, type TypeTally } from './store/cursors';
import type { InventoryItem } from './model';
import type { NewVersion } from './store/versions';

/** Pages of one type read ahead while earlier pages are completed and stored. */
const PIPELINE_DEPTH = 2;
/** Runs report they are alive at least this often while they read. */
const HEARTBEAT_MS = 10_000;

/** A version an inventory read saw: what a backup pins. */
export interface ObservedVersion {
  itemId: string;
  graphId: string;
  versionId: string;
  displayName: string;
  change: 'new' | 'changed' | 'restored' | 'unchanged';
}

export interface SyncTypeRequest {
  /** The run doing the read: its tenant, workspace and connection (`context.connectionId`) are used. */
  runId: string;
  /** A contract key of a policy or foundation type. */
  policyType: string;
  /** The `continuation` of the previous call for the same run and type, to read on from there. */
  continuation?: string | null;
  /**
   * Stop at the first page boundary after this many objects and answer with a `continuation` (one
   * activity per page range); default: read the whole type in this call.
   */
  maxObjects?: number;
  /**
   * Likewise after this long (at a page boundary), so one call stays well inside a Functions timeout
   * even when several types share a slow budget.
   */
  maxDurationMs?: number;
  /** Called with each page's versions once they are stored (e.g. to pin them in a backup manifest). */
  onVersions?: (versions: ObservedVersion[]) => Promise<void>;
}

export type TypeStatus = 'succeeded' | 'partial' | 'failed';

export interface SyncTypeResult {
  policyType: string;
  /** `partial`: some objects could not be read (their items were kept as they were). */
  status: TypeStatus;
  /** This call's figures; `total` adds the earlier segments of the type. */
  counts: TypeTally;
  total: TypeTally;
  failure?: RunFailure;
  /** Set when the type has more pages: pass it back to continue. */
  continuation: string | null;
  /** Every version seen by this call, in page order (ids only). */
  versions: ObservedVersion[];
}

export class InventoryRunError extends Error {}

export async function loadRun(runId: string): Promise<Run> {
  const run = await getServices().runs.get(runId);
  if (!run) throw new InventoryRunError(`Run ${runId} does not exist.`);
  return run;
}

export function inventoryContract(policyType: string): GraphContract {
  const contract = findContract(policyType);
  if (!contract || !inventoryContracts().includes(contract))
    throw new InventoryRunError(`'${policyType}' is not an inventory type.`);
  return contract;
}

/**
 * Reads one policy type of the run's tenant from Graph and records it: new and changed objects get a
 * version and their item, unchanged ones only their last-seen stamp (batched), and once the whole type
 * has been read without a failed object, items Graph no longer has are marked removed. Pages stream
 * through (a few in memory at a time); Graph requests are paced by the tenant's budget.
 */
export async function syncPolicyType(request: SyncTypeRequest): Promise<SyncTypeResult> {
  const run = await loadRun(request.runId);
  const contract = inventoryContract(request.policyType);
  const stores = inventoryStores();
  const cursor = request.continuation
    ? await stores.cursors.get(run.tenantId, request.continuation)
    : undefined;
  if (request.continuation && !cursor) throw new InventoryRunError(`Cursor ${request.continuation} is gone.`);
  const before = cursor?.tally ?? emptyTally();
  const tally = emptyTally();
  const versions: ObservedVersion[] = [];
  const finish = (status: TypeStatus, continuation: string | null, failure?: RunFailure): SyncTypeResult => ({
    policyType: contract.key,
    status,
    counts: tally,
    total: addTally(before, tally),
    ...(failure && { failure }),
    continuation,
    versions,
  });

  let access: Awaited<ReturnType<typeof graphForRun>>;
  try {
    access = await graphForRun(run);
  } catch (error) {
    return finish('failed', null, toRunFailure(error, contract.key));
  }
  const abort = new AbortController();
  allowManyListeners(abort.signal);
  const heartbeat = heartbeatFor(run.id, abort);
  const budget = graphBudgetFor(access.connection.entraTenantId, access.connection.clientId);
  const correlation = { runId: run.id, tenantId: run.tenantId };
  const batches = acquireBatchQueue(access.client, budget, correlation);
  const graph: GraphReadContext = {
    client: access.client,
    budget,
    batches: batches.queue,
    correlation,
    signal: abort.signal,
    stats: { pages: 0, subRequests: 0 },
  };
  const writes = emptyWriteStats();
  const observeContext: Omit<ObserveContext, 'now'> = {
    contract,
    workspaceId: run.workspaceId,
    tenantId: run.tenantId,
    runId: run.id,
    typeOrder: graphContracts.indexOf(contract),
  };
  let firstFailure: RunFailure | undefined;

  const processPage = async (objects: GraphObject[]) => {
    const [reads, existing] = await Promise.all([
      readDetails(graph, contract, objects),
      stores.items.byGraphIds(
        run.tenantId,
        contract.key,
        objects.map((object) => String(object.id)),
      ),
    ]);
    const byGraphId = new Map(existing.map((item) => [item.graphId, item]));
    const now = new Date().toISOString();
    const items: InventoryItem[] = [];
    const newVersions: NewVersion[] = [];
    const seen: ObservedVersion[] = [];
    for (const read of reads) {
      const previous = byGraphId.get(String(read.object.id));
      tally.objects++;
      if (read.gone) {
        tally.skipped++;
        continue;
      }
      if (read.failure) {
        tally.failed++;
        firstFailure ??= toRunFailure(read.failure, contract.key);
        if (previous) items.push(seenOnly(previous, now, run.id));
        continue;
      }
      const observation = observe({ ...observeContext, now }, read, previous);
      tally[observation.change]++;
      items.push(observation.item);
      if (observation.version) newVersions.push(observation.version);
      seen.push({
        itemId: observation.item.id,
        graphId: observation.item.graphId,
        versionId: observation.item.currentVersionId,
        displayName: observation.item.displayName,
        change: observation.change,
      });
    }
    // Versions first: an item never points at a version that is not stored.
    await stores.versions.write(run.tenantId, newVersions, writes);
    tally.versionsCreated += newVersions.length;
    await stores.items.upsert(run.tenantId, items, writes);
    versions.push(...seen);
    await request.onVersions?.(seen);
    await heartbeat.beat();
  };

  let continuation: string | null = null;
  let listFailure: RunFailure | undefined;
  const inFlight: Array<Promise<void>> = [];
  let listed = 0;
  const began = Date.now();
  try {
    for await (const page of readPages(graph, contract, cursor?.nextLink)) {
      listed += page.items.length;
      inFlight.push(processPage(page.items));
      if (inFlight.length >= PIPELINE_DEPTH) await inFlight.shift();
      const enough =
        (request.maxObjects !== undefined && listed >= request.maxObjects) ||
        (request.maxDurationMs !== undefined && Date.now() - began >= request.maxDurationMs);
      if (page.nextLink && enough) {
        await Promise.all(inFlight.splice(0));
        continuation = `cursor:${run.id}:${contract.key}:${before.pages + graph.stats.pages}`;
        await stores.cursors.save({
          id: continuation,
          tenantId: run.tenantId,
          runId: run.id,
          policyType: contract.key,
          nextLink: page.nextLink,
          tally: addTally(before, withStats(tally, graph, writes)),
        });
        break;
      }
    }
    await Promise.all(inFlight.splice(0));
  } catch (error) {
    await Promise.allSettled(inFlight.splice(0));
    if (heartbeat.stopped())
      return finish('failed', null, { reasonCode: 'cancelled', message: 'The run ended.' });
    listFailure = toRunFailure(error, contract.key);
    if (listFailure.reasonCode === 'internal_error') logUnexpected(run.id, contract.key, error);
  } finally {
    heartbeat.stop();
    batches.release();
  }

  const total = addTally(before, withStats(tally, graph, writes));
  if (!listFailure && !continuation && total.failed === 0) {
    const now = new Date().toISOString();
    const gone = (await stores.items.unseen(run.tenantId, contract.key, run.id)).map((item) =>
      markRemoved(item, now),
    );
    await stores.items.upsert(run.tenantId, gone, writes);
    tally.removed += gone.length;
  }
  withStats(tally, graph, writes);
  if (listFailure) return finish(total.objects > 0 ? 'partial' : 'failed', null, listFailure);
  if (firstFailure) return finish('partial', continuation, firstFailure);
  return finish('succeeded', continuation);
}

/** Unexpected failures (not Graph's) are logged in full for operators; the run shows a sanitized reason. */
function logUnexpected(runId: string, policyType: string, error: unknown): void {
  console.error(
    JSON.stringify({
      level: 'error',
      message: 'inventory type sync failed unexpectedly',
      runId,
      policyType,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }),
  );
}

function withStats(
  tally: TypeTally,
  graph: GraphReadContext,
  writes: { requests: number; documents: number },
) {
  tally.pages = graph.stats.pages;
  tally.subRequests = graph.stats.subRequests;
  tally.cosmosRequests = writes.requests;
  tally.documentsWritten = writes.documents;
  return tally;
}

function addTally(a: TypeTally, b: TypeTally): TypeTally {
  return Object.fromEntries(
    Object.entries(a).map(([key, value]) => [key, value + b[key as keyof TypeTally]]),
  ) as TypeTally;
}

/**
 * Keeps the run's heartbeat fresh while the type is read, and notices when the run has ended (cancelled
 * or failed as stale): the reads are then aborted instead of running on for nothing.
 */
function heartbeatFor(runId: string, abort: AbortController) {
  let last = Date.now();
  let ended = false;
  return {
    async beat() {
      if (Date.now() - last < HEARTBEAT_MS) return;
      last = Date.now();
      const run = await getServices().lifecycle.progress(runId, {});
      if (run.status === 'completed') {
        ended = true;
        abort.abort(new InventoryRunError('The run has ended.'));
      }
    },
    stopped: () => ended,
    stop() {
      last = Number.POSITIVE_INFINITY;
    },
  };
}
