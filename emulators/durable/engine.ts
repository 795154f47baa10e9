import { randomUUID } from 'node:crypto';
import {
  applyNewActions,
  applyRetryBookkeeping,
  orchestratorPayload,
  parseOrchestratorFailure,
  type Effect,
  type OrchestratorOutcome,
} from './episode';
import { EventType, historyEvent, parseJsonText, toJsonText, type HistoryEvent } from './history';
import { ACTIVE_STATUSES, type InstanceState, type PendingTask, type RuntimeStatus } from './instance';
import type { InstanceStore } from './store';
import { Semaphore } from './semaphore';

export interface DurableFunctionRuntime {
  hasOrchestrator(name: string): boolean;
  /** Runs one orchestrator episode; throws what the JS handler throws. */
  runOrchestrator(name: string, payload: unknown): Promise<unknown>;
  /** Runs an activity; resolves to its return value, rejects with its error. */
  runActivity(name: string, input: unknown): Promise<unknown>;
}

export interface DurableEngineOptions {
  store: InstanceStore;
  runtime: DurableFunctionRuntime;
  maxConcurrentActivities: number;
  maxConcurrentOrchestrations: number;
  log: (message: string) => void;
}

export class InstanceExistsError extends Error {
  constructor(readonly status: RuntimeStatus) {
    super(`An Orchestration instance with the status ${status} already exists.`);
  }
}

export class UnknownOrchestratorError extends Error {}

export type ControlResult = 'accepted' | 'gone' | 'notFound' | 'conflict';

/**
 * The local Durable Task engine: runs orchestrators through the real durable-functions replay, one new
 * history event per episode (the rule that keeps event ids in step with the JS side), executes their
 * actions, and persists every instance after each change so a restart resumes where it stopped.
 */
