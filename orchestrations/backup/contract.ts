import type { CaptureResult } from '../../shared/backup/capture';
import type { RunFailure } from '../../shared/operations/model';
import { ORCHESTRATORS } from '../../shared/operations/orchestrators';
import type { WorkResult } from '../runs/contract';

/** Names and payloads shared by the backup orchestrators and their activities (ids and counts only). */
export const BACKUP = {
  run: ORCHESTRATORS.backupRun,
  scheduled: ORCHESTRATORS.backupScheduled,
  acquireScope: 'backupAcquireScope',
  prepare: 'backupPrepare',
  capture: 'backupCaptureType',
  finish: 'backupFinish',
  retention: 'backupApplyRetention',
  collect: 'backupCollectGarbage',
} as const;

export type AcquireResult =
  | { kind: 'acquired'; maxWaitMs: number }
  | { kind: 'ended'; maxWaitMs: number }
  | { kind: 'busy'; maxWaitMs: number; activeRun: { id: string; type: string } };

export interface BackupPlan {
  backupSetId: string;
  /** Policy types in read order, grouped in phases (dependencies after the objects referencing them). */
  phases: string[][];
  /** Types read at once (the Graph client also limits requests per tenant). */
  concurrency: number;
  /** Set when the backup belongs to a schedule: retention applies after it succeeds. */
  scheduleId: string | null;
}

/** Prepare either plans the backup or says why it cannot run (e.g. its schedule was deleted). */
export type PrepareResult = BackupPlan | { failure: RunFailure };

export interface CaptureInput {
  runId: string;
  backupSetId: string;
  policyType: string;
  /** 0 for the first page range of the type; a large type is read one range per activity. */
  segment: number;
  continuation: string | null;
}

export interface FinishInput {
  runId: string;
  backupSetId: string;
  results: CaptureResult[];
}

export interface MaintenanceResult {
  pruned?: number;
  collected?: number;
}

export type { CaptureResult, WorkResult };
