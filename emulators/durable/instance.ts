import type { HistoryEvent } from './history';

export type RuntimeStatus =
  'Pending' | 'Running' | 'Completed' | 'ContinuedAsNew' | 'Failed' | 'Canceled' | 'Terminated' | 'Suspended';

export const ACTIVE_STATUSES: ReadonlySet<RuntimeStatus> = new Set([
  'Pending',
  'Running',
  'ContinuedAsNew',
  'Suspended',
]);

export interface RetryPolicy {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
}

/** Work the engine has handed out and still waits for; persisted so a restart can pick it up again. */
export interface PendingTask {
  eventId: number;
  kind: 'activity' | 'subOrchestration' | 'timer';
  name?: string;
  input?: unknown;
  fireAt?: string;
  childInstanceId?: string;
  /** The logical task a retry belongs to (the first attempt's event id). */
  retryOf?: number;
}

export interface RetryState {
  kind: 'activity' | 'subOrchestration';
  name: string;
  input: unknown;
  childInstanceId?: string;
  policy: RetryPolicy;
  failures: number;
  /** Event id of the retry timer being waited on, if any. */
  timerId?: number;
  lastFailure?: { Reason: string; Details: string };
}

/** One orchestration instance as the local engine stores it (one Cosmos document per instance). */
export interface InstanceState {
  id: string;
  name: string;
  executionId: string;
  status: RuntimeStatus;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  parentInstanceId: string | null;
  /** Event id in the parent's history that waits for this child. */
  parentTaskId: number | null;
  history: HistoryEvent[];
  /** Events not yet delivered to the orchestrator; one is delivered per episode. */
  inbox: HistoryEvent[];
  /** Leaf actions already turned into history, and the event id each received (null for external events). */
  actionIds: Array<number | null>;
  nextEventId: number;
  pending: PendingTask[];
  retries: Record<string, RetryState>;
  canceledTimers: number[];
}

/** Status times have whole seconds, as the extension formats them. */
export function statusTime(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}