export class DurableEngine {
  private readonly instances = new Map<string, InstanceState>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly activitySlots: Semaphore;
  private readonly orchestratorSlots: Semaphore;
  private readonly inflight = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly options: DurableEngineOptions) {
    this.activitySlots = new Semaphore(options.maxConcurrentActivities);
    this.orchestratorSlots = new Semaphore(options.maxConcurrentOrchestrations);
  }

  async start(): Promise<void> {
    for (const state of await this.options.store.loadAll()) this.instances.set(state.id, state);
    for (const state of this.instances.values()) if (ACTIVE_STATUSES.has(state.status)) this.resume(state);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    // Activities still running are abandoned: they stay pending in the store and run again on restart.
    await Promise.allSettled([...this.locks.values()]);
  }

  get(id: string): InstanceState | undefined {
    return this.instances.get(id);
  }

  list(): InstanceState[] {
    return [...this.instances.values()];
  }

  async startNew(
    name: string,
    input: unknown,
    instanceId: string = randomUUID().replace(/-/g, ''),
    parent?: { instanceId: string; taskId: number },
  ): Promise<InstanceState> {
    if (!this.options.runtime.hasOrchestrator(name)) {
      throw new UnknownOrchestratorError(
        `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`,
      );
    }
    return this.withLock(instanceId, async () => {
      const existing = this.instances.get(instanceId);
      if (existing && ACTIVE_STATUSES.has(existing.status)) throw new InstanceExistsError(existing.status);
      if (existing) this.cancelTimers(existing);
      const now = new Date().toISOString();
      const state: InstanceState = {
        id: instanceId,
        name,
        executionId: randomUUID().replace(/-/g, ''),
        status: 'Pending',
        input: input ?? null,
        output: null,
        customStatus: null,
        createdTime: now,
        lastUpdatedTime: now,
        parentInstanceId: parent?.instanceId ?? null,
        parentTaskId: parent?.taskId ?? null,
        history: [],
        inbox: [startedEvent(name, input, parent?.instanceId)],
        actionIds: [],
        nextEventId: 0,
        pending: [],
        retries: {},
        canceledTimers: [],
      };
      this.instances.set(instanceId, state);
      await this.options.store.save(state);
      this.kick(instanceId);
      return state;
    });
  }

  raiseEvent(id: string, name: string, data: unknown): Promise<ControlResult> {
    return this.control(id, (state) => {
      state.inbox.push(
        historyEvent(EventType.EventRaised, new Date(), { Name: name, Input: toJsonText(data) }),
      );
    });
  }

  terminate(id: string, reason: string): Promise<ControlResult> {
    return this.control(id, (state) => this.finish(state, 'Terminated', parseJsonText(reason), reason));
  }

  suspend(id: string, reason: string): Promise<ControlResult> {
    return this.control(id, (state) => {
      if (state.status === 'Suspended') return;
      state.status = 'Suspended';
      state.history.push(historyEvent(EventType.ExecutionSuspended, new Date(), { Reason: reason }));
    });
  }

  resumeInstance(id: string, reason: string): Promise<ControlResult> {
    return this.control(id, (state) => {
      if (state.status !== 'Suspended') return;
      state.status = 'Running';
      state.history.push(historyEvent(EventType.ExecutionResumed, new Date(), { Reason: reason }));
    });
  }

  /** Only finished instances can be purged, as with the Azure Storage backend. */
  purge(id: string): Promise<boolean> {
    return this.withLock(id, async () => {
      const state = this.instances.get(id);
      if (!state || ACTIVE_STATUSES.has(state.status)) return false;
      this.instances.delete(id);
      await this.options.store.delete(id);
      return true;
    });
  }

  private control(id: string, change: (state: InstanceState) => Effect[] | void): Promise<ControlResult> {
    return this.withLock(id, async () => {
      const state = this.instances.get(id);
      if (!state) return 'notFound';
      if (!ACTIVE_STATUSES.has(state.status)) return 'gone';
      const effects = change(state) ?? [];
      state.lastUpdatedTime = new Date().toISOString();
      await this.options.store.save(state);
      this.perform(state, effects);
      this.kick(id);
      return 'accepted';
    });
  }

  /** Re-arms timers, re-dispatches unfinished activities and children, and processes queued events. */
  private resume(state: InstanceState): void {
    for (const task of state.pending) {
      if (task.kind === 'timer') this.armTimer(state, task);
      else if (task.kind === 'activity') this.dispatchActivity(state, task);
      else this.checkChild(state, task);
    }
    this.kick(state.id);
  }

  private kick(id: string): void {
    if (this.stopped) return;
    void this.withLock(id, () => this.runEpisodes(id)).catch((error) =>
      this.options.log(`orchestration ${id}: ${error instanceof Error ? error.stack : String(error)}`),
    );
  }

  private async runEpisodes(id: string): Promise<void> {
    const state = this.instances.get(id);
    if (!state) return;
    while (
      !this.stopped &&
      state.inbox.length > 0 &&
      (state.status === 'Pending' || state.status === 'Running')
    ) {
      const event = state.inbox.shift()!;
      const effects = await this.runEpisode(state, event);
      await this.options.store.save(state);
      this.perform(state, effects);
    }
  }

  private async runEpisode(state: InstanceState, event: HistoryEvent): Promise<Effect[]> {
    const now = new Date();
    if (event.EventType === EventType.ExecutionStarted) state.status = 'Running';
    const episode = [
      historyEvent(EventType.OrchestratorStarted, now),
      { ...event, Timestamp: now.toISOString() },
    ];
    const retry = applyRetryBookkeeping(state, event, now);
    const outcome = await this.invokeOrchestrator(state, episode);
    state.history.push(...episode.map((e) => ({ ...e, IsPlayed: true })), ...retry.produced);
    state.lastUpdatedTime = now.toISOString();
    const effects = [...retry.effects];
    if (!outcome.ok) {
      const reason = `Orchestrator function '${state.name}' failed: ${outcome.error}`;
      effects.push(
        ...this.finish(state, 'Failed', reason, reason, outcome.failureDetails ?? null, outcome.error),
      );
      return effects;
    }
    if (outcome.hasCustomStatus) state.customStatus = outcome.customStatus ?? null;
    const applied = applyNewActions(state, outcome.actions, now);
    state.history.push(...applied.produced);
    effects.push(...applied.effects);
    if (applied.continueAsNewInput) {
      effects.push(...this.continueAsNew(state, applied.continueAsNewInput.input, now));
    } else if (outcome.isDone) {
      effects.push(...this.finish(state, 'Completed', outcome.output ?? null, toJsonText(outcome.output)));
    } else {
      state.history.push(historyEvent(EventType.OrchestratorCompleted, now));
    }
    return effects;
  }

  private async invokeOrchestrator(
    state: InstanceState,
    episode: HistoryEvent[],
  ): Promise<OrchestratorOutcome> {
    const release = await this.orchestratorSlots.acquire();
    try {
      const result = (await this.options.runtime.runOrchestrator(
        state.name,
        orchestratorPayload(state, episode),
      )) as {
        isDone: boolean;
        actions: unknown;
        output: unknown;
        customStatus?: unknown;
      };
      return { ok: true, ...result, hasCustomStatus: 'customStatus' in result };
    } catch (error) {
      return { ok: false, ...parseOrchestratorFailure(error) };
    } finally {
      release();
    }
  }

  /** Ends the current execution; returns the effects (timer cancellations, parent notification). */
  private finish(
    state: InstanceState,
    status: 'Completed' | 'Failed' | 'Terminated',
    output: unknown,
    resultText: string | null,
    failureDetails: unknown = null,
    errorText?: string,
  ): Effect[] {
    const now = new Date();
    if (status === 'Terminated')
      state.history.push(historyEvent(EventType.ExecutionTerminated, now, { Input: resultText }));
    state.history.push(
      historyEvent(EventType.ExecutionCompleted, now, {
        OrchestrationStatus: status,
        Result: resultText,
        FailureDetails: failureDetails,
      }),
    );
    const effects: Effect[] = state.pending
      .filter((t) => t.kind === 'timer')
      .map((t) => ({ kind: 'cancelTimer' as const, eventId: t.eventId }));
    this.cancelTimers(state);
    state.status = status;
    state.output = output;
    state.pending = [];
    state.inbox = [];
    state.retries = {};
    state.lastUpdatedTime = now.toISOString();
    if (state.parentInstanceId !== null && state.parentTaskId !== null) {
      effects.push({
        kind: 'notifyParent',
        event:
          status === 'Completed'
            ? historyEvent(EventType.SubOrchestrationInstanceCompleted, now, {
                TaskScheduledId: state.parentTaskId,
                Result: resultText,
              })
            : historyEvent(EventType.SubOrchestrationInstanceFailed, now, {
                TaskScheduledId: state.parentTaskId,
                Reason: String(resultText),
                Details: errorText ?? String(resultText),
              }),
      });
    }
    return effects;
  }

  private continueAsNew(state: InstanceState, input: unknown, now: Date): Effect[] {
    this.cancelTimers(state);
    state.status = 'ContinuedAsNew';
    state.executionId = randomUUID().replace(/-/g, '');
    state.input = input ?? null;
    state.history = [];
    // Events not yet consumed are dropped: durable-functions 3.x has no option to carry them over.
    state.inbox = [startedEvent(state.name, input, state.parentInstanceId ?? undefined)];
    state.actionIds = [];
    state.nextEventId = 0;
    state.pending = [];
    state.retries = {};
    state.canceledTimers = [];
    state.status = 'Running';
    state.lastUpdatedTime = now.toISOString();
    return [];
  }

  private perform(state: InstanceState, effects: Effect[]): void {
    for (const effect of effects) {
      switch (effect.kind) {
        case 'runActivity':
          this.dispatchActivity(state, effect.task);
          break;
        case 'armTimer':
          this.armTimer(state, effect.task);
          break;
        case 'cancelTimer':
          this.clearTimer(state, effect.eventId);
          break;
        case 'startChild':
          this.startChild(state, effect.task, effect.name, effect.input);
          break;
        case 'notifyParent':
          void this.deliver(state.parentInstanceId!, undefined, effect.event);
          break;
      }
    }
  }

  private dispatchActivity(state: InstanceState, task: PendingTask): void {
    const { id, executionId } = state;
    const run = (async () => {
      const release = await this.activitySlots.acquire();
      let completion: HistoryEvent;
      try {
        if (this.stopped) return;
        const result = await this.options.runtime.runActivity(task.name!, task.input);
        completion = historyEvent(EventType.TaskCompleted, new Date(), {
          TaskScheduledId: task.eventId,
          Result: toJsonText(result),
        });
      } catch (error) {
        completion = historyEvent(EventType.TaskFailed, new Date(), {
          TaskScheduledId: task.eventId,
          Reason: `Activity function '${task.name}' failed: ${error instanceof Error ? error.message : String(error)}`,
          Details: JSON.stringify(exceptionDetails(error)),
        });
      } finally {
        release();
      }
      await this.deliver(id, executionId, completion);
    })();
    this.track(run);
  }

  private startChild(parent: InstanceState, task: PendingTask, name: string, input: unknown): void {
    const run = this.startNew(name, input, task.childInstanceId, {
      instanceId: parent.id,
      taskId: task.eventId,
    }).catch((error: unknown) =>
      this.deliver(
        parent.id,
        parent.executionId,
        historyEvent(EventType.SubOrchestrationInstanceFailed, new Date(), {
          TaskScheduledId: task.eventId,
          Reason: error instanceof Error ? error.message : String(error),
          Details: '',
        }),
      ),
    );
    this.track(run);
  }

  /** After a restart: a child that finished while its parent was not listening is reported now. */
  private checkChild(parent: InstanceState, task: PendingTask): void {
    const child = task.childInstanceId ? this.instances.get(task.childInstanceId) : undefined;
    if (!child) return this.startChild(parent, task, task.name!, task.input);
    if (ACTIVE_STATUSES.has(child.status)) return;
    const resultText = toJsonText(child.output);
    void this.deliver(
      parent.id,
      parent.executionId,
      child.status === 'Completed'
        ? historyEvent(EventType.SubOrchestrationInstanceCompleted, new Date(), {
            TaskScheduledId: task.eventId,
            Result: resultText,
          })
        : historyEvent(EventType.SubOrchestrationInstanceFailed, new Date(), {
            TaskScheduledId: task.eventId,
            Reason: String(child.output),
            Details: String(child.output),
          }),
    );
  }

  /** Queues an event for an instance if it still waits for it (same execution, task still pending). */
  private deliver(id: string, executionId: string | undefined, event: HistoryEvent): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return this.withLock(id, async () => {
      const state = this.instances.get(id);
      if (!state || !ACTIVE_STATUSES.has(state.status)) return;
      if (executionId !== undefined && state.executionId !== executionId) return;
      const awaited = (event.TaskScheduledId ?? event.TimerId) as number | undefined;
      if (awaited !== undefined && !state.pending.some((t) => t.eventId === awaited)) return;
      state.inbox.push(event);
      await this.runEpisodes(id);
      if (state.status === 'Suspended') await this.options.store.save(state);
    });
  }

  private armTimer(state: InstanceState, task: PendingTask): void {
    const key = `${state.id}\u0000${task.eventId}`;
    const { id, executionId } = state;
    const fireAt = new Date(task.fireAt!).getTime();
    const wait = () => {
      const delay = fireAt - Date.now();
      if (delay > 0) {
        this.timers.set(key, setTimeout(wait, Math.min(delay, 2 ** 31 - 1)));
        return;
      }
      this.timers.delete(key);
      void this.deliver(
        id,
        executionId,
        historyEvent(EventType.TimerFired, new Date(), { TimerId: task.eventId, FireAt: task.fireAt }),
      );
    };
    this.clearTimer(state, task.eventId);
    wait();
  }

  private clearTimer(state: InstanceState, eventId: number): void {
    const key = `${state.id}\u0000${eventId}`;
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  private cancelTimers(state: InstanceState): void {
    for (const task of state.pending) if (task.kind === 'timer') this.clearTimer(state, task.eventId);
  }

  private track(promise: Promise<unknown>): void {
    this.inflight.add(promise);
    void promise.finally(() => this.inflight.delete(promise));
  }

  /** Serializes all work on one instance; different instances proceed in parallel. */
  private withLock<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(id, settled);
    void settled.then(() => {
      if (this.locks.get(id) === settled) this.locks.delete(id);
    });
    return next;
  }
}

function startedEvent(name: string, input: unknown, parentInstanceId?: string): HistoryEvent {
  return historyEvent(EventType.ExecutionStarted, new Date(), {
    Name: name,
    Input: toJsonText(input),
    ...(parentInstanceId && { ParentInstance: { OrchestrationInstance: { InstanceId: parentInstanceId } } }),
  });
}

/** The serialized .NET-style exception the extension puts in TaskFailed.Details. */
function exceptionDetails(error: unknown) {
  const err = error instanceof Error ? error : new Error(String(error));
  return {
    $type: 'System.Exception',
    ClassName: err.name,
    Message: err.message,
    StackTraceString: err.stack ?? null,
  };
}
