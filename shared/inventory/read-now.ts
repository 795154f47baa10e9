import { type GraphContract, type GraphObject } from '../graph';
import type { Run } from '../operations/model';
import type { InventoryDeps } from './deps';
import { describe, observe, observeContextOf } from './observe';
import {
  listInBatch,
  readDetails,
  readObjectsByIds,
  readPages,
  type GraphReadContext,
  type ObjectRead,
} from './reader';
import { inventoryContract } from './run-context';
import type { NewVersion } from './store/versions';
import { emptyWriteStats } from './store/batch-writer';

/** One object read now: complete, gone (404), or failed with its Graph error. */
export type ReadNow = ObjectRead;

/**
 * The objects of one type with these ids, as Graph shows them now and read completely (assignments and
 * sub-resources): the single reads go through the run's `$batch` queue, 20 to a request. An id Graph
 * does not know is `gone`. A singleton is read by its one GET whatever the ids.
 */
export async function readByIds(
  graph: GraphReadContext,
  contract: GraphContract,
  ids: readonly string[],
): Promise<ReadNow[]> {
  if (contract.shape.kind === 'singleton') return readCollection(graph, contract);
  return readObjectsByIds(graph, contract, ids);
}

/**
 * The objects of a type as its list shows them (first page through the run's `$batch` queue), read
 * completely only where `wanted` says so: a restore matches by id or name, then needs the details of
 * the matches only. A singleton is read by its one GET.
 */
export async function readListed(
  graph: GraphReadContext,
  contract: GraphContract,
  wanted: (object: GraphObject) => boolean,
): Promise<ReadNow[]> {
  if (contract.shape.kind === 'singleton') return readCollection(graph, contract);
  return readDetails(graph, contract, (await listInBatch(graph, contract)).filter(wanted));
}

/** Every object of the contract's collection, read completely (used where names, not ids, match). */
export async function readCollection(graph: GraphReadContext, contract: GraphContract): Promise<ReadNow[]> {
  const reads: ReadNow[] = [];
  for await (const page of readPages(graph, contract))
    reads.push(...(await readDetails(graph, contract, page.items)));
  return reads;
}

/** A read object kept as the inventory keeps it: the version stored, the item pointing at it. */
export interface RecordedRead {
  graphId: string;
  itemId: string;
  versionId: string;
  displayName: string;
}

/**
 * Stores what was just read exactly as a sync would (same content hash, same item update), so the
 * inventory and a later sync agree with it: restore's pre-write snapshot and re-reads use it.
 * Idempotent: a version is content-addressed, and an item that already says what was read is not
 * written again. Items written here carry a newer Cosmos `_ts` than their type's observation, so the
 * next sync's removals still count them (recording.ts).
 */
export async function recordReads(
  deps: InventoryDeps,
  run: Run,
  policyType: string,
  reads: readonly ReadNow[],
): Promise<RecordedRead[]> {
  const contract = inventoryContract(policyType);
  const complete = reads.filter((read) => !read.gone && !read.failure);
  const existing = await deps.items.byGraphIds(
    run.tenantId,
    contract.key,
    complete.map((read) => String(read.object.id)),
  );
  const byGraphId = new Map(existing.map((item) => [item.graphId, item]));
  const now = deps.clock.now().toISOString();
  const context = observeContextOf(run, contract, now);
  const described = complete.map((read) => describe(context, read));
  const observations = described.map((read) => observe(context, read, byGraphId.get(read.graphId)));
  const writes = emptyWriteStats();
  const versions: NewVersion[] = observations.flatMap((o) => (o.version ? [o.version] : []));
  await deps.versions.write(run.tenantId, versions, writes);
  // An unchanged object's item already says all of it: nothing to write.
  await deps.items.upsert(
    run.tenantId,
    observations.flatMap((o) => (o.item ? [o.item] : [])),
    writes,
  );
  return described.map((read) => ({
    graphId: read.graphId,
    itemId: read.itemId,
    versionId: read.hash,
    displayName: read.fields.displayName,
  }));
}
