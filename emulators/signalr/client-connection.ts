import { WebSocket, type RawData } from 'ws';
import {
  HANDSHAKE_OK,
  MessageType,
  PING,
  closeMessage,
  completion,
  handshakeError,
  record,
  splitRecords,
} from './protocol';

const HANDSHAKE_TIMEOUT_MS = 15_000;
const CLOSE_GRACE_MS = 1_000;

export interface ConnectionIdentity {
  hub: string;
  connectionId: string;
  userId?: string;
}

export interface ConnectionEvents {
  handshaken(connection: ClientConnection): void;
  closed(connection: ClientConnection): void;
}

/** One client WebSocket speaking the SignalR JSON hub protocol. */
export class ClientConnection {
  /** Groups joined by connectionId; groups joined by userId are kept per user in the registry. */
  readonly groups = new Set<string>();
  readonly closed: Promise<void>;
  private buffered = '';
  private handshaken = false;
  private readonly handshakeTimer: NodeJS.Timeout;
  private terminateTimer?: NodeJS.Timeout;

  constructor(
    readonly identity: ConnectionIdentity,
    private readonly socket: WebSocket,
    private readonly events: ConnectionEvents,
  ) {
    this.handshakeTimer = setTimeout(() => this.close(), HANDSHAKE_TIMEOUT_MS);
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        clearTimeout(this.handshakeTimer);
        clearTimeout(this.terminateTimer);
        events.closed(this);
        resolve();
      });
    });
    socket.on('message', (data) => this.receive(text(data)));
    socket.on('error', () => socket.terminate());
  }

  get connectionId(): string {
    return this.identity.connectionId;
  }

  /** Sends a complete record once the handshake is done; records for a closing socket are dropped. */
  send(message: string): void {
    if (this.handshaken && this.socket.readyState === WebSocket.OPEN) this.socket.send(message);
  }

  /** Sends a SignalR close message (after the handshake) and a WebSocket close frame. */
  close(error?: string): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.handshaken) this.socket.send(closeMessage(error));
    this.socket.close(1000);
    this.terminateTimer = setTimeout(() => this.socket.terminate(), CLOSE_GRACE_MS);
  }

  private receive(data: string): void {
    const { records, rest } = splitRecords(this.buffered + data);
    this.buffered = rest;
    for (const text of records) {
      if (this.socket.readyState !== WebSocket.OPEN) return;
      if (this.handshaken) this.handleMessage(text);
      else this.handleHandshake(text);
    }
  }

  private handleHandshake(text: string): void {
    clearTimeout(this.handshakeTimer);
    const error = handshakeError(text);
    if (error) {
      this.socket.send(record({ error }));
      this.socket.close(1000);
      return;
    }
    this.handshaken = true;
    // Registered before the reply so that anything sent once the client's start() resolves reaches it.
    this.events.handshaken(this);
    this.socket.send(HANDSHAKE_OK);
  }

  private handleMessage(text: string): void {
    let message: { type?: unknown; invocationId?: unknown };
    try {
      message = JSON.parse(text);
    } catch {
      return this.close('Connection closed with an error. The message is not valid JSON.');
    }
    const invocationId = typeof message?.invocationId === 'string' ? message.invocationId : undefined;
    switch (message?.type) {
      case MessageType.Invocation:
        // Azure serverless forwards invocations upstream; without an upstream, an empty result unblocks invoke().
        if (invocationId) this.send(completion(invocationId));
        return;
      case MessageType.StreamInvocation:
        if (invocationId) this.send(completion(invocationId, 'Streaming is not supported here.'));
        return;
      case MessageType.Ping:
        return this.send(PING);
      case MessageType.Close:
        this.socket.close(1000);
        return;
      case undefined:
        return this.close('Connection closed with an error. The message has no type.');
      default:
        // Stream items, cancellations, client results and stateful-reconnect acks need no answer here.
        return;
    }
  }
}

function text(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
