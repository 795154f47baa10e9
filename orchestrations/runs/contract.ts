import type { Completion } from '../../shared/operations/lifecycle';

/** Names and payloads shared by run orchestrators and their activities (orchestrators import only this). */
export const RUN_ACTIVITIES = {
  markRunning: 'runMarkRunning',
  complete: 'runComplete',
} as const;

export interface RunInput {
  runId: string;
}

export type WorkResult = Completion;
