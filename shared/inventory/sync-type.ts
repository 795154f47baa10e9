import { graphContracts, type GraphObject } from '../graph';
import { InvariantError } from '../errors';
import { toRunFailure, type RunFailure } from '../operations/model';
import { describe, type Described, type ObserveContext } from './observe';
import { readDetails, readPages, type GraphReadContext } from './reader';
import { concludeType, previousObservation, recordPage, type ObservedVersion } from './recording';
import type { InventoryDeps } from './deps';
import { inventoryContract, logUnexpected, openRunGraph, type RunGraph } from './run-context';
import { emptyWriteStats, type WriteStats } from './store/batch-writer';
import { addTallies, emptyTally, type SyncCursor, type TypeTally } from './store/cursors';
import type { ObservedEntry } from './store/observations';

/** Who changed what a full sync finds changed: no audit record was matched to it. */
const FOUND_BY_SYNC = { kind: 'unknown', reason: 'found_by_full_sync' } as const;

/** Pages of one type read ahead while earlier pages are completed and stored. */
const PIPELINE_DEPTH = 2;

export type { ObservedVersion };

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

/**
 * Reads one policy type of the run's tenant from Graph and records it: new and changed objects get a
 * version and their item, unchanged ones nothing; at the type's end what it saw is recorded as the
 * type's observation (recording.ts), and once the whole type has been read without a failed object,
 * items Graph no longer has are marked removed. Pages stream
 * through (a few in memory at a time); Graph requests are paced by the tenant's budget.
 */
export async function syncPolicyType(deps: InventoryDeps, request: SyncTypeRequest): Promise<SyncTypeResult> {
  const run = await deps.runs.require(request.runId);
  const contract = inventoryContract(request.policyType);
  const stores = deps;
  const cursor = request.continuation
    ? await stores.cursors.get(run.tenantId, request.continuation)
    : undefined;
  if (request.continuation && !cursor) throw new InvariantError(`Cursor ${request.continuation} is gone.`);
  const before = cursor?.tally ?? emptyTally();
  const tally = emptyTally();
  const versions: ObservedVersion[] = [];
  const finish = (status: TypeStatus, continuation: string | null, failure?: RunFailure): SyncTypeResult => ({
    policyType: contract.key,
    status,
    counts: tally,
    total: addTallies(before, tally),
    ...(failure && { failure }),
    continuation,
    versions,
  });

  let opened: RunGraph;
  try {
    opened = await openRunGraph(deps, run);
  } catch (error) {
    return finish('failed', null, toRunFailure(error, contract.key));
  }
  const { graph } = opened;
  const writes = emptyWriteStats();
  const observeContext: Omit<ObserveContext, 'now'> = {
    contract,
    workspaceId: run.workspaceId,
    tenantId: run.tenantId,
    runId: run.id,
    typeOrder: graphContracts.indexOf(contract),
    // A sync sees a change without its author: the change watch attributes what it sees first.
    attribution: { changedBy: FOUND_BY_SYNC, activity: null, activityAt: null },
  };
  let firstFailure: RunFailure | undefined;
  const previous = await previousObservation(deps, run.tenantId, contract.key);
  /** What this call saw, for the type's observation. */
  const entries: ObservedEntry[] = [];

  const processPage = async (objects: GraphObject[]) => {
    const reads = await readDetails(graph, contract, objects);
    const now = deps.clock.now().toISOString();
    const described: Described[] = [];
    for (const read of reads) {
      tally.objects++;
      if (read.gone) {
        tally.skipped++;
        continue;
      }
      if (read.failure) {
        tally.failed++;
        firstFailure ??= toRunFailure(read.failure, contract.key);
        // Seen, but not read: it stays as it was last observed.
        const last = previous.entries.get(String(read.object.id));
        if (last) entries.push(last);
        continue;
      }
      described.push(describe(observeContext, read));
    }
    const record = await recordPage(deps, { ...observeContext, now }, described, previous);
    for (const change of record.changes) tally[change]++;
    entries.push(...described.map((read) => read.entry));
    // Versions first: an item never points at a version that is not stored.
    await stores.versions.write(run.tenantId, record.versions, writes);
    tally.versionsCreated += record.versionsCreated;
    await stores.items.upsert(run.tenantId, record.items, writes);
    versions.push(...record.seen);
    await request.onVersions?.(record.seen);
    await opened.beat();
  };

  let continuation: string | null = null;
  let listFailure: RunFailure | undefined;
  const inFlight: Array<Promise<void>> = [];
  let listed = 0;
  const began = deps.clock.now().getTime();
  try {
    for await (const page of readPages(graph, contract, cursor?.nextLink)) {
      listed += page.items.length;
      inFlight.push(processPage(page.items));
      if (inFlight.length >= PIPELINE_DEPTH) await inFlight.shift();
      const enough =
        (request.maxObjects !== undefined && listed >= request.maxObjects) ||
        (request.maxDurationMs !== undefined && deps.clock.now().getTime() - began >= request.maxDurationMs);
      if (page.nextLink && enough) {
        await Promise.all(inFlight.splice(0));
        continuation = `cursor:${run.id}:${contract.key}:${before.pages + graph.stats.pages}`;
        await stores.cursors.save({
          id: continuation,
          tenantId: run.tenantId,
          runId: run.id,
          policyType: contract.key,
          nextLink: page.nextLink,
          tally: addTallies(before, withStats(tally, graph, writes)),
          entries,
          previous: request.continuation ?? null,
        });
        break;
      }
    }
    await Promise.all(inFlight.splice(0));
  } catch (error) {
    await Promise.allSettled(inFlight.splice(0));
    if (opened.ended()) return finish('failed', null, { reasonCode: 'cancelled', message: 'The run ended.' });
    listFailure = toRunFailure(error, contract.key);
    if (listFailure.reasonCode === 'internal_error') logUnexpected(run.id, contract.key, error);
  } finally {
    opened.close();
  }

  const total = addTallies(before, withStats(tally, graph, writes));
  if (!continuation) {
    tally.removed += await concludeType(
      deps,
      {
        tenantId: run.tenantId,
        runId: run.id,
        policyType: contract.key,
        previous,
        seen: [...(await earlierEntries(deps, run.tenantId, cursor)), ...entries],
        complete: !listFailure && total.failed === 0,
        now: deps.clock.now().toISOString(),
      },
      writes,
    );
  }
  withStats(tally, graph, writes);
  if (listFailure) return finish(total.objects > 0 ? 'partial' : 'failed', null, listFailure);
  if (firstFailure) return finish('partial', continuation, firstFailure);
  return finish('succeeded', continuation);
}

/** This call's request figures, written into its tally. */
function withStats(tally: TypeTally, graph: GraphReadContext, writes: WriteStats) {
  tally.pages = graph.stats.pages;
  tally.subRequests = graph.stats.subRequests;
  tally.cosmosRequests = writes.requests;
  tally.documentsWritten = writes.documents;
  return tally;
}

/** What the type's earlier segments of this run saw: the entries along the chain of their cursors. */
async function earlierEntries(
  deps: InventoryDeps,
  tenantId: string,
  cursor: SyncCursor | undefined,
): Promise<ObservedEntry[]> {
  const chain: ObservedEntry[][] = [];
  for (let at = cursor; at;) {
    chain.unshift(at.entries);
    if (!at.previous) break;
    const previous: SyncCursor | undefined = await deps.cursors.get(tenantId, at.previous);
    // Without it the type's removals could not be told apart from objects that segment saw.
    if (!previous) throw new InvariantError(`Cursor ${at.previous} is gone.`);
    at = previous;
  }
  return chain.flat();
}
