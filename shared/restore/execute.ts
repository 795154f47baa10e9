import { z } from 'zod';
import { canonicalBackupSelection } from '../backup/selection';
import { getContract } from '../graph';
import { RunFailureError, type Run } from '../operations/model';
import type { RestoreDeps } from './deps';
import { type ItemOutcome, type PlanItem, type RestorePlan, ITEM_OUTCOMES } from './model';
import { executeInputSchema } from './plan';
import { planItemId } from './preview';
import { writeItem, type ExecuteContext } from './write';

const executeContextSchema = executeInputSchema;

export async function planOf(deps: RestoreDeps, run: Run): Promise<RestorePlan> {
  const { previewRunId } = executeContextSchema.parse(run.context);
  const plan = await deps.store.getPlan(run.tenantId, previewRunId);
  if (!plan)
    throw new RunFailureError({ reasonCode: 'restore_plan_stale', message: 'The restore plan is gone.' });
  return plan;
}

export interface ExecutePhase {
  phase: number;
  count: number;
}

/**
 * Takes the plan for this run (one execution per plan, whoever races) and says how many items each
 * phase has, for the orchestrator to write in chunks.
 */
export async function startExecute(deps: RestoreDeps, run: Run): Promise<{ phases: ExecutePhase[] }> {
  const plan = await planOf(deps, run);
  const claim = await deps.store.claimPlan(run.tenantId, plan.id, run.id);
  if (claim !== 'claimed')
    throw new RunFailureError({
      reasonCode: 'restore_plan_stale',
      message: 'This restore plan was executed already by another run.',
    });
  const items = await deps.store.items(run.tenantId, plan.id);
  const phases = new Map<number, number>();
  for (const item of items) phases.set(item.phase, (phases.get(item.phase) ?? 0) + 1);
  await deps.lifecycle.progress(run.id, { counts: { total: items.length }, progress: 'Taking the snapshot' });
  return { phases: [...phases].sort(([a], [b]) => a - b).map(([phase, count]) => ({ phase, count })) };
}

/**
 * The pre-restore snapshot: every target object the plan updates, read now and kept as a backup set of
 * the target (id `{runId}`), so the restore can be undone by restoring that set. Idempotent: versions
 * are content-addressed, the set's id and pages are fixed.
 */
