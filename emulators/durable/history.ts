/** History event types as the Durable extension sends them to the JS replay (numbers, not names). */
export enum EventType {
  ExecutionStarted = 0,
  ExecutionCompleted = 1,
  ExecutionTerminated = 3,
  TaskScheduled = 4,
  TaskCompleted = 5,
  TaskFailed = 6,
  SubOrchestrationInstanceCreated = 7,
  SubOrchestrationInstanceCompleted = 8,
  SubOrchestrationInstanceFailed = 9,
  TimerCreated = 10,
  TimerFired = 11,
  OrchestratorStarted = 12,
  OrchestratorCompleted = 13,
  EventSent = 14,
  EventRaised = 15,
  ContinueAsNew = 16,
  ExecutionSuspended = 19,
  ExecutionResumed = 20,
}

export interface HistoryEvent {
  EventType: EventType;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  [field: string]: unknown;
}

export function historyEvent(
  type: EventType,
  timestamp: Date,
  fields: Record<string, unknown> = {},
): HistoryEvent {
  return { EventType: type, EventId: -1, IsPlayed: false, Timestamp: timestamp.toISOString(), ...fields };
}

/** Results and inputs travel as JSON text in history; `undefined` becomes null, as the extension does. */
export function toJsonText(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

export function parseJsonText(text: unknown): unknown {
  if (typeof text !== 'string') return text ?? null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The operator view of history (`showHistory=true`), transformed as the extension's
 * GetDurableOrchestrationStatusAsync does: names instead of numbers, orchestrator episodes removed,
 * scheduled events folded into their completions.
 */
export function toOperatorHistory(
  history: HistoryEvent[],
  options: { showHistoryOutput: boolean; showInput: boolean },
): Array<Record<string, unknown>> {
  const scheduled = new Map<number, HistoryEvent>();
  const completedIds = new Set<number>();
  for (const event of history) {
    if (
      event.EventType === EventType.TaskScheduled ||
      event.EventType === EventType.SubOrchestrationInstanceCreated
    ) {
      scheduled.set(event.EventId, event);
    }
    if (isCompletion(event.EventType)) completedIds.add(event.TaskScheduledId as number);
  }
  const result: Array<Record<string, unknown>> = [];
  for (const event of history) {
    if (
      event.EventType === EventType.OrchestratorStarted ||
      event.EventType === EventType.OrchestratorCompleted
    )
      continue;
    if (
      (event.EventType === EventType.TaskScheduled ||
        event.EventType === EventType.SubOrchestrationInstanceCreated) &&
      completedIds.has(event.EventId)
    ) {
      continue;
    }
    const {
      EventType: type,
      EventId: _id,
      IsPlayed: _played,
      TaskScheduledId,
      TimerId: _timer,
      Name,
      ...rest
    } = event;
    const out: Record<string, unknown> = { EventType: EventType[type], ...rest };
    if (type === EventType.ExecutionStarted) out.FunctionName = Name;
    else if (Name !== undefined) out.Name = Name;
    if (isCompletion(type)) {
      const origin = scheduled.get(TaskScheduledId as number);
      if (origin) {
        out.ScheduledTime = origin.Timestamp;
        out.FunctionName = origin.Name;
        out.Input = origin.Input ?? null;
      }
    }
    if ('Result' in out) {
      if (options.showHistoryOutput) out.Result = parseJsonText(out.Result);
      else delete out.Result;
    }
    if (!options.showInput) delete out.Input;
    result.push(out);
  }
  return result;
}

function isCompletion(type: EventType): boolean {
  return (
    type === EventType.TaskCompleted ||
    type === EventType.TaskFailed ||
    type === EventType.SubOrchestrationInstanceCompleted ||
    type === EventType.SubOrchestrationInstanceFailed
  );
}
