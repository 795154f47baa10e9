import { z } from 'zod';
import { outcomeSchema, type Baseline } from './model';

/** Client-side method of the push of new or resolved drift (`connection.on('driftChanged', …)`). */
export const DRIFT_CHANGED_METHOD = 'driftChanged';
/** `subject` (and `type` in the body) of drift events on the operation-events topic. */
export const DRIFT_DETECTED_EVENT = 'drift.detected';
export const DRIFT_RESOLVED_EVENT = 'drift.resolved';

/** One finding's drift episode that began (`detected`) or ended (`resolved`). */
export const driftChangeSchema = z.object({
  kind: z.enum(['detected', 'resolved']),
  findingId: z.string(),
  /** The episode: its `firstSeenAt` (what makes the event's id). */
  episode: z.string().nullable(),
  objectKey: z.string(),
  policyType: z.string(),
  displayName: z.string(),
  outcome: outcomeSchema,
  differenceCount: z.number().int(),
  tenantItemId: z.string().nullable(),
  firstSeenAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  raisedByVersion: z.string().nullable(),
  resolvedByVersion: z.string().nullable(),
});
export type DriftChange = z.infer<typeof driftChangeSchema>;

/** What a client receives on `driftChanged`: one per (baseline, tenant) and evaluation. */
export const driftPushSchema = z.object({
  /** The notification's id: a repeated push has the same one. */
  id: z.string(),
  workspaceId: z.string(),
  baselineId: z.string(),
  baselineName: z.string(),
  tenantId: z.string(),
  title: z.string(),
  opened: z.array(driftChangeSchema),
  resolved: z.array(driftChangeSchema),
  link: z.string(),
});
export type DriftPushBody = z.infer<typeof driftPushSchema>;

/** A `signalR` output item: the pair's drift change to everyone watching the tenant. */
export interface DriftPush {
  target: typeof DRIFT_CHANGED_METHOD;
  groupName: string;
  arguments: [DriftPushBody];
}

/** Body of a `drift.detected` / `drift.resolved` event; `eventId` equals the Service Bus message id. */
export type DriftEventBody = Omit<DriftChange, 'kind' | 'episode'> & {
  eventId: string;
  type: typeof DRIFT_DETECTED_EVENT | typeof DRIFT_RESOLVED_EVENT;
  workspaceId: string;
  tenantId: string;
  baselineId: string;
  baselineName: string;
  link: string;
};

export interface DriftEvent {
  messageId: string;
  subject: DriftEventBody['type'];
  body: DriftEventBody;
  applicationProperties: { type: string; tenantId: string; baselineId: string; outcome: string };
}

/**
 * The event of one episode. Its id is the finding's and the episode's (`{findingId}:detected:{firstSeenAt}`),
 * so a repeated announcement is the same message (Service Bus drops it) while drift that comes back
 * later is a new one.
 */
export function driftEvent(baseline: Baseline, tenantId: string, change: DriftChange): DriftEvent {
  const type = change.kind === 'detected' ? DRIFT_DETECTED_EVENT : DRIFT_RESOLVED_EVENT;
  const messageId = `${change.findingId}:${change.kind}:${change.episode ?? 'none'}`;
  const { kind: _kind, episode: _episode, ...finding } = change;
  return {
    messageId,
    subject: type,
    body: {
      eventId: messageId,
      type,
      workspaceId: baseline.workspaceId,
      tenantId,
      baselineId: baseline.id,
      baselineName: baseline.name,
      ...finding,
      link: `/api/workspaces/${baseline.workspaceId}/drift?baselineId=${baseline.id}&tenantId=${tenantId}&state=all`,
    },
    applicationProperties: { type, tenantId, baselineId: baseline.id, outcome: change.outcome },
  };
}
