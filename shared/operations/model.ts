import { z } from 'zod';
import { AtlasError } from '../errors';

/** Stable reason codes of run failures (DOMAIN.md); clients switch on them. */
export const REASON_CODES = [
  'provider_auth_failed',
  'provider_permission_denied',
  'provider_not_configured',
  'graph_throttled',
  'graph_unavailable',
  'graph_error',
  'dispatch_failed',
  'stale_run',
  'cancelled',
  'validation_failed',
  'scope_busy',
  'restore_source_missing',
  'restore_plan_stale',
  'internal_error',
] as const;
export const reasonCodeSchema = z.enum(REASON_CODES);
export type ReasonCode = z.infer<typeof reasonCodeSchema>;

export const runStatusSchema = z.enum(['queued', 'running', 'completed']);
export const runOutcomeSchema = z.enum([
  'pending',
  'succeeded',
  'partially_succeeded',
  'failed',
  'cancelled',
]);
export type RunStatus = z.infer<typeof runStatusSchema>;
export type RunOutcome = z.infer<typeof runOutcomeSchema>;

export const initiatorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), userId: z.string(), displayName: z.string() }),
  z.object({ kind: z.literal('schedule'), scheduleId: z.string() }),
  /** Started by the app itself (e.g. the purge of a deleted workspace), for no one in particular. */
  z.object({ kind: z.literal('system'), name: z.string() }),
]);
export type Initiator = z.infer<typeof initiatorSchema>;

export const runFailureSchema = z.object({
  reasonCode: reasonCodeSchema,
  message: z.string(),
  target: z.string().optional(),
});
export type RunFailure = z.infer<typeof runFailureSchema>;

/** Why an operation cannot go on, as the run failure it becomes (a backup whose schedule is gone). */
export class RunFailureError extends AtlasError {
  readonly code: ReasonCode;
  override readonly reasonCode: ReasonCode;
  constructor(readonly failure: RunFailure) {
    super(failure.message);
    this.code = failure.reasonCode;
    this.reasonCode = failure.reasonCode;
  }
}

/**
 * The one mapping from errors to run failures: an error that carries a reason code keeps it and its
 * (sanitized) message; anything else is `internal_error` with a message that says nothing secret.
 */
export function toRunFailure(error: unknown, target?: string): RunFailure {
  const base =
    error instanceof RunFailureError
      ? error.failure
      : error instanceof AtlasError && reasonCodeSchema.safeParse(error.reasonCode).success
        ? { reasonCode: error.reasonCode as ReasonCode, message: error.message }
        : { reasonCode: 'internal_error' as const, message: 'The operation failed unexpectedly.' };
  return { ...base, ...(target && { target }) };
}

export const runCountsSchema = z.object({
  total: z.number().int(),
  processed: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  byType: z.record(z.string(), z.object({ total: z.number().int(), failed: z.number().int() })).optional(),
});
export type RunCounts = z.infer<typeof runCountsSchema>;

export const runSchema = z.object({
  id: z.string(),
  type: z.string(),
  workspaceId: z.string(),
  tenantId: z.string(),
  /** The tenant's display name when the run started, for the summary line (absent on older runs). */
  tenantName: z.string().optional(),
  status: runStatusSchema,
  outcome: runOutcomeSchema,
  identityKey: z.string(),
  context: z.record(z.string(), z.unknown()),
  initiator: initiatorSchema,
  counts: runCountsSchema,
  failures: z.array(runFailureSchema),
  /** Short human-readable progress ("12 of 40 policy types"). */
  progress: z.string().nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  instanceId: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  heartbeatAt: z.string(),
  links: z.object({ self: z.string(), durableStatus: z.string() }),
});
export type Run = z.infer<typeof runSchema>;

export const EMPTY_COUNTS: RunCounts = { total: 0, processed: 0, succeeded: 0, failed: 0, skipped: 0 };

export function isActive(run: Pick<Run, 'status'>): boolean {
  return run.status !== 'completed';
}

/** What callers see: the run without Cosmos system fields. */
export function runView(run: Run) {
  return runSchema.parse(run);
}
