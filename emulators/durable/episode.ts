import { ActionType, consumesEventId, decodeActionInput, flattenActions, type Action } from './actions';
import { EventType, historyEvent, toJsonText, type HistoryEvent } from './history';
import type { InstanceState, PendingTask, RetryPolicy } from './instance';

/** Work an episode hands to the engine once its new state is persisted. */
export type Effect =
  | { kind: 'runActivity'; task: PendingTask }
  | { kind: 'armTimer'; task: PendingTask }
  | { kind: 'cancelTimer'; eventId: number }
  | { kind: 'startChild'; task: PendingTask; name: string; input: unknown }
  | { kind: 'notifyParent'; event: HistoryEvent };

/** What an orchestrator invocation answered, or how it failed. */
export type OrchestratorOutcome =
  | {
      ok: true;
      isDone: boolean;
      actions: unknown;
      output: unknown;
      customStatus?: unknown;
      hasCustomStatus: boolean;
    }
  | { ok: false; error: string; failureDetails?: unknown };

/**
 * The payload the Durable extension passes to a JS orchestrator: full history (earlier events
 * played), plus the new episode. Timers are never split (maximumShortTimerDuration is huge), which
 * the protocol allows and keeps event ids simple.
 */
export function orchestratorPayload(state: InstanceState, episode: HistoryEvent[]) {
  const history = [...state.history.map((e) => ({ ...e, IsPlayed: true })), ...episode];
  return {
    history: structuredClone(history),
    input: state.input,
    instanceId: state.id,
    isReplaying: state.history.length > 0,
    parentInstanceId: state.parentInstanceId,
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 2,
    longRunningTimerIntervalDuration: '3.00:00:00',
    maximumShortTimerDuration: '3650.00:00:00',
    defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
  };
}

/**
 * Bookkeeping the extension does while the orchestrator processes an event (before user code runs):
 * a failed attempt of a retried task gets a retry timer; a fired retry timer schedules the next
 * attempt. The ids are allocated here, in the same order the JS RetryableTask allocates them.
 */
export function applyRetryBookkeeping(
  state: InstanceState,
  event: HistoryEvent,
  now: Date,
): {
  produced: HistoryEvent[];
  effects: Effect[];
} {
  const produced: HistoryEvent[] = [];
  const effects: Effect[] = [];
  if (
    event.EventType === EventType.TaskFailed ||
    event.EventType === EventType.SubOrchestrationInstanceFailed
  ) {
    const retryKey = state.pending.find((t) => t.eventId === event.TaskScheduledId)?.retryOf;
    removePending(state, event.TaskScheduledId as number);
    const retry = retryKey === undefined ? undefined : state.retries[retryKey];
    if (retry) {
      retry.failures += 1;
      const delay =
        retry.failures < retry.policy.maxNumberOfAttempts ? retryDelay(retry.policy, retry.failures - 1) : 0;
      const timer: PendingTask = {
        eventId: state.nextEventId++,
        kind: 'timer',
        fireAt: new Date(now.getTime() + delay).toISOString(),
        retryOf: retryKey,
      };
      retry.timerId = timer.eventId;
      state.pending.push(timer);
      produced.push(
        historyEvent(EventType.TimerCreated, now, { EventId: timer.eventId, FireAt: timer.fireAt }),
      );
      effects.push({ kind: 'armTimer', task: timer });
    }
  } else if (event.EventType === EventType.TimerFired) {
    const timer = state.pending.find((t) => t.eventId === event.TimerId);
    removePending(state, event.TimerId as number);
    const retry = timer?.retryOf === undefined ? undefined : state.retries[timer.retryOf];
    if (retry && retry.failures < retry.policy.maxNumberOfAttempts) {
      const attempt: PendingTask = {
        eventId: state.nextEventId++,
        kind: retry.kind,
        name: retry.name,
        input: retry.input,
        retryOf: timer!.retryOf,
      };
      produced.push(...scheduleTask(state, attempt, retry.childInstanceId, now, effects));
    } else if (retry) {
      delete state.retries[timer!.retryOf!];
    }
  } else if (
    event.EventType === EventType.TaskCompleted ||
    event.EventType === EventType.SubOrchestrationInstanceCompleted
  ) {
    const task = state.pending.find((t) => t.eventId === event.TaskScheduledId);
    removePending(state, event.TaskScheduledId as number);
    if (task?.retryOf !== undefined) delete state.retries[task.retryOf];
  }
  return { produced, effects };
}

