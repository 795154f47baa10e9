import { ORCHESTRATORS } from '../../shared/operations/orchestrators';
import type { Claim, PlanResult, SegmentOutcome } from '../../shared/inventory/sync-run';

/** Names and payloads shared by the inventory orchestrators and their activities (ids and counts only). */
export const INVENTORY = {
  orchestrator: ORCHESTRATORS.inventorySync,
  lane: 'inventorySyncLane',
  plan: 'inventoryPlan',
  claim: 'inventoryClaim',
  segment: 'inventorySyncSegment',
  dependencies: 'inventorySyncDependencies',
  summarize: 'inventorySummarize',
} as const;

export interface LaneInput {
  runId: string;
  lane: number;
}

export interface ClaimInput extends LaneInput {
  /** Counts the lane's steps, so a retried claim is answered the same. */
  step: number;
  finished: SegmentOutcome | null;
}

export type SegmentInput = { runId: string } & Claim;

export interface DependenciesOutput {
  referenced: number;
  stored: number;
  failed: boolean;
}

export type { Claim, PlanResult, SegmentOutcome };
