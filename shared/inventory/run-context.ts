import { InvariantError } from '../errors';
import { findContract, type GraphContract } from '../graph';
import type { Run } from '../operations/model';
import { acquireBatchQueue, allowManyListeners } from './batch-queue';
import { processGraphBudgets, type GraphBudget } from './graph-budget';
import type { GraphReadContext } from './reader';
import type { InventoryDeps } from './deps';
import { inventoryContracts } from './selection';

/** Runs report they are alive at least this often while they read. */
const HEARTBEAT_MS = 10_000;

export function inventoryContract(policyType: string): GraphContract {
  const contract = findContract(policyType);
  if (!contract || !inventoryContracts().includes(contract))
    throw new InvariantError(`'${policyType}' is not an inventory type.`);
  return contract;
}

export interface RunGraph {
  graph: GraphReadContext;
  /** The tenant's write budget (restore): a write takes from it and from `graph.budget`. */
  writes: GraphBudget;
  /** Marks the run alive (throttled); aborts the reads once the run has ended (cancelled, stale). */
  beat(): Promise<void>;
  /** Whether the reads stopped because the run had ended. */
  ended(): boolean;
  close(): void;
}

/**
 * Graph for one of a run's reads: the run's connection, the tenant's budget, the run's batch queue in
 * this process, and a heartbeat. Throws like `graphForRun` when the tenant has no usable connection.
 */
export async function openRunGraph(deps: InventoryDeps, run: Run): Promise<RunGraph> {
  const access = await deps.graphForRun(run);
  const abort = new AbortController();
  allowManyListeners(abort.signal);
  const budgets = deps.budgets ?? processGraphBudgets;
  const { entraTenantId, clientId } = access.connection;
  const budget = budgets.requests(entraTenantId, clientId);
  const correlation = { runId: run.id, tenantId: run.tenantId };
  const batches = acquireBatchQueue(access.client, budget, correlation);
  let last = deps.clock.now().getTime();
  let ended = false;
  return {
    writes: budgets.writes(entraTenantId, clientId),
    graph: {
      client: access.client,
      budget,
      batches: batches.queue,
      correlation,
      signal: abort.signal,
      stats: { pages: 0, subRequests: 0 },
    },
    async beat() {
      const now = deps.clock.now().getTime();
      if (now - last < HEARTBEAT_MS) return;
      last = now;
      const current = await deps.lifecycle.progress(run.id, {});
      if (current.status === 'completed') {
        ended = true;
        abort.abort(new InvariantError('The run has ended.'));
      }
    },
    ended: () => ended,
    close() {
      last = Number.POSITIVE_INFINITY;
      batches.release();
    },
  };
}

/** Unexpected failures (not Graph's) are logged in full for operators; the run shows a sanitized reason. */
export function logUnexpected(runId: string, policyType: string, error: unknown): void {
  console.error(
    JSON.stringify({
      level: 'error',
      message: 'inventory read failed unexpectedly',
      runId,
      policyType,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    }),
  );
}
