import { z } from 'zod';
import { changedBySchema } from '../inventory';

/** The watch's documents live in the inventory container, in the tenant's partition. */
export const WATCH_STATE_ID = 'watch';
/** Work documents of a watch run expire after a week (container TTL), like a sync's cursors. */
export const WATCH_WORK_TTL_SECONDS = 7 * 24 * 3600;

/**
 * A tenant's change watch: whether it runs and how often, and the watermark — every audit record before
 * it has been applied. Created by the tenant's first full sync (its start is the first watermark).
 */
export const watchStateSchema = z.object({
  id: z.literal(WATCH_STATE_ID),
  tenantId: z.string(),
  workspaceId: z.string(),
  docType: z.literal('watchState'),
  enabled: z.boolean(),
  intervalMinutes: z.number().int().min(1).max(1440),
  watermark: z.string(),
  nextDueAt: z.string(),
  lastRunId: z.string().nullable(),
  /** Why the last watch did not advance (`provider_permission_denied`, …); null after a good one. */
  lastFailure: z.string().nullable(),
});
export type WatchState = z.infer<typeof watchStateSchema>;

export const auditSourceSchema = z.enum(['intune', 'entra']);
export type AuditSource = z.infer<typeof auditSourceSchema>;

/** The operation an audit record describes, in Graph-neutral words. */
export const auditOperationSchema = z.enum(['create', 'update', 'delete', 'assign', 'other']);
export type AuditOperation = z.infer<typeof auditOperationSchema>;

/** One object an audit record names, mapped to the contract that reads it (or probes, for a new id). */
export const watchTargetSchema = z.object({
  policyType: z.string(),
  graphId: z.string(),
  operation: auditOperationSchema,
  changedBy: changedBySchema,
  activity: z.string().nullable(),
  activityAt: z.string().nullable(),
});
export type WatchTarget = z.infer<typeof watchTargetSchema>;

/**
 * What a watch run read and will re-read: written once by its plan (a retried plan finds it), read by
 * each apply step. Records it could not map are counted and sampled here, never dropped silently.
 */
export const watchWorkSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  docType: z.literal('watchWork'),
  runId: z.string(),
  from: z.string(),
  to: z.string(),
  records: z.object({ intune: z.number().int(), entra: z.number().int() }),
  /** Graph requests the audit reads took (pages of both logs). */
  auditRequests: z.number().int(),
  unmapped: z.number().int(),
  /** Records about objects already read after their change (the overlap's re-reads): skipped. */
  alreadyCurrent: z.number().int().default(0),
  unmappedSamples: z.array(z.object({ source: auditSourceSchema, id: z.string(), activity: z.string() })),
  targets: z.array(watchTargetSchema),
  ttl: z.number().int(),
});
export type WatchWork = z.infer<typeof watchWorkSchema>;

export const changeKindSchema = z.enum(['created', 'updated', 'deleted', 'assignments_changed']);
export type ChangeKind = z.infer<typeof changeKindSchema>;

/**
 * One entry of the change feed: an item that changed, the versions before and after, who changed it
 * (from the audit logs) and when. Id `change:{runId}:{itemId}`: a retried step writes the same one.
 */
export const changeRecordSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  workspaceId: z.string(),
  docType: z.literal('change'),
  itemId: z.string(),
  policyType: z.string(),
  graphId: z.string(),
  displayName: z.string(),
  kind: changeKindSchema,
  versionBefore: z.string().nullable(),
  versionAfter: z.string().nullable(),
  changedBy: changedBySchema,
  /** UPN or app id, lower-cased: what `actor=` matches. */
  actorKey: z.string(),
  activity: z.string().nullable(),
  activityAt: z.string().nullable(),
  observedAt: z.string(),
  runId: z.string(),
  source: z.enum(['watch', 'sync']),
});
export type ChangeRecord = z.infer<typeof changeRecordSchema>;

export const watchWorkId = (runId: string) => `watch:${runId}`;
export const changeId = (runId: string, itemId: string) => `change:${runId}:${itemId}`;