/** Turns the actions the orchestrator added since the last episode into history and effects. */
export function applyNewActions(
  state: InstanceState,
  actions: unknown,
  now: Date,
): {
  produced: HistoryEvent[];
  effects: Effect[];
  continueAsNewInput?: { input: unknown };
} {
  const produced: HistoryEvent[] = [];
  const effects: Effect[] = [];
  let continueAsNewInput: { input: unknown } | undefined;
  const leaves = flattenActions(actions);
  leaves.forEach((action, index) => {
    if (index < state.actionIds.length) {
      const id = state.actionIds[index];
      if (
        action.actionType === ActionType.CreateTimer &&
        action.isCanceled &&
        id !== null &&
        id !== undefined
      ) {
        if (state.pending.some((t) => t.eventId === id) && !state.canceledTimers.includes(id)) {
          state.canceledTimers.push(id);
          removePending(state, id);
          effects.push({ kind: 'cancelTimer', eventId: id });
        }
      }
      return;
    }
    if (action.actionType === ActionType.ContinueAsNew) {
      continueAsNewInput = { input: decodeActionInput(action.input) };
      state.actionIds.push(null);
      return;
    }
    const eventId = consumesEventId(action) ? state.nextEventId++ : null;
    state.actionIds.push(eventId);
    if (eventId === null) return;
    produced.push(...scheduleAction(state, action, eventId, now, effects));
  });
  return { produced, effects, continueAsNewInput };
}

function scheduleAction(state: InstanceState, action: Action, eventId: number, now: Date, effects: Effect[]) {
  switch (action.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry: {
      const isActivity = action.actionType <= ActionType.CallActivityWithRetry;
      const task: PendingTask = {
        eventId,
        kind: isActivity ? 'activity' : 'subOrchestration',
        name: action.functionName!,
        input: isActivity ? decodeActionInput(action.input) : action.input,
      };
      if (action.retryOptions) {
        task.retryOf = eventId;
        state.retries[eventId] = {
          kind: task.kind as 'activity' | 'subOrchestration',
          name: task.name!,
          input: task.input,
          childInstanceId: action.instanceId,
          policy: action.retryOptions as RetryPolicy,
          failures: 0,
        };
      }
      return scheduleTask(state, task, action.instanceId, now, effects);
    }
    case ActionType.CreateTimer: {
      const task: PendingTask = { eventId, kind: 'timer', fireAt: new Date(action.fireAt!).toISOString() };
      if (!action.isCanceled) {
        state.pending.push(task);
        effects.push({ kind: 'armTimer', task });
      }
      return [historyEvent(EventType.TimerCreated, now, { EventId: eventId, FireAt: task.fireAt })];
    }
    default:
      // Entities and durable HTTP are not used by this app; the id is still consumed to stay in step.
      return [
        historyEvent(EventType.EventSent, now, { EventId: eventId, Name: ActionType[action.actionType] }),
      ];
  }
}

function scheduleTask(
  state: InstanceState,
  task: PendingTask,
  explicitChildId: string | undefined,
  now: Date,
  effects: Effect[],
): HistoryEvent[] {
  state.pending.push(task);
  if (task.kind === 'activity') {
    effects.push({ kind: 'runActivity', task });
    return [
      historyEvent(EventType.TaskScheduled, now, {
        EventId: task.eventId,
        Name: task.name,
        Input: toJsonText(task.input),
      }),
    ];
  }
  task.childInstanceId = explicitChildId ?? `${state.executionId}:${task.eventId}`;
  effects.push({ kind: 'startChild', task, name: task.name!, input: task.input });
  return [
    historyEvent(EventType.SubOrchestrationInstanceCreated, now, {
      EventId: task.eventId,
      Name: task.name,
      InstanceId: task.childInstanceId,
      Input: toJsonText(task.input),
    }),
  ];
}

/** Delay before attempt k+1 (0-based k), as DTFx RetryInterceptor computes it. */
export function retryDelay(policy: RetryPolicy, k: number): number {
  const base = policy.firstRetryIntervalInMilliseconds * (policy.backoffCoefficient ?? 1) ** k;
  return Math.min(base, policy.maxRetryIntervalInMilliseconds ?? 6 * 24 * 3600 * 1000);
}

function removePending(state: InstanceState, eventId: number): void {
  state.pending = state.pending.filter((t) => t.eventId !== eventId);
}

/** The failure the extension reports when a JS orchestrator throws (OrchestrationFailureError). */
export function parseOrchestratorFailure(error: unknown): { error: string; failureDetails?: unknown } {
  const message = error instanceof Error ? error.message : String(error);
  const marker = '$OutOfProcData$:';
  const at = message.indexOf(marker);
  if (at >= 0) {
    try {
      const state = JSON.parse(message.slice(at + marker.length)) as {
        error?: string;
        failureDetails?: unknown;
      };
      return { error: state.error ?? 'unknown error', failureDetails: state.failureDetails };
    } catch {
      // fall through to the raw message
    }
  }
  return { error: message };
}
