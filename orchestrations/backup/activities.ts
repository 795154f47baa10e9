import {
  applyRetention,
  closeBackupSet,
  openBackupSet,
  type BackupRunDeps,
} from '../../shared/backup/backup-run';
import { captureType, collectGarbage, planPhases } from '../../shared/backup/capture';
import type { AppConfig } from '../../shared/config';
import { acquireScope, type GateDeps } from '../../shared/operations/gate';
import { RunFailureError, toRunFailure } from '../../shared/operations/model';
import type { GraphForRun } from '../../shared/providers/graph-access';
import { durableDispatcher } from '../runs/durable-dispatcher';
import type { RunInput } from '../runs/contract';
import type { Activities } from '../runs/register';
import {
  BACKUP,
  type AcquireResult,
  type CaptureInput,
  type CaptureResult,
  type FinishInput,
  type MaintenanceResult,
  type PrepareResult,
  type WorkResult,
} from './contract';

/** Types of one tenant read at once; the Graph client's per-tenant limit bounds the requests anyway. */
const TYPE_CONCURRENCY = 4;

export interface BackupActivityDeps {
  backupRun: BackupRunDeps;
  gate: Omit<GateDeps, 'dispatcher'>;
  graphForRun: GraphForRun;
  config: Pick<AppConfig, 'BACKUP_SCOPE_WAIT_SECONDS'>;
}

export function createBackupActivities(deps: () => BackupActivityDeps): Activities {
  return {
    /** Takes the tenant's scope for a scheduled run, or says who holds it; each attempt is a heartbeat. */
    [BACKUP.acquireScope]: {
      durableClient: true,
      handler: async ({ runId }: RunInput, context): Promise<AcquireResult> => {
        const { gate, config } = deps();
        const maxWaitMs = config.BACKUP_SCOPE_WAIT_SECONDS * 1000;
        const outcome = await acquireScope({ ...gate, dispatcher: durableDispatcher(context) }, runId);
        if (outcome.kind === 'acquired' || outcome.kind === 'ended') return { kind: outcome.kind, maxWaitMs };
        const { activeRun } = outcome;
        await gate.lifecycle.progress(runId, {
          progress: `Waiting for the tenant: ${activeRun.type} is running.`,
        });
        return { kind: 'busy', maxWaitMs, activeRun: { id: activeRun.id, type: activeRun.type } };
      },
    },

    [BACKUP.prepare]: async ({ runId }: RunInput): Promise<PrepareResult> => {
      const { backupRun, graphForRun } = deps();
      const run = await backupRun.runs.require(runId);
      try {
        // No fan-out for a tenant whose connection cannot work: fail at once, before any set exists.
        await graphForRun(run);
      } catch (error) {
        return { failure: toRunFailure(error) };
      }
      try {
        const set = await openBackupSet(backupRun, run);
        const phases = planPhases(set.selection);
        const types = phases.flat().length;
        await backupRun.lifecycle.progress(runId, {
          progress: `Reading ${types} policy types`,
          counts: { total: types },
        });
        return { backupSetId: set.id, phases, concurrency: TYPE_CONCURRENCY, scheduleId: set.scheduleId };
      } catch (error) {
        if (error instanceof RunFailureError) return { failure: error.failure };
        throw error;
      }
    },

    [BACKUP.capture]: async (input: CaptureInput): Promise<CaptureResult> => {
      const { backupRun } = deps();
      const run = await backupRun.runs.require(input.runId);
      const result = await captureType(backupRun, run, input.backupSetId, input);
      await backupRun.lifecycle.progress(input.runId, { progress: `Read ${input.policyType}` });
      return result;
    },

    [BACKUP.finish]: async ({ runId, backupSetId, results }: FinishInput): Promise<WorkResult> => {
      const { backupRun } = deps();
      return closeBackupSet(backupRun, await backupRun.runs.require(runId), backupSetId, results);
    },

    [BACKUP.retention]: async ({ runId }: RunInput): Promise<MaintenanceResult> => {
      const { backupRun } = deps();
      return applyRetention(backupRun, await backupRun.runs.require(runId));
    },

    [BACKUP.collect]: async ({ runId }: RunInput): Promise<MaintenanceResult> => {
      const { backupRun } = deps();
      return collectGarbage(backupRun, await backupRun.runs.require(runId));
    },
  };
}
