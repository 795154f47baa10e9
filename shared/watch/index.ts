/**
 * The change watch (docs/watch.md): every few minutes, a tenant's audit logs since its watermark, a
 * re-read of only the objects they name, versions with who changed them, and the change feed.
 *
 * - `createWatch(deps)`: the `inventory.watch` run's steps (`plan`, `apply`, `finish`), the tenant's
 *   watch state (`ensureState` after a full sync, `configure`), and the feed (`changes`).
 * - `runWatchTick(deps)`: the timer's fan-out of due watches (`tick.ts`).
 */
export { INVENTORY_WATCH, inventoryWatchRunType, watchRunTypes } from './run-types';
export { runWatchTick, watchSlot, type WatchTickDeps, type WatchTickSummary } from './tick';
export type { WatchPlan, ApplyTotals, WatchSettings } from './watch-run';
export type { ChangeRecord, ChangeKind, WatchState } from './model';

import type { Container } from '@azure/cosmos';
import { ChangeFeed } from './change-feed';
import {
  applyWatchBatch,
  configureWatch,
  ensureWatchState,
  finishWatch,
  planWatch,
  readWatchState,
  type ApplyTotals,
  type WatchDeps,
} from './watch-run';

export type Watch = ReturnType<typeof createWatch>;

export function createWatch(deps: WatchDeps) {
  return {
    plan: (runId: string) => planWatch(deps, runId),
    apply: (input: { runId: string; batch: number }) => applyWatchBatch(deps, input),
    finish: (input: { runId: string; totals: ApplyTotals }) => finishWatch(deps, input),
    ensureState: (run: Parameters<typeof ensureWatchState>[1]) => ensureWatchState(deps, run),
    state: (tenantId: string) => readWatchState(deps.container, tenantId),
    configure: (tenantId: string, change: { enabled?: boolean; intervalMinutes?: number }) =>
      configureWatch(deps.container, tenantId, change),
    changes: new ChangeFeed(deps.container as Container),
  };
}
