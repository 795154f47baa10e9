/** Action types of the out-of-proc orchestrator protocol (durable-functions ActionType). */
export enum ActionType {
  CallActivity = 0,
  CallActivityWithRetry = 1,
  CallSubOrchestrator = 2,
  CallSubOrchestratorWithRetry = 3,
  ContinueAsNew = 4,
  CreateTimer = 5,
  WaitForExternalEvent = 6,
  CallEntity = 7,
  CallHttp = 8,
  SignalEntity = 9,
  WhenAny = 11,
  WhenAll = 12,
}

export interface Action {
  actionType: ActionType;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  retryOptions?: {
    firstRetryIntervalInMilliseconds: number;
    maxNumberOfAttempts: number;
    backoffCoefficient?: number;
    maxRetryIntervalInMilliseconds?: number;
  };
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  compoundActions?: Action[];
}

/**
 * Leaf actions in the order the JS replay assigns their sequence numbers: depth-first through
 * WhenAll / WhenAny, in yield order.
 */
export function flattenActions(actions: unknown): Action[] {
  const groups = Array.isArray(actions) ? (actions as unknown[]) : [];
  const leaves: Action[] = [];
  const visit = (action: Action) => {
    if (action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny) {
      for (const child of action.compoundActions ?? []) visit(child);
    } else {
      leaves.push(action);
    }
  };
  for (const group of groups)
    for (const action of Array.isArray(group) ? group : [group]) visit(action as Action);
  return leaves;
}

/** External-event waits are matched by name and consume no event id. */
export function consumesEventId(action: Action): boolean {
  return (
    action.actionType !== ActionType.WaitForExternalEvent && action.actionType !== ActionType.ContinueAsNew
  );
}

/** Activity and continue-as-new inputs arrive JSON-encoded when they were strings (Utils.processInput). */
export function decodeActionInput(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}
