import type { SignalRGroupAction, SignalRMessage } from './types';

export type OutputItem =
  { kind: 'message'; message: SignalRMessage } | { kind: 'groupAction'; groupAction: SignalRGroupAction };

const ACTIONS: ReadonlyArray<SignalRGroupAction['action']> = ['add', 'remove', 'removeAll'];

/** Like the SignalR extension: an item is a message if it has target and arguments, otherwise a group action. */
export function parseOutputItem(item: unknown): OutputItem {
  if (typeof item === 'object' && item !== null) {
    const fields = item as Record<string, unknown>;
    if (typeof fields.target === 'string' && fields.target !== '' && Array.isArray(fields.arguments)) {
      return { kind: 'message', message: parseMessage(fields) };
    }
    const action = ACTIONS.find((name) => name.toLowerCase() === String(fields.action).toLowerCase());
    if (action) return { kind: 'groupAction', groupAction: parseGroupAction(action, fields) };
  }
  throw new Error(
    'A signalR output item must be a message {target, arguments[, connectionId | userId | groupName]} or a group ' +
      `action {action: 'add' | 'remove' | 'removeAll', groupName, userId | connectionId}; got ${describe(item)}`,
  );
}

function parseMessage(fields: Record<string, unknown>): SignalRMessage {
  return {
    target: fields.target as string,
    arguments: fields.arguments as unknown[],
    connectionId: optionalString(fields, 'connectionId'),
    userId: optionalString(fields, 'userId'),
    groupName: optionalString(fields, 'groupName'),
  };
}

function parseGroupAction(
  action: SignalRGroupAction['action'],
  fields: Record<string, unknown>,
): SignalRGroupAction {
  const groupAction: SignalRGroupAction = {
    action,
    groupName: optionalString(fields, 'groupName'),
    connectionId: optionalString(fields, 'connectionId'),
    userId: optionalString(fields, 'userId'),
  };
  if (!groupAction.connectionId && !groupAction.userId) {
    throw new Error(`The signalR group action '${action}' needs a userId or a connectionId.`);
  }
  if (action === 'removeAll' && groupAction.connectionId) {
    throw new Error("The signalR group action 'removeAll' applies to a userId, not to a connectionId.");
  }
  if (action !== 'removeAll' && !groupAction.groupName) {
    throw new Error(`The signalR group action '${action}' needs a groupName.`);
  }
  return groupAction;
}

// A mistyped target field must not silently widen a message into a broadcast, so it throws instead of being ignored.
function optionalString(fields: Record<string, unknown>, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`The signalR output item's ${name} must be a string.`);
  return value;
}

function describe(item: unknown): string {
  try {
    return JSON.stringify(item)?.slice(0, 200) ?? String(item);
  } catch {
    return String(item);
  }
}
