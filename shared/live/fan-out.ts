import { runSchema, type Run } from '../operations/model';
import { notificationRecipient, runNotification } from '../notifications/model';
import type { NotificationStore } from '../notifications/store';
import {
  lifecycleEvent,
  statesReached,
  type RunEventPublisher,
  type RunLifecycleEvent,
  type RunState,
} from './run-events';
import { pushesFor, runUpdate, type LivePush } from './run-update';
import { systemClock } from '../clock';

/** At most this many progress pushes per second per run (state changes are never held back longer). */
export const PROGRESS_PUSHES_PER_SECOND = 4;
const PROGRESS_INTERVAL_MS = 1000 / PROGRESS_PUSHES_PER_SECOND;
/** Runs remembered per process; beyond it the oldest are forgotten (a re-delivery may then repeat). */
const MAX_REMEMBERED_RUNS = 20_000;

export interface FanOutDeps {
  notifications: NotificationStore;
  /** Undefined when no Service Bus is configured: the events are handed back for the output binding. */
  publisher?: RunEventPublisher;
  warn?: (message: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface FanOutResult {
  pushes: LivePush[];
  /** Events not published by the publisher (none when one is configured). */
  unpublished: RunLifecycleEvent[];
}

interface RunMemory {
  delivered: Set<RunState>;
  /** What the last push showed, so heartbeat-only writes push nothing. */
  shown: string;
  lastPushAt: number;
}

/**
 * Turns changes of run documents (the change feed of `runs`) into what users and systems see:
 * SignalR pushes to the initiator and the tenant group, notifications to the initiator (queued, ended)
 * and one lifecycle event per state. States are derived from the document, so a state whose version
 * the change feed skipped is still announced, in order. What was already announced is remembered per
 * process; after a restart a state may be announced again, which the deterministic notification ids and
 * message ids make harmless.
 */
export class RunFanOut {
  private readonly memory = new Map<string, RunMemory>();

  constructor(private readonly deps: FanOutDeps) {}

  /** `warn` reports documents that are not runs (the invocation's logger, from the function). */
  async handle(documents: unknown[], warn = this.deps.warn): Promise<FanOutResult> {
    const now = this.deps.now ?? (() => systemClock.now().getTime());
    const pushes: LivePush[] = [];
    const events: RunLifecycleEvent[] = [];
    const writes: Array<Promise<unknown>> = [];
    const remembered = new Map<string, RunMemory>();
    let holdMs = 0;
    for (const run of this.parse(documents, warn)) {
      const previous = remembered.get(run.id) ?? this.memory.get(run.id);
      const memory: RunMemory = previous
        ? { ...previous, delivered: new Set(previous.delivered) }
        : { delivered: new Set(), shown: '', lastPushAt: 0 };
      const shown = JSON.stringify([run.progress, run.counts, run.failures.length]);
      const fresh = statesReached(run).filter((state) => !memory.delivered.has(state));
      if (fresh.length > 0) {
        for (const state of fresh) {
          events.push(lifecycleEvent(run, state));
          pushes.push(...pushesFor(run, runUpdate(run, state)));
          const recipient = notificationRecipient(run);
          if (recipient && state !== 'running') {
            const kind = state === 'queued' ? 'run.queued' : 'run.ended';
            writes.push(this.deps.notifications.createOnce(runNotification(run, kind, recipient)));
          }
          memory.delivered.add(state);
        }
      } else if (run.status !== 'completed' && shown !== memory.shown) {
        holdMs = Math.max(holdMs, memory.lastPushAt + PROGRESS_INTERVAL_MS - now());
        pushes.push(...pushesFor(run, runUpdate(run, 'progress')));
      } else {
        continue; // a heartbeat, or a re-delivery of what was already announced
      }
      memory.shown = shown;
      remembered.set(run.id, memory);
    }
    await Promise.all(writes);
    const unpublished = this.deps.publisher ? [] : events;
    if (this.deps.publisher && events.length > 0) await this.deps.publisher.publish(events);
    // Holding the batch (rather than dropping the push) keeps the last progress visible; meanwhile the
    // change feed folds further writes of the run into its latest version.
    if (holdMs > 0) await (this.deps.sleep ?? sleep)(Math.min(holdMs, PROGRESS_INTERVAL_MS));
    const pushedAt = now();
    for (const [runId, memory] of remembered) this.remember(runId, { ...memory, lastPushAt: pushedAt });
    return { pushes, unpublished };
  }

  private parse(documents: unknown[], warn: FanOutDeps['warn']): Run[] {
    const runs: Run[] = [];
    for (const document of documents) {
      const parsed = runSchema.safeParse(document);
      if (parsed.success) runs.push(parsed.data);
      else warn?.(`Skipped a document of the runs container that is not a run: ${parsed.error.message}`);
    }
    return runs;
  }

  /** Marked only once the side effects succeeded, so a failed batch is announced again when retried. */
  private remember(runId: string, memory: RunMemory): void {
    this.memory.delete(runId);
    this.memory.set(runId, memory);
    while (this.memory.size > MAX_REMEMBERED_RUNS) this.memory.delete(this.memory.keys().next().value!);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