export async function takeSnapshot(
  deps: RestoreDeps,
  run: Run,
): Promise<{ backupSetId: string; items: number }> {
  const plan = await planOf(deps, run);
  const updates = (await deps.store.items(run.tenantId, plan.id)).filter(
    (item) => item.action === 'update' && item.targetGraphId,
  );
  const set = await deps.backups.createSet({
    id: run.id,
    kind: 'backupSet',
    workspaceId: run.workspaceId,
    tenantId: run.tenantId,
    name: `Before restore ${run.id.slice(0, 8)} (${deps.clock.now().toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
    selection: canonicalBackupSelection({ policyTypes: [...new Set(updates.map((i) => i.policyType))] }),
    runId: run.id,
    runType: run.type,
    scheduleId: null,
    scheduledFor: null,
    retryOf: null,
    initiator: run.initiator,
    status: 'in_progress',
    pinned: true,
    counts: { total: 0, byType: {} },
    failedTypes: [],
    createdAt: deps.clock.now().toISOString(),
    completedAt: null,
  });
  const graph = await deps.inventory.openRunGraph(run);
  const byType: Record<string, number> = {};
  try {
    for (const policyType of [...new Set(updates.map((item) => item.policyType))]) {
      const contract = getContract(policyType);
      const ids = updates.filter((item) => item.policyType === policyType).map((item) => item.targetGraphId!);
      const reads =
        contract.shape.kind === 'singleton'
          ? await deps.inventory.readCollection(graph.graph, contract)
          : await deps.inventory.readByIds(graph.graph, contract, ids);
      const recorded = await deps.inventory.recordReads(run, policyType, reads);
      await deps.backups.writeItems(
        set,
        policyType,
        0,
        recorded.map((r) => ({ policyType, ...r })),
      );
      byType[policyType] = recorded.length;
      await graph.beat();
    }
  } finally {
    graph.close();
  }
  const total = Object.values(byType).reduce((a, b) => a + b, 0);
  await deps.backups.updateSet(run.tenantId, set.id, (current) => ({
    ...current,
    status: 'complete',
    counts: { total, byType },
    completedAt: current.completedAt ?? deps.clock.now().toISOString(),
  }));
  return { backupSetId: set.id, items: total };
}

export const writeChunkSchema = z.object({
  phase: z.number().int(),
  offset: z.number().int(),
  limit: z.number().int(),
});

/** Writes one chunk of a phase (items in id order), item by item; returns the chunk's outcomes. */
export async function writeChunk(
  deps: RestoreDeps,
  run: Run,
  chunk: z.infer<typeof writeChunkSchema>,
): Promise<Record<ItemOutcome, number>> {
  const plan = await planOf(deps, run);
  const mine = (await deps.store.items(run.tenantId, plan.id, { phase: chunk.phase })).slice(
    chunk.offset,
    chunk.offset + chunk.limit,
  );
  const tally = Object.fromEntries(ITEM_OUTCOMES.map((o) => [o, 0])) as Record<ItemOutcome, number>;
  const graph = await deps.inventory.openRunGraph(run);
  try {
    const created = await createdIds(deps, run.tenantId, plan.id, mine);
    const context: ExecuteContext = { deps, run, plan, graph, created };
    for (const item of mine) {
      const outcome = await writeItem(context, item);
      tally[outcome]++;
      if (outcome === 'created' || outcome === 'updated') await graph.beat();
    }
  } finally {
    graph.close();
  }
  return tally;
}

/**
 * The new ids of the objects these items reference and this plan created (in earlier phases), by
 * `policyType:sourceGraphId`: one point read per referenced item (plan item ids are derived from
 * plan, type and source id), not the whole plan per chunk.
 */
async function createdIds(
  deps: RestoreDeps,
  tenantId: string,
  planId: string,
  items: readonly PlanItem[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const wanted = new Set(
    items.flatMap((item) =>
      item.references
        .filter((ref) => ref.how === 'created_by_restore')
        .map((ref) => `${ref.target}:${ref.sourceId}`),
    ),
  );
  for (const key of wanted) {
    const at = key.indexOf(':');
    const found = await deps.store.item(tenantId, planItemId(planId, key.slice(0, at), key.slice(at + 1)));
    const id = found?.item.execution?.targetGraphId;
    if (id) ids.set(key, id);
  }
  return ids;
}

/** The run's end: outcomes counted from the items themselves (what a retry or a crash left is in them). */
export async function finishExecute(deps: RestoreDeps, run: Run, snapshot: { backupSetId: string }) {
  const plan = await planOf(deps, run);
  const items = await deps.store.items(run.tenantId, plan.id);
  const tally = Object.fromEntries(ITEM_OUTCOMES.map((o) => [o, 0])) as Record<ItemOutcome, number>;
  for (const item of items) tally[item.execution?.state === 'done' ? item.execution.outcome! : 'failed']++;
  const written = tally.created + tally.updated + tally.unchanged;
  const outcome = tally.failed === 0 ? 'succeeded' : written > 0 ? 'partially_succeeded' : 'failed';
  await deps.audit.record({
    workspaceId: run.workspaceId,
    tenantId: run.tenantId,
    actor: run.initiator.kind === 'user' ? run.initiator : { kind: 'system' },
    action: 'restore.execute',
    target: { type: 'restorePlan', id: plan.id },
    outcome: outcome === 'failed' ? 'failure' : 'success',
    metadata: { runId: run.id, ...tally },
    idempotencyKey: `restore.execute:${run.id}`,
  });
  return {
    outcome,
    ...(tally.failed > 0 && {
      failures: [
        {
          reasonCode: 'graph_error' as const,
          message: `${tally.failed} of ${items.length} object(s) could not be restored; see the plan.`,
        },
      ],
    }),
    result: {
      ...tally,
      planId: plan.id,
      snapshotBackupSetId: snapshot.backupSetId,
      undo: {
        type: 'restore.preview',
        source: { tenantId: run.tenantId, backupSetId: snapshot.backupSetId },
      },
    },
  };
}
