import { ORCHESTRATORS } from '../../shared/operations/orchestrators';
import type { ApplyTotals, WatchPlan } from '../../shared/watch';

/** Names and payloads of the change watch's orchestration (ids and counts only). */
export const WATCH = {
  orchestrator: ORCHESTRATORS.inventoryWatch,
  plan: 'inventoryWatchPlan',
  apply: 'inventoryWatchApply',
  finish: 'inventoryWatchFinish',
} as const;

export interface ApplyInput {
  runId: string;
  batch: number;
}

export interface FinishInput {
  runId: string;
  totals: ApplyTotals;
}

export type { ApplyTotals, WatchPlan };
