import { z } from 'zod';
import { runOutcomeSchema, type Run } from '../operations/model';

export const notificationKindSchema = z.enum(['run.queued', 'run.ended']);

/** A notification of one user (the run's initiator); `readAt` is null until they mark it read. */
export const notificationSchema = z.object({
  id: z.string(),
  userId: z.string(),
  kind: notificationKindSchema,
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
export function runNotification(run: Run, kind: Notification['kind'], userId: string): Notification {
  const ended = kind === 'run.ended';
  const failure = run.failures[0];
  return {
    id: `${run.id}.${ended ? 'ended' : 'queued'}`,
    userId,
    kind,
    title: ended ? `${run.type} ${outcomeWord(run.outcome)}` : `${run.type} queued`,
    message: ended
      ? `The operation ended: ${run.outcome}${failure ? ` (${failure.reasonCode}: ${failure.message})` : ''}.`
      : 'The operation was queued and will start shortly.',
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

function outcomeWord(outcome: Run['outcome']): string {
  return outcome === 'partially_succeeded' ? 'partially succeeded' : outcome;
}
