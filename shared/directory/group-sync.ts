import {
  deltaRequest,
  getContract,
  GraphRequestError,
  isDeltaTokenExpired,
  type GraphClient,
  type GraphObject,
  type GraphPage,
} from '../graph';
import type { Completion } from '../operations/lifecycle';
import { toRunFailure, type RunFailure } from '../operations/model';
import { emptyWriteStats, type WriteStats } from '../inventory/store/batch-writer';
import type { DirectoryDeps, DirectoryRun } from './deps';
import { directoryGroupOf, type GraphGroupFields, type GroupDocument } from './model';
import type { GroupRound, GroupSyncFigures, GroupSyncState } from './store';

/** A segment (one activity) reads at most this many pages, or for this long, then hands over. */
export const GROUP_SEGMENT_MAX_PAGES = 200;
export const GROUP_SEGMENT_MAX_MS = 3 * 60_000;
/** Groups a full read marks removed per read-and-write round. */
const REMOVAL_CHUNK = 500;
/** Progress lines at most this often (each is a write of the run document). */
const PROGRESS_EVERY_MS = 5_000;

export interface GroupSegmentResult {
  done: boolean;
  pages: number;
  read: number;
  failure?: RunFailure;
}

class DirectoryRunError extends Error {}

const contract = () => getContract('groups');

/**
 * `directory.groups.sync` in three steps, each safe to run again (at-least-once activities):
 * `begin` opens a round in the tenant's state document (delta when a delta link is stored, else full);
 * `segment` reads pages from where the round stands, writes each page's groups, then moves the round
 * on — re-reading a page whose move was lost rewrites the same documents; `finish` marks groups a full
 * read did not see as removed and commits the delta link.
 */
export function createGroupSync(deps: DirectoryDeps) {
  const { store } = deps;
  const elapsedNow = () => deps.clock.now().getTime();

  async function runOf(runId: string): Promise<DirectoryRun> {
    const run = await deps.loadRun(runId);
    if (!run) throw new DirectoryRunError(`Run ${runId} does not exist.`);
    return run;
  }

  async function begin(runId: string): Promise<{ mode: 'full' | 'delta' }> {
    const run = await runOf(runId);
    const state = await store.groupState(run.tenantId);
    if (state.round?.runId === runId) return { mode: state.round.mode };
    const mode = state.deltaLink ? 'delta' : 'full';
    const round: GroupRound = {
      runId,
      mode,
      link: state.deltaLink,
      deltaLink: null,
      fellBack: false,
      pages: 0,
      read: 0,
      written: 0,
      removed: 0,
      cosmosRequests: 0,
      documentsWritten: 0,
    };
    await store.saveState({ ...state, round: counted(round) });
    return { mode };
  }

  async function segment(
    runId: string,
    limits = { maxPages: GROUP_SEGMENT_MAX_PAGES, maxMs: GROUP_SEGMENT_MAX_MS },
  ): Promise<GroupSegmentResult> {
    const run = await runOf(runId);
    let state = await store.groupState(run.tenantId);
    const current = state.round;
    if (!current || current.runId !== runId) {
      if (state.last?.runId === runId) return { done: true, pages: 0, read: 0 };
      throw new DirectoryRunError(`Run ${runId} has no groups round open.`);
    }
    if (current.deltaLink) return { done: true, pages: current.pages, read: current.read };
    let round: GroupRound = current;
    let client: GraphClient;
    try {
      client = (await deps.graphForRun(run)).client;
    } catch (error) {
      return { done: false, pages: round.pages, read: round.read, failure: toRunFailure(error, 'groups') };
    }
    const options = { correlation: { runId, tenantId: run.tenantId } };
    const open = (link: string | null) =>
      link
        ? client.continuePages(link, contract().key, options)
        : client.pages(deltaRequest(contract()), options);
    let pages = open(round.link);
    const started = elapsedNow();
    let lastProgress = 0;
    for (let count = 0; ;) {
      let next: IteratorResult<GraphPage>;
      try {
        next = await pages.next();
      } catch (error) {
        if (isDeltaTokenExpired(error) && round.link !== null) {
          // Graph no longer knows the token: start again with a full read (which also finds deletions).
          round = counted({ ...round, mode: 'full', link: null, fellBack: true });
          state = { ...state, deltaLink: null, round };
          await store.saveState(state);
          pages = open(null);
          continue;
        }
        if (error instanceof GraphRequestError)
          return {
            done: false,
            pages: round.pages,
            read: round.read,
            failure: toRunFailure(error, 'groups'),
          };
        throw error;
      }
      if (next.done) throw new DirectoryRunError('Graph ended a delta round without a delta link.');
      const page = next.value;
      const writes = emptyWriteStats();
      const applied = await applyPage(run, round, page.items, writes);
      round = counted(
        {
          ...round,
          link: page.nextLink ?? null,
          deltaLink: page.deltaLink ?? null,
          pages: round.pages + 1,
          read: round.read + page.items.length,
          written: round.written + applied.written,
          removed: round.removed + applied.removed,
        },
        writes,
      );
      state = { ...state, round };
      await store.saveState(state);
      count++;
      if (elapsedNow() - lastProgress >= PROGRESS_EVERY_MS || round.deltaLink) {
        lastProgress = elapsedNow();
        await deps.progress(runId, {
          progress: `${round.read} groups read (${round.pages} pages, ${round.mode} read)`,
          counts: { processed: round.read },
        });
      }
      if (round.deltaLink) return { done: true, pages: round.pages, read: round.read };
      if (!round.link) throw new DirectoryRunError('Graph ended a delta page without a next or delta link.');
      if (count >= limits.maxPages || elapsedNow() - started >= limits.maxMs) {
        await pages.return(undefined);
        return { done: false, pages: round.pages, read: round.read };
      }
    }
  }

  /** Writes a page's groups that changed; removed entries mark stored groups removed. */
  async function applyPage(
    run: DirectoryRun,
    round: GroupRound,
    items: readonly GraphObject[],
    writes: WriteStats,
  ): Promise<{ written: number; removed: number }> {
    const now = deps.clock.now().toISOString();
    // A full read answers every selected property and stamps every group it sees, so it writes each
    // one without looking at what was stored; a delta answer is merged over the stored group.
    const lookup = items.filter((item) => round.mode === 'delta' || item['@removed'] !== undefined);
    const stored = await store.groupsByIds(
      run.tenantId,
      lookup.map((item) => String(item.id)),
    );
    const existing = new Map(stored.map((doc) => [doc.id, doc]));
    const documents: GroupDocument[] = [];
    let removed = 0;
    for (const item of items) {
      const before = existing.get(String(item.id));
      if (item['@removed'] !== undefined) {
        if (before && !before.removedAt) {
          documents.push(removedDocument(before, run, now));
          removed++;
        }
        continue;
      }
      const after = groupDocument(run, round, item, before, now);
      if (!before || changed(before, after)) documents.push(after);
    }
    await store.upsertGroups(run.tenantId, documents, writes);
    return { written: documents.length, removed };
  }

  async function finish(runId: string): Promise<Completion> {
    const run = await runOf(runId);
    const state = await store.groupState(run.tenantId);
    const round = state.round;
    if (!round || round.runId !== runId) {
      if (state.last?.runId === runId) return completionOf(state);
      throw new DirectoryRunError(`Run ${runId} has no groups round open.`);
    }
    if (!round.deltaLink) throw new DirectoryRunError(`Run ${runId} finished before its round ended.`);
    const now = deps.clock.now().toISOString();
    let removed = round.removed;
    const writes = emptyWriteStats();
    if (round.mode === 'full') {
      const unseen = await store.unseenByFullRead(run.tenantId, runId);
      for (let start = 0; start < unseen.length; start += REMOVAL_CHUNK) {
        const docs = await store.groupsByIds(run.tenantId, unseen.slice(start, start + REMOVAL_CHUNK));
        const marked = docs.map((doc) => removedDocument(doc, run, now));
        await store.upsertGroups(run.tenantId, marked, writes);
        removed += marked.length;
      }
    }
    const { runId: _r, link: _l, deltaLink, ...figures } = counted({ ...round, removed }, writes);
    const next: GroupSyncState = {
      ...state,
      deltaLink,
      round: null,
      last: { syncedAt: now, runId, ...figures },
    };
    await store.saveState(next);
    return completionOf(next);
  }

  return { begin, segment, finish };
}

