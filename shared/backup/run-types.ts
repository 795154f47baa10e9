import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { idSchema } from '../api/schemas';
import { ORCHESTRATORS } from '../operations/orchestrators';
import { defineRunType, runTypeList } from '../operations/run-type';
import { backupSelectionSchema, canonicalBackupSelection } from './selection';

/** A backup reads every selected type of the tenant; activities heartbeat per type, so 10 min of silence is stale. */
const STALE_AFTER_MS = 10 * 60_000;

/** Made per click by the client (or here, when it sends none): two clicks are two runs, one click twice is one. */
const clickToken = z
  .string()
  .min(8)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/)
  .default(() => randomUUID());

export const backupRun = defineRunType({
  type: 'backup.run',
  summary: 'Back up the selected configuration of the tenant now (a manual backup set)',
  capability: 'operations.start',
  input: z
    .object({
      selection: backupSelectionSchema.default(canonicalBackupSelection({})),
      name: z.string().trim().min(1).max(200).optional(),
      connectionId: idSchema.optional(),
    })
    .strict(),
  identity: (input) => ({
    selection: canonicalBackupSelection(input.selection),
    connectionId: input.connectionId ?? 'default',
  }),
  orchestrator: ORCHESTRATORS.backupRun,
  staleAfterMs: STALE_AFTER_MS,
  touchesGraph: true,
});

export const backupScheduleRunNow = defineRunType({
  type: 'backup_schedule.run_now',
  summary: 'Run a backup schedule now, with its selection and retention (one run per click token)',
  capability: 'operations.start',
  input: z.object({ scheduleId: idSchema, clickToken }).strict(),
  identity: (input) => ({ scheduleId: input.scheduleId, clickToken: input.clickToken }),
  stableRunId: true,
  orchestrator: ORCHESTRATORS.backupRun,
  staleAfterMs: STALE_AFTER_MS,
  touchesGraph: true,
});

export const backupScheduleRetry = defineRunType({
  type: 'backup_schedule.retry',
  summary: "Retry a schedule's failed backup now (one run per click token)",
  capability: 'operations.start',
  input: z.object({ scheduleId: idSchema, clickToken, retryOf: idSchema.optional() }).strict(),
  identity: (input) => ({ scheduleId: input.scheduleId, clickToken: input.clickToken }),
  stableRunId: true,
  orchestrator: ORCHESTRATORS.backupRun,
  staleAfterMs: STALE_AFTER_MS,
  touchesGraph: true,
});

/** The Durable instance id of a scheduled backup: one per schedule and intended fire time, ever. */
export function scheduledInstanceId(scheduleId: string, scheduledFor: string): string {
  return `backup-schedule:${scheduleId}:${scheduledFor}`;
}

export const backupScheduleScheduled = defineRunType({
  type: 'backup_schedule.scheduled',
  summary: 'A backup started by its schedule at its fire time (started by the scheduler only)',
  capability: 'schedules.manage',
  input: z
    .object({
      scheduleId: idSchema,
      /** The intended fire time (UTC, whole seconds), not when the timer happened to run. */
      scheduledFor: z.string(),
      /** Who notifications of this run go to: the user who last saved the schedule. */
      ownerUserId: z.string(),
      ownerDisplayName: z.string(),
    })
    .strict(),
  identity: (input) => ({ scheduleId: input.scheduleId, scheduledFor: input.scheduledFor }),
  stableRunId: true,
  internal: true,
  instanceId: (run) => scheduledInstanceId(run.context.scheduleId, run.context.scheduledFor),
  orchestrator: ORCHESTRATORS.backupScheduled,
  staleAfterMs: STALE_AFTER_MS,
  touchesGraph: true,
});

/** The run types whose backup sets belong to a schedule (retention applies to them). */
export const SCHEDULE_RUN_TYPES: readonly string[] = [
  backupScheduleRunNow.type,
  backupScheduleRetry.type,
  backupScheduleScheduled.type,
];

/** The backup feature's entries of the operation catalog. */
export const backupRunTypes = runTypeList(
  backupRun,
  backupScheduleRunNow,
  backupScheduleRetry,
  backupScheduleScheduled,
);
