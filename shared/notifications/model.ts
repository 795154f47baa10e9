import { z } from 'zod';
import { runOutcomeSchema, type Run } from '../operations/model';
import type { RunDescriber } from '../operations/catalog';

export const notificationKindSchema = z.enum(['run.queued', 'run.ended', 'drift.changed']);

/** A notification of one user (the run's initiator); `readAt` is null until they mark it read. */
export const runNotificationSchema = z.object({
  id: z.string(),
  userId: z.string(),
  kind: z.enum(['run.queued', 'run.ended']),
  title: z.string(),
  message: z.string(),
  runId: z.string(),
  runType: z.string(),
  workspaceId: z.string(),
  tenantId: z.string(),
  outcome: runOutcomeSchema,
  /** The canonical run (`/api/operations/{id}`). */
  link: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type RunNotification = z.infer<typeof runNotificationSchema>;

/**
 * New or resolved drift of one tenant against one baseline, for the baseline's owner: one per
 * evaluation that changed something, summarizing it (docs/drift.md, Signals).
 */
export const driftNotificationSchema = z.object({
  id: z.string(),
  userId: z.string(),
  kind: z.literal('drift.changed'),
  /** "Fabrikam: 3 new drift findings, 1 resolved against baseline 'Windows standard'". */
  title: z.string(),
  message: z.string(),
  workspaceId: z.string(),
  tenantId: z.string(),
  baselineId: z.string(),
  opened: z.number().int(),
  resolved: z.number().int(),
  /** The tenant's findings of the baseline (`/api/workspaces/{w}/drift?…`). */
  link: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type DriftNotification = z.infer<typeof driftNotificationSchema>;

export const notificationSchema = z.discriminatedUnion('kind', [
  runNotificationSchema,
  driftNotificationSchema,
]);
export type Notification = z.infer<typeof notificationSchema>;

/**
 * Who hears about a run: user runs notify their initiator only. Scheduled runs notify the schedule's
 * owner (the user who last saved it), whom the scheduler puts in the run's context.
 */
export function notificationRecipient(run: Run): string | undefined {
  if (run.initiator.kind === 'user') return run.initiator.userId;
  const owner = run.context.ownerUserId;
  return typeof owner === 'string' ? owner : undefined;
}

/** Deterministic ids (run + kind): writing the same notification twice creates it once. */
export function runNotification(
  run: Run,
  kind: RunNotification['kind'],
  userId: string,
  describe: RunDescriber,
): RunNotification {
  const ended = kind === 'run.ended';
  const { summary } = describe(run, ended ? run : { status: 'queued', outcome: 'pending' });
  return {
    id: `${run.id}.${ended ? 'ended' : 'queued'}`,
    userId,
    kind,
    // What a person reads: "Inventory sync of Contoso finished — 239 objects, 2 changed".
    title: summary,
    message: ended ? endedMessage(run) : 'It will start shortly.',
    runId: run.id,
    runType: run.type,
    workspaceId: run.workspaceId,
    tenantId: run.tenantId,
    outcome: ended ? run.outcome : 'pending',
    link: run.links.self,
    createdAt: (ended ? run.completedAt : run.createdAt) ?? run.createdAt,
    readAt: null,
  };
}

const FAILURES_SHOWN = 3;

/** How long it took, and what went wrong (each failure's message and reason code). */
function endedMessage(run: Run): string {
  const from = Date.parse(run.startedAt ?? run.createdAt);
  const seconds = Math.max(0, Math.round((Date.parse(run.completedAt ?? run.heartbeatAt) - from) / 1000));
  const took = run.startedAt
    ? `Took ${seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`}.`
    : '';
  const failures = run.failures
    .slice(0, FAILURES_SHOWN)
    .map((f) => `${f.message.replace(/\.$/, '')} (${f.reasonCode}${f.target ? `, ${f.target}` : ''}).`);
  const more = run.failures.length - FAILURES_SHOWN;
  return [took, ...failures, ...(more > 0 ? [`And ${more} more.`] : [])].filter(Boolean).join(' ');
}
