import type { GraphContract } from '../graph';
import type { Completion } from '../operations/lifecycle';
import type { RunCounts, RunFailure } from '../operations/model';
import { toRunFailure } from '../operations/model';
import { readItem, withoutSystemFields } from '../store/documents';
import type { DependencyResult } from './dependencies';
import type { InventoryDeps } from './deps';
import { canonicalSelection, resolveSelection, type InventorySelectionInput } from './selection';
import { addTallies, emptyTally, WORKING_DOCUMENT_TTL_SECONDS, type TypeTally } from './store/cursors';
import {
  readState,
  stateId,
  summarySchema,
  updateState,
  type Claim,
  type SegmentOutcome,
  type SyncState,
} from './sync-state';
import type { TypeStatus } from './sync-type';

export type { Claim, SegmentOutcome };

/** Types read at once per sync: each reads ahead on its own, and all share the tenant's Graph budget. */
export const SYNC_LANES = 4;
/** A type with more objects is read one page range (activity) at a time. */
export const SEGMENT_MAX_OBJECTS = 2000;
/** …or after this long: an activity stays far from the 10-minute function timeout. */
export const SEGMENT_MAX_MS = 3 * 60_000;
/** Failures that no other type can escape: the sync stops reading when one of them appears. */
const FATAL = new Set(['provider_auth_failed', 'provider_not_configured']);

export type PlanResult =
  { lanes: number; types: number; includeDependencies: boolean } | { failure: RunFailure };

/**
 * Plans a sync: the selection's types, most expensive first (by the previous sync's object counts and
 * the reads each object needs), in a state document the lanes claim work from. Fails early (no Graph
 * request) when the tenant has no usable connection. Idempotent: a retried plan finds its state.
 */
export async function planSync(deps: InventoryDeps, runId: string): Promise<PlanResult> {
  const run = await deps.runs.require(runId);
  try {
    await deps.graphForRun(run);
  } catch (error) {
    return { failure: toRunFailure(error) };
  }
  const selection = canonicalSelection((run.context.selection ?? {}) as InventorySelectionInput);
  const container = deps.items.container;
  const summary = await readItem(container, 'summary', run.tenantId);
  const previous = summary ? summarySchema.parse(withoutSystemFields(summary)).objectsByType : {};
  const types = resolveSelection(selection)
    .map((contract) => ({ contract, cost: (previous[contract.key] ?? 50) * readsPerObject(contract) }))
    .sort((a, b) => b.cost - a.cost)
    .map(({ contract }) => contract.key);
  const state: SyncState = {
    id: stateId(runId),
    tenantId: run.tenantId,
    docType: 'syncState',
    runId,
    types,
    includeDependencies: selection.includeDependencies,
    queue: types,
    claims: {},
    outcomes: {},
    aborted: null,
    dependencies: null,
    // This document and the progress below.
    bookkeepingWrites: 2,
    ttl: WORKING_DOCUMENT_TTL_SECONDS,
  };
  try {
    await container.items.create(state);
  } catch (error) {
    if ((error as { code?: number }).code !== 409) throw error;
  }
  await deps.lifecycle.progress(runId, {
    progress: `Reading ${types.length} policy types`,
    counts: { total: 0, processed: 0, succeeded: 0, failed: 0, skipped: 0, byType: {} },
  });
  return {
    lanes: Math.max(1, Math.min(SYNC_LANES, types.length)),
    types: types.length,
    includeDependencies: selection.includeDependencies,
  };
}

/** Requests per object beyond the list: the weight of a type when ordering the work. */
function readsPerObject(contract: GraphContract): number {
  let reads = 1;
  if (contract.detailRead === 'getById') reads++;
  if (contract.assignments.read === 'subresource') reads++;
  for (const sub of contract.subResources) {
    if (sub.read === 'batch') reads++;
    if (sub.children?.length) reads += 3;
  }
  return reads;
}

/**
 * A lane's next page range, after recording what its previous one did: the type's next segment when
 * it has more pages, else the next type in the queue, else nothing. Keyed by lane and step, so a retried
 * claim gets the same answer. Also the run's progress: counts per type and overall.
 */
export async function claimNext(
  deps: InventoryDeps,
  input: {
    runId: string;
    lane: number;
    step: number;
    finished: SegmentOutcome | null;
  },
): Promise<Claim | null> {
  const run = await deps.runs.require(input.runId);
  // A cancelled (or stale-failed) run ends its lanes: terminating the parent does not stop them.
  if (run.status === 'completed') return null;
  const key = `${input.lane}:${input.step}`;
  const state = await updateState(deps.items.container, run.tenantId, input.runId, (current) => {
    if (key in current.claims) return undefined;
    const next = structuredClone(current);
    const finished = input.finished;
    let claim: Claim | null = null;
    if (finished) {
      next.outcomes[finished.policyType] = {
        status: combine(next.outcomes[finished.policyType]?.status, finished.status, finished.total),
        segments: finished.segment + 1,
        tally: finished.total,
        ...((finished.failure ?? next.outcomes[finished.policyType]?.failure) && {
          failure: finished.failure ?? next.outcomes[finished.policyType]!.failure,
        }),
      };
      if (finished.failure && FATAL.has(finished.failure.reasonCode) && !next.aborted) {
        next.aborted = { ...finished.failure, target: undefined };
        next.queue = [];
      }
      if (finished.continuation && !next.aborted)
        claim = {
          policyType: finished.policyType,
          segment: finished.segment + 1,
          continuation: finished.continuation,
        };
    }
    const queued = claim ? undefined : next.queue.shift();
    if (queued) claim = { policyType: queued, segment: 0, continuation: null };
    next.claims[key] = claim;
    // This document, the run's progress, and the cursor a continued segment saved.
    next.bookkeepingWrites += finished?.continuation ? 3 : 2;
    return next;
  });
  const claim = state.claims[key] ?? null;
  const done = Object.keys(state.outcomes).length;
  await deps.lifecycle.progress(input.runId, {
    progress: `${done} of ${state.types.length} policy types read`,
    counts: countsOf(state),
  });
  return claim;
}

