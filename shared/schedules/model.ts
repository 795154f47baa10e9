import { z } from 'zod';
import { backupSelectionSchema } from '../backup/selection';
import { cadenceSchema } from './cadence';
import { nameText } from '../api/text';

/** Keep the last N backups of the schedule and/or those younger than D days; at least one of them. */
export const retentionSchema = z
  .object({
    keepLast: z.number().int().min(1).max(1000).optional(),
    keepDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict()
  .refine((r) => r.keepLast !== undefined || r.keepDays !== undefined, {
    message: 'keepLast and/or keepDays is required (backups must not grow without bound)',
  });
export type Retention = z.infer<typeof retentionSchema>;

const principalRef = z.object({ userId: z.string(), displayName: z.string() });

/** A backup schedule as stored (container `backups`, partition `/tenantId`, `kind: 'schedule'`). */
export const scheduleSchema = z.object({
  id: z.string(),
  kind: z.literal('schedule'),
  workspaceId: z.string(),
  tenantId: z.string(),
  name: z.string(),
  selection: backupSelectionSchema,
  cadence: cadenceSchema,
  retention: retentionSchema,
  enabled: z.boolean(),
  /**
   * The next intended fire time (UTC ISO), null when disabled. The scheduler's due query reads only this
   * indexed field, so it stays cheap however many schedules exist.
   */
  nextRunAt: z.string().nullable(),
  /** The user who last saved the schedule: scheduled runs notify them. */
  owner: principalRef,
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
});
export type Schedule = z.infer<typeof scheduleSchema>;

export const createScheduleBody = z
  .object({
    name: nameText(200),
    selection: backupSelectionSchema.optional(),
    cadence: cadenceSchema,
    retention: retentionSchema,
    enabled: z.boolean().default(true),
  })
  .strict();
export type CreateScheduleInput = z.infer<typeof createScheduleBody>;

export const updateScheduleBody = z
  .object({
    name: nameText(200).optional(),
    selection: backupSelectionSchema.optional(),
    cadence: cadenceSchema.optional(),
    retention: retentionSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.values(body).some((v) => v !== undefined), 'nothing to change');
export type UpdateScheduleInput = z.infer<typeof updateScheduleBody>;

/** The schedule's most recent run (any of its kinds), read from the runs themselves so it is never stale. */
export const lastRunSchema = z.object({
  runId: z.string(),
  type: z.string(),
  status: z.string(),
  outcome: z.string(),
  scheduledFor: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  failures: z.array(z.object({ reasonCode: z.string(), message: z.string() })),
});

export const scheduleView = scheduleSchema.omit({ kind: true }).extend({ lastRun: lastRunSchema.nullable() });
export type ScheduleView = z.infer<typeof scheduleView>;

/** Body of run-now and retry: a token the client makes per click, so a double submit is one run. */
export const clickBody = z
  .object({
    clickToken: z
      .string()
      .min(8)
      .max(128)
      .regex(/^[A-Za-z0-9._:-]+$/)
      .optional(),
  })
  .strict()
  .optional();
