import { z } from 'zod';
import { runOutcomeSchema, type Initiator, type Run } from '../operations/model';

/** The lifecycle states a run passes through, in order (`running` is skipped when it never started). */
export const RUN_STATES = ['queued', 'running', 'completed'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** Body of a message on the `operation-events` topic. `eventId` equals the Service Bus message id. */
export const runEventSchema = z.object({
  eventId: z.string(),
  runId: z.string(),
  runType: z.string(),
  state: z.enum(RUN_STATES),
  outcome: runOutcomeSchema,
  workspaceId: z.string(),
  tenantId: z.string(),
  initiator: z.object({ kind: z.enum(['user', 'schedule', 'system']), id: z.string() }),
  reasonCodes: z.array(z.string()),
  occurredAt: z.string(),
  link: z.string(),
});
export type RunEvent = z.infer<typeof runEventSchema>;

export interface RunLifecycleEvent {
  /** Run id + state: a resent event has the same id, so Service Bus duplicate detection drops it. */
  messageId: string;
  body: RunEvent;
}

/** Publishes lifecycle events with their message ids (Service Bus in Azure; see docs/decisions). */
export interface RunEventPublisher {
  publish(events: RunLifecycleEvent[]): Promise<void>;
}

/**
 * Every state the run has reached, derived from the document itself: the change feed may deliver only
 * the latest of several quick writes (queued → running → completed), and no state may be lost.
 */
export function statesReached(run: Run): RunState[] {
  return [
    'queued',
    ...(run.startedAt ? (['running'] as const) : []),
    ...(run.status === 'completed' ? (['completed'] as const) : []),
  ];
}

export function lifecycleEvent(run: Run, state: RunState): RunLifecycleEvent {
  const messageId = `${run.id}:${state}`;
  const occurredAt =
    state === 'queued' ? run.createdAt : state === 'running' ? run.startedAt : run.completedAt;
  return {
    messageId,
    body: {
      eventId: messageId,
      runId: run.id,
      runType: run.type,
      state,
      // The outcome as of that state: only the completed event carries the final one.
      outcome: state === 'completed' ? run.outcome : 'pending',
      workspaceId: run.workspaceId,
      tenantId: run.tenantId,
      initiator: eventInitiatorOf(run.initiator),
      reasonCodes: state === 'completed' ? [...new Set(run.failures.map((f) => f.reasonCode))] : [],
      occurredAt: occurredAt ?? run.heartbeatAt,
      link: run.links.self,
    },
  };
}

function eventInitiatorOf(initiator: Initiator) {
  switch (initiator.kind) {
    case 'user':
      return { kind: 'user' as const, id: initiator.userId };
    case 'schedule':
      return { kind: 'schedule' as const, id: initiator.scheduleId };
    case 'system':
      return { kind: 'system' as const, id: initiator.name };
  }
}
