/** The SignalR JSON hub protocol: JSON records, each terminated by the ASCII record separator. */
export const RECORD_SEPARATOR = '\x1e';

export const MessageType = {
  Invocation: 1,
  StreamItem: 2,
  Completion: 3,
  StreamInvocation: 4,
  CancelInvocation: 5,
  Ping: 6,
  Close: 7,
} as const;

export function record(message: object): string {
  return JSON.stringify(message) + RECORD_SEPARATOR;
}

export const HANDSHAKE_OK = record({});
export const PING = record({ type: MessageType.Ping });

/** Splits buffered text into complete records; `rest` waits for the next frame. */
export function splitRecords(buffered: string): { records: string[]; rest: string } {
  const parts = buffered.split(RECORD_SEPARATOR);
  const rest = parts.pop() ?? '';
  return { records: parts.filter((part) => part !== ''), rest };
}

/** Returns the error to send back for a handshake this server cannot accept, or undefined when it is fine. */
export function handshakeError(text: string): string | undefined {
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch {
    return 'The handshake request is not valid JSON.';
  }
  if (typeof request !== 'object' || request === null) return 'The handshake request is not a JSON object.';
  const { protocol, version } = request as { protocol?: unknown; version?: unknown };
  if (protocol !== 'json') return `Requested protocol '${String(protocol)}' is not available.`;
  if (version !== 1) return `The server does not support version ${String(version)} of the 'json' protocol.`;
  return undefined;
}

export function invocation(target: string, args: unknown[]): string {
  return record({ type: MessageType.Invocation, target, arguments: args });
}

export function completion(invocationId: string, error?: string): string {
  return record(
    error === undefined
      ? { type: MessageType.Completion, invocationId, result: null }
      : { type: MessageType.Completion, invocationId, error },
  );
}

export function closeMessage(error?: string): string {
  return record(error === undefined ? { type: MessageType.Close } : { type: MessageType.Close, error });
}
