import * as df from 'durable-functions';
import { durableDispatcher } from '../runs/durable-dispatcher';
import { getServices } from '../../shared/app/services';
import { applyRetention, closeBackupSet, openBackupSet } from '../../shared/backup/backup-run';
import { captureType, collectGarbage, planPhases } from '../../shared/backup/capture';
import { backupRunDeps } from '../../shared/backup/services';
import { getConfig } from '../../shared/config';
import { RunFailureError, toRunFailure } from '../../shared/operations/model';
import { graphForRun } from '../../shared/providers/graph-access';
import { acquireScope } from '../../shared/operations/gate';
import type { RunInput } from '../runs/contract';
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

/** Takes the tenant's scope for a scheduled run, or says who holds it; each attempt is a heartbeat. */
df.app.activity(BACKUP.acquireScope, {
  extraInputs: [df.input.durableClient()],
  handler: async ({ runId }: RunInput, context): Promise<AcquireResult> => {
    const { runs, lifecycle, audit, catalog } = getServices();
    const maxWaitMs = getConfig().BACKUP_SCOPE_WAIT_SECONDS * 1000;
    const outcome = await acquireScope(
      { runs, lifecycle, audit, catalog, dispatcher: durableDispatcher(context) },
      runId,
    );
    if (outcome.kind === 'acquired' || outcome.kind === 'ended') return { kind: outcome.kind, maxWaitMs };
    const { activeRun } = outcome;
    await lifecycle.progress(runId, { progress: `Waiting for the tenant: ${activeRun.type} is running.` });
    return { kind: 'busy', maxWaitMs, activeRun: { id: activeRun.id, type: activeRun.type } };
  },
});

df.app.activity(BACKUP.prepare, {
  handler: async ({ runId }: RunInput): Promise<PrepareResult> => {
    const deps = backupRunDeps();
    const run = await deps.runs.require(runId);
    try {
      // No fan-out for a tenant whose connection cannot work: fail at once, before any set exists.
      await graphForRun(run);
    } catch (error) {
      return { failure: toRunFailure(error) };
    }
    try {
      const set = await openBackupSet(deps, run);
      const phases = planPhases(set.selection);
      const types = phases.flat().length;
      await deps.lifecycle.progress(runId, {
        progress: `Reading ${types} policy types`,
        counts: { total: types },
      });
      return { backupSetId: set.id, phases, concurrency: TYPE_CONCURRENCY, scheduleId: set.scheduleId };
    } catch (error) {
      if (error instanceof RunFailureError) return { failure: error.failure };
      throw error;
    }
  },
});

df.app.activity(BACKUP.capture, {
  handler: async (input: CaptureInput): Promise<CaptureResult> => {
    const deps = backupRunDeps();
    const run = await deps.runs.require(input.runId);
    const result = await captureType(deps, run, input.backupSetId, input);
    await deps.lifecycle.progress(input.runId, { progress: `Read ${input.policyType}` });
    return result;
  },
});

df.app.activity(BACKUP.finish, {
  handler: async ({ runId, backupSetId, results }: FinishInput): Promise<WorkResult> => {
    const deps = backupRunDeps();
    return closeBackupSet(deps, await deps.runs.require(runId), backupSetId, results);
  },
});

df.app.activity(BACKUP.retention, {
  handler: async ({ runId }: RunInput): Promise<MaintenanceResult> => {
    const deps = backupRunDeps();
    return applyRetention(deps, await deps.runs.require(runId));
  },
});

df.app.activity(BACKUP.collect, {
  handler: async ({ runId }: RunInput): Promise<MaintenanceResult> => {
    const deps = backupRunDeps();
    return collectGarbage(deps, await deps.runs.require(runId));
  },
});
