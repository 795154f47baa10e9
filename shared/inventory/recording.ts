import type { InventoryDeps } from './deps';
import type { InventoryItem } from './model';
import {
  itemFieldsDigest,
  markRemoved,
  observe,
  type Change,
  type Described,
  type ObserveContext,
} from './observe';
import type { WriteStats } from './store/batch-writer';
import type { Observation, ObservedEntry } from './store/observations';
import type { NewVersion } from './store/versions';

/** A version an inventory read saw: what a backup pins. */
export interface ObservedVersion {
  itemId: string;
  graphId: string;
  versionId: string;
  displayName: string;
  change: Change;
}

/** The type's previous observation; none yet (the first sync, or data from before observations): empty. */
export async function previousObservation(
  deps: InventoryDeps,
  tenantId: string,
  policyType: string,
): Promise<Observation> {
  return (
    (await deps.observations.get(tenantId, policyType)) ?? {
      runId: '',
      savedTs: null,
      observedAt: null,
      complete: false,
      removed: [],
      entries: new Map(),
    }
  );
}

export interface PageRecord {
  /** Items to write (new, changed, restored, or whose derived fields moved); unchanged ones are not. */
  items: InventoryItem[];
  /** Versions to write. */
  versions: NewVersion[];
  /** New versions this page made (those a retried activity made already included). */
  versionsCreated: number;
  seen: ObservedVersion[];
  /** One per described object, in order. */
  changes: Change[];
}

/**
 * What a page of read objects means against the type's previous observation: an object whose content
 * hash and derived fields are the ones observed last time is unchanged without reading its item; the
 * others are compared with their stored items (one query) and written when anything differs.
 */
export async function recordPage(
  deps: InventoryDeps,
  context: ObserveContext,
  described: readonly Described[],
  previous: Observation,
): Promise<PageRecord> {
  // A retried activity finds its own run's observation: what the run changed is told by the items.
  const ownRun = previous.runId === context.runId;
  const same = (read: Described) => {
    if (ownRun) return false;
    const last = previous.entries.get(read.graphId);
    return last !== undefined && last.h === read.entry.h && last.f === read.entry.f;
  };
  const toCompare = described.filter((read) => !same(read)).map((read) => read.graphId);
  const existing = new Map(
    (await deps.items.byGraphIds(context.tenantId, context.contract.key, toCompare)).map((item) => [
      item.graphId,
      item,
    ]),
  );
  const record: PageRecord = { items: [], versions: [], versionsCreated: 0, seen: [], changes: [] };
  for (const read of described) {
    const observation = same(read)
      ? { change: 'unchanged' as const, versionCreated: false, item: undefined, version: undefined }
      : observe(context, read, existing.get(read.graphId));
    record.changes.push(observation.change);
    if (observation.versionCreated) record.versionsCreated++;
    if (observation.item) record.items.push(observation.item);
    if (observation.version) record.versions.push(observation.version);
    record.seen.push({
      itemId: read.itemId,
      graphId: read.graphId,
      versionId: read.hash,
      displayName: read.fields.displayName,
      change: observation.change,
    });
  }
  return record;
}

/**
 * The end of a type's read in a run: records what it saw as the type's observation (one document up to
 * 10,000 objects) and, when the listing was complete, marks removed the type's present items it did not
 * see. Those are the previous observation's, plus any item written after it (Cosmos's timestamps; by a
 * run that died before recording): every present item is in one or the other, so removal stays exact
 * without a stamp on each item. An incomplete read keeps both in its observation. Returns how many were
 * removed; a retried call answers the same (the observation keeps its run's removals).
 */
export async function concludeType(
  deps: InventoryDeps,
  input: {
    tenantId: string;
    runId: string;
    policyType: string;
    previous: Observation;
    /** Everything the run saw of the type (earlier segments included); failed reads as last observed. */
    seen: readonly ObservedEntry[];
    /** Listed to its end, every object read: removals may be derived. */
    complete: boolean;
    now: string;
  },
  writes: WriteStats,
): Promise<number> {
  const { tenantId, runId, policyType, previous, now } = input;
  const current = new Map(input.seen.map((entry) => [entry.g, entry]));
  /** This run recorded the type already (the activity runs again): it keeps its time and removals. */
  const again = previous.runId === runId && previous.complete;
  const unrecorded = await deps.items.presentWrittenSince(tenantId, policyType, previous.savedTs ?? 0);
  const recorded = new Map([
    ...previous.entries,
    ...unrecorded.map((item) => [item.graphId, entryOf(item)] as const),
  ]);
  // Nothing read and nothing new to record (e.g. a type the app may not read): the observation stands.
  if (!input.complete && current.size === 0 && unrecorded.length === 0) return 0;
  let removed: string[] = [];
  if (input.complete) {
    const candidates = new Set(recorded.keys());
    if (again) for (const id of previous.removed) candidates.add(id);
    const missing = [...candidates].filter((graphId) => !current.has(graphId)).sort();
    const items = await deps.items.byGraphIds(tenantId, policyType, missing);
    const itemOf = new Map(items.map((item) => [item.graphId, item]));
    // An item already marked removed before this run (the change watch saw the delete first) is not
    // this run's removal; one this run marked (a retried segment) still is.
    removed = missing.filter((graphId) => {
      const removedAt = itemOf.get(graphId)?.removedAt;
      return !removedAt || (again && removedAt === previous.observedAt);
    });
    const gone = items
      .filter((item) => !item.removedAt)
      .map((item) => markRemoved(item, now, previous.observedAt));
    await deps.items.upsert(tenantId, gone, writes);
  }
  // Incomplete: what was present and not seen may still be there, so it stays recorded.
  const entries = input.complete ? current : new Map([...recorded, ...current]);
  await deps.observations.save(
    tenantId,
    policyType,
    {
      runId,
      observedAt: input.complete ? (again ? previous.observedAt : now) : previous.observedAt,
      complete: input.complete,
      removed,
      // In Graph id order: pages are completed concurrently, the document is the same however they finish.
      entries: [...entries.values()].sort((a, b) => (a.g < b.g ? -1 : a.g > b.g ? 1 : 0)),
    },
    writes,
  );
  return removed.length;
}

/** The entry an item would have been observed with. */
export function entryOf(item: InventoryItem): ObservedEntry {
  return { g: item.graphId, h: item.contentHash, f: itemFieldsDigest(item) };
}