export type GroupSync = ReturnType<typeof createGroupSync>;

/** The selected Graph properties of a delta entry, merged over what was stored (a delta may carry only changes). */
function groupDocument(
  run: DirectoryRun,
  round: GroupRound,
  item: GraphObject,
  before: GroupDocument | undefined,
  now: string,
): GroupDocument {
  const graph: GraphGroupFields = { ...before?.graph };
  for (const field of contract().select ?? []) if (field in item) graph[field] = item[field];
  graph.id = String(item.id);
  const group = directoryGroupOf(graph);
  const renamed = before && (before.displayName !== group.displayName || before.removedAt);
  return {
    ...group,
    tenantId: run.tenantId,
    workspaceId: run.workspaceId,
    docType: 'group',
    nameChangedAt: renamed ? now : (before?.nameChangedAt ?? null),
    nameKey: group.displayName.toLowerCase(),
    graph,
    fullReadRunId: round.mode === 'full' ? run.id : (before?.fullReadRunId ?? null),
    removedAt: null,
    updatedAt: now,
    updatedByRunId: run.id,
  };
}

/** A stored group marked removed by this run (a name drift reads differently from now on). */
function removedDocument(doc: GroupDocument, run: DirectoryRun, now: string): GroupDocument {
  return {
    ...doc,
    workspaceId: run.workspaceId,
    removedAt: now,
    nameChangedAt: now,
    updatedAt: now,
    updatedByRunId: run.id,
  };
}

/** Whether a write is needed: content, a restored group, or a full read's mark. */
function changed(before: GroupDocument, after: GroupDocument): boolean {
  const content = (doc: GroupDocument) =>
    JSON.stringify([doc.graph, doc.removedAt ?? null, doc.fullReadRunId, doc.nameKey]);
  return content(before) !== content(after);
}

/** The round with its writes counted, plus the write of the state document that is about to hold it. */
function counted(round: GroupRound, writes: WriteStats = emptyWriteStats()): GroupRound {
  return {
    ...round,
    cosmosRequests: round.cosmosRequests + writes.requests + 1,
    documentsWritten: round.documentsWritten + writes.documents + 1,
  };
}

function completionOf(state: GroupSyncState): Completion {
  const { runId: _r, ...result } = state.last!;
  const figures: GroupSyncFigures = result;
  return {
    outcome: 'succeeded',
    counts: { total: figures.read, processed: figures.read, succeeded: figures.read, failed: 0, skipped: 0 },
    result,
  };
}