/** A type's status over its segments: one that failed after earlier pages were stored is partial. */
function combine(previous: TypeStatus | undefined, latest: TypeStatus, total: TypeTally): TypeStatus {
  if (!previous) return latest === 'failed' && total.objects > 0 ? 'partial' : latest;
  return previous === 'succeeded' && latest === 'succeeded' ? 'succeeded' : 'partial';
}

export async function recordDependencies(
  deps: InventoryDeps,
  runId: string,
  result: Omit<DependencyResult, 'versions'>,
): Promise<void> {
  const run = await deps.runs.require(runId);
  await updateState(deps.items.container, run.tenantId, runId, (current) => ({
    ...current,
    dependencies: { ...result },
    bookkeepingWrites: current.bookkeepingWrites + 1,
  }));
}

/**
 * The run's end: outcome, failures (one per failed type, or the one that stopped the sync), counts per
 * type, and the figures of every type in `result`. Remembers the object counts for the next plan.
 */
export async function summarizeSync(deps: InventoryDeps, runId: string): Promise<Completion> {
  const run = await deps.runs.require(runId);
  const state = await readState(deps.items.container, run.tenantId, runId);
  const outcomes = Object.entries(state.outcomes);
  const dependencyFailure = state.dependencies?.failure as RunFailure | undefined;
  const failures: RunFailure[] = state.aborted
    ? [state.aborted]
    : [
        ...outcomes.flatMap(([, outcome]) => (outcome.failure ? [outcome.failure] : [])),
        ...(dependencyFailure ? [dependencyFailure] : []),
      ];
  const succeeded = outcomes.filter(([, o]) => o.status === 'succeeded').length;
  const anyRead = outcomes.some(([, o]) => o.status !== 'failed');
  const outcome: Completion['outcome'] =
    state.aborted || (state.types.length > 0 && !anyRead)
      ? 'failed'
      : failures.length > 0 || succeeded < state.types.length
        ? 'partially_succeeded'
        : 'succeeded';
  const totals = outcomes.reduce((sum, [, o]) => addTallies(sum, o.tally), emptyTally());
  // After an earlier sync, whatever this one found changed is what no change watch had seen (the watch
  // stores exactly what a sync would): 0 while the watch keeps up (docs/watch.md).
  const earlier = await readItem(deps.items.container, 'summary', run.tenantId);
  const changesNotSeenByWatch =
    earlier && (earlier as { lastRunId?: string }).lastRunId !== runId
      ? totals.new + totals.changed + totals.restored + totals.removed
      : null;
  const now = deps.clock.now().toISOString();
  await deps.items.container.items.upsert({
    id: 'summary',
    tenantId: run.tenantId,
    docType: 'summary',
    lastRunId: runId,
    lastCompletedAt: now,
    objectsByType: Object.fromEntries(outcomes.map(([type, o]) => [type, o.tally.objects])),
  });
  return {
    outcome,
    failures,
    counts: countsOf(state),
    result: {
      types: Object.fromEntries(
        state.types.map((type) => {
          const o = state.outcomes[type];
          return [type, o ? { status: o.status, segments: o.segments, ...o.tally } : { status: 'skipped' }];
        }),
      ),
      totals,
      changesNotSeenByWatch,
      dependencies: state.dependencies,
      // Plus the summary document written above; the run's completion is the lifecycle's.
      bookkeepingWrites: state.bookkeepingWrites + 1,
    },
  };
}

function countsOf(state: SyncState): RunCounts {
  const outcomes = Object.entries(state.outcomes);
  const sum = (pick: (tally: TypeTally) => number) => outcomes.reduce((n, [, o]) => n + pick(o.tally), 0);
  const stored = (t: TypeTally) => t.new + t.changed + t.unchanged + t.restored;
  return {
    total: sum((t) => t.objects),
    processed: sum((t) => t.objects),
    succeeded: sum(stored),
    failed: sum((t) => t.failed),
    skipped: sum((t) => t.skipped),
    byType: Object.fromEntries(
      outcomes.map(([type, o]) => [
        type,
        {
          total: o.tally.objects,
          failed: o.status === 'failed' ? Math.max(1, o.tally.failed) : o.tally.failed,
        },
      ]),
    ),
  };
}
