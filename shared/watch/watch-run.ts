import type { Container } from '@azure/cosmos';
import type { Clock } from '../clock';
import type { Inventory, RefreshOutcome } from '../inventory';
import type { Completion } from '../operations/lifecycle';
import { toRunFailure, type RunFailure } from '../operations/model';
import type { RunStore } from '../operations/run-store';
import type { GraphForRun } from '../providers/graph-access';
import { isConflict, readItem, updateWithEtag, withoutSystemFields } from '../store/documents';
import { readAuditLogs } from './audit-sources';
import { mapRecords } from './mapping';
import {
  changeId,
  WATCH_STATE_ID,
  WATCH_WORK_TTL_SECONDS,
  watchStateSchema,
  watchWorkId,
  watchWorkSchema,
  type ChangeKind,
  type ChangeRecord,
  type WatchState,
  type WatchTarget,
  type WatchWork,
} from './model';

/** Objects re-read per apply step (one activity): a few `$batch`es, far inside a function's timeout. */
export const WATCH_BATCH_SIZE = 100;

export interface WatchDeps {
  inventory: Inventory;
  /** The inventory container: watch state, work and change records live beside the items. */
  container: Container;
  runs: RunStore;
  graphForRun: GraphForRun;
  clock: Clock;
  settings: WatchSettings;
  /** Called with the change records of each applied step once its items are stored (live push, events). */
  onChanges?: (changes: ChangeRecord[]) => Promise<void>;
}

export interface WatchSettings {
  /** Default interval of a tenant's watch, in minutes. */
  intervalMinutes: number;
  /** How far before the watermark each read starts again: audit records arrive late. */
  overlapMs: number;
}

export type WatchPlan =
  | { targets: number; batches: number; unmapped: number; records: number }
  | { failure: RunFailure }
  | { skipped: string };

export interface ApplyTotals {
  created: number;
  updated: number;
  deleted: number;
  assignmentsChanged: number;
  unchanged: number;
  /** Probed contracts that did not own the object, and objects gone that the inventory never had. */
  absent: number;
  failed: number;
  subRequests: number;
}

export const emptyTotals = (): ApplyTotals => ({
  created: 0,
  updated: 0,
  deleted: 0,
  assignmentsChanged: 0,
  unchanged: 0,
  absent: 0,
  failed: 0,
  subRequests: 0,
});

export async function readWatchState(
  container: Container,
  tenantId: string,
): Promise<WatchState | undefined> {
  const doc = await readItem<WatchState>(container, WATCH_STATE_ID, tenantId);
  return doc && watchStateSchema.parse(withoutSystemFields(doc));
}

/**
 * Starts a tenant's watch from its first completed full sync: the watermark is that sync's start, so
 * every change the sync may have missed is read by the first watch. Later syncs leave it alone.
 */
export async function ensureWatchState(
  deps: Pick<WatchDeps, 'container' | 'settings' | 'clock'>,
  run: { tenantId: string; workspaceId: string; startedAt: string | null; createdAt: string },
): Promise<void> {
  const now = deps.clock.now();
  const state: WatchState = {
    id: WATCH_STATE_ID,
    tenantId: run.tenantId,
    workspaceId: run.workspaceId,
    docType: 'watchState',
    enabled: true,
    intervalMinutes: deps.settings.intervalMinutes,
    watermark: run.startedAt ?? run.createdAt,
    nextDueAt: now.toISOString(),
    lastRunId: null,
    lastFailure: null,
  };
  try {
    await deps.container.items.create(state);
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
}

/** Turns a tenant's watch on or off and sets its interval (docs/watch.md, per-tenant setting). */
export async function configureWatch(
  container: Container,
  tenantId: string,
  change: { enabled?: boolean; intervalMinutes?: number },
): Promise<WatchState> {
  const updated = await updateWithEtag<WatchState>(
    container,
    WATCH_STATE_ID,
    tenantId,
    (current) => ({ ...current, ...change }),
    'The tenant watch',
  );
  return watchStateSchema.parse(withoutSystemFields(updated));
}

async function readWork(container: Container, tenantId: string, runId: string): Promise<WatchWork> {
  const doc = await readItem(container, watchWorkId(runId), tenantId);
  if (!doc) throw new Error(`The watch work of run ${runId} is missing.`);
  return watchWorkSchema.parse(withoutSystemFields(doc));
}

function planOf(work: WatchWork): WatchPlan {
  return {
    targets: work.targets.length,
    batches: Math.ceil(work.targets.length / WATCH_BATCH_SIZE),
    unmapped: work.unmapped,
    records: work.records.intune + work.records.entra,
  };
}

/**
 * Plans a watch run: reads both audit logs from the watermark (minus the overlap) to now, maps the
 * records to objects and stores that list as the run's work. Idempotent: a retried plan finds the work
 * it wrote and answers the same (the window is fixed by the first attempt).
 */
export async function planWatch(deps: WatchDeps, runId: string): Promise<WatchPlan> {
  const run = await deps.runs.require(runId);
  const existing = await readItem(deps.container, watchWorkId(runId), run.tenantId);
  if (existing) return planOf(watchWorkSchema.parse(withoutSystemFields(existing)));
  const state = await readWatchState(deps.container, run.tenantId);
  if (!state) return { skipped: 'The tenant has no completed inventory sync to watch from yet.' };
  const to = deps.clock.now().toISOString();
  const from = new Date(Date.parse(state.watermark) - deps.settings.overlapMs).toISOString();
  let work: WatchWork;
  try {
    const { client } = await deps.graphForRun(run);
    const read = await readAuditLogs(
      client,
      { from, to },
      { correlation: { runId, tenantId: run.tenantId } },
    );
    const ids = [...new Set(read.records.flatMap((record) => record.resources.map((r) => r.id)))];
    const known = await deps.inventory.itemsWithGraphIds(run.tenantId, ids);
    const mapping = mapRecords(read.records, known);
    work = {
      id: watchWorkId(runId),
      tenantId: run.tenantId,
      docType: 'watchWork',
      runId,
      from,
      to,
      records: read.byService,
      auditRequests: read.requests,
      unmapped: mapping.unmapped.length,
      alreadyCurrent: mapping.alreadyCurrent,
      unmappedSamples: mapping.unmapped
        .slice(0, 20)
        .map((record) => ({ source: record.source, id: record.id, activity: record.activity })),
      targets: mapping.targets,
      ttl: WATCH_WORK_TTL_SECONDS,
    };
  } catch (error) {
    const failure = toRunFailure(error);
    await updateWithEtag<WatchState>(deps.container, WATCH_STATE_ID, run.tenantId, (current) => ({
      ...current,
      lastRunId: runId,
      lastFailure: failure.reasonCode,
    }));
    return { failure };
  }
  try {
    await deps.container.items.create(work);
  } catch (error) {
    if (!isConflict(error)) throw error;
    return planOf(await readWork(deps.container, run.tenantId, runId));
  }
  return planOf(work);
}

/** The feed's word for what happened to an item, or undefined when nothing did. */
function kindOf(outcome: RefreshOutcome, target: WatchTarget): ChangeKind | undefined {
  switch (outcome.change) {
    case 'new':
    case 'restored':
      return 'created';
    case 'changed':
      return target.operation === 'assign' ? 'assignments_changed' : 'updated';
    case 'removed':
      return 'deleted';
    default:
      return undefined;
  }
}

export function actorKeyOf(changedBy: ChangeRecord['changedBy']): string {
  if (changedBy.kind === 'user') return changedBy.userPrincipalName.toLowerCase();
  if (changedBy.kind === 'app') return changedBy.appId.toLowerCase();
  return 'unknown';
}

/**
 * One step of a watch run: re-reads its slice of the work's objects and stores them as a sync would,
 * with a change record per changed item written before the item moves (so a repeated step, finding the
 * items already current, has nothing left to do and loses nothing). Answers counts only.
 */
export async function applyWatchBatch(
  deps: WatchDeps,
  input: { runId: string; batch: number },
): Promise<ApplyTotals> {
  const run = await deps.runs.require(input.runId);
  const work = await readWork(deps.container, run.tenantId, input.runId);
  const slice = work.targets.slice(input.batch * WATCH_BATCH_SIZE, (input.batch + 1) * WATCH_BATCH_SIZE);
  const totals = emptyTotals();
  if (slice.length === 0) return totals;
  const targetOf = new Map(slice.map((t) => [`${t.policyType}|${t.graphId}`, t]));
  let changes: ChangeRecord[] = [];
  const result = await deps.inventory.refreshObjects({
    runId: input.runId,
    targets: slice.map((t) => ({
      policyType: t.policyType,
      graphId: t.graphId,
      attribution: { changedBy: t.changedBy, activity: t.activity, activityAt: t.activityAt },
    })),
    beforeItems: async (outcomes) => {
      const now = deps.clock.now().toISOString();
      changes = outcomes.flatMap((outcome) => {
        const target = targetOf.get(`${outcome.policyType}|${outcome.graphId}`)!;
        const kind = kindOf(outcome, target);
        if (!kind) return [];
        const record: ChangeRecord = {
          id: changeId(input.runId, outcome.itemId),
          tenantId: run.tenantId,
          workspaceId: run.workspaceId,
          docType: 'change',
          itemId: outcome.itemId,
          policyType: outcome.policyType,
          graphId: outcome.graphId,
          displayName: outcome.displayName,
          kind,
          versionBefore: outcome.before,
          versionAfter: outcome.after,
          changedBy: target.changedBy,
          actorKey: actorKeyOf(target.changedBy),
          activity: target.activity,
          activityAt: target.activityAt,
          observedAt: now,
          runId: input.runId,
          source: 'watch',
        };
        return [record];
      });
      for (const change of changes) await deps.container.items.upsert(change);
    },
  });
  // Counted from the change records of this run's slice, not from what this attempt saw: a retried
  // step finds its items already current, yet reports the changes the first attempt stored.
  const recorded = await changesOfRun(
    deps.container,
    run.tenantId,
    input.runId,
    result.outcomes.map((o) => o.itemId),
  );
  const kinds = new Map(recorded.map((change) => [change.itemId, change.kind]));
  for (const kind of kinds.values()) {
    if (kind === 'created') totals.created++;
    else if (kind === 'updated') totals.updated++;
    else if (kind === 'deleted') totals.deleted++;
    else totals.assignmentsChanged++;
  }
  for (const outcome of result.outcomes) {
    if (kinds.has(outcome.itemId)) continue;
    if (outcome.change === 'unchanged') totals.unchanged++;
    else if (outcome.change === 'absent') totals.absent++;
    else if (outcome.change === 'failed') totals.failed++;
  }
  totals.subRequests = result.subRequests;
  if (changes.length > 0) await deps.onChanges?.(changes);
  return totals;
}

async function changesOfRun(
  container: Container,
  tenantId: string,
  runId: string,
  itemIds: readonly string[],
): Promise<Array<{ itemId: string; kind: ChangeKind }>> {
  if (itemIds.length === 0) return [];
  const { resources } = await container.items
    .query<{ itemId: string; kind: ChangeKind }>(
      {
        query:
          "SELECT c.itemId, c.kind FROM c WHERE c.tenantId = @tenantId AND c.docType = 'change' AND c.runId = @runId AND ARRAY_CONTAINS(@ids, c.itemId)",
        parameters: [
          { name: '@tenantId', value: tenantId },
          { name: '@runId', value: runId },
          { name: '@ids', value: [...new Set(itemIds)] },
        ],
      },
      { partitionKey: tenantId },
    )
    .fetchAll();
  return resources;
}

/**
 * The end of a watch run: the watermark moves to the window's end only when every object was read (a
 * failed read leaves it, so the next watch reads the same records again). Never moves backwards.
 */
export async function finishWatch(
  deps: WatchDeps,
  input: { runId: string; totals: ApplyTotals },
): Promise<Completion> {
  const run = await deps.runs.require(input.runId);
  const work = await readWork(deps.container, run.tenantId, input.runId);
  const { totals } = input;
  const advance = totals.failed === 0;
  await updateWithEtag<WatchState>(deps.container, WATCH_STATE_ID, run.tenantId, (current) => ({
    ...current,
    watermark: advance && work.to > current.watermark ? work.to : current.watermark,
    lastRunId: input.runId,
    lastFailure: advance ? null : 'graph_error',
  }));
  const changes = totals.created + totals.updated + totals.deleted + totals.assignmentsChanged;
  return {
    outcome: advance ? 'succeeded' : 'partially_succeeded',
    ...(advance
      ? {}
      : {
          failures: [
            {
              reasonCode: 'graph_error',
              message: `${totals.failed} changed object(s) could not be read; the next watch reads them again.`,
            },
          ],
        }),
    counts: {
      total: work.targets.length,
      processed: work.targets.length,
      succeeded: work.targets.length - totals.failed,
      failed: totals.failed,
      skipped: 0,
    },
    result: {
      window: { from: work.from, to: work.to },
      records: work.records,
      unmapped: work.unmapped,
      alreadyCurrent: work.alreadyCurrent,
      unmappedSamples: work.unmappedSamples,
      changes,
      ...totals,
      graphRequests: work.auditRequests + Math.ceil(totals.subRequests / 20),
      watermarkAdvanced: advance,
    },
  };
}
