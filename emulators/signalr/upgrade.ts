import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ConnectionIdentity } from './client-connection';
import { type ClientGate, randomId, requestToken, requestedHub } from './client-gate';
import { InvalidAccessTokenError } from './token';

export type UpgradeDecision = { identity: ConnectionIdentity } | { status: number; error: string };

/** Accepts `/client/?hub=<hub>&id=<connectionToken>` with a valid token; without `id`, negotiation was skipped. */
export function decideUpgrade(gate: ClientGate, request: IncomingMessage): UpgradeDecision {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname !== '/client/' && url.pathname !== '/client') {
    return { status: 404, error: `No WebSocket endpoint at ${url.pathname}.` };
  }
  const hub = requestedHub(url);
  if (!hub) return { status: 400, error: "The WebSocket URL needs the 'hub' query parameter." };
  let userId: string | undefined;
  try {
    ({ userId } = gate.authorize(hub, requestToken(request, url)));
  } catch (error) {
    if (error instanceof InvalidAccessTokenError) return { status: 401, error: error.message };
    throw error;
  }
  const connectionToken = url.searchParams.get('id');
  if (connectionToken === null) {
    const connectionId = randomId();
    return { identity: userId === undefined ? { hub, connectionId } : { hub, connectionId, userId } };
  }
  const identity = gate.redeem(connectionToken, hub);
  if (!identity) return { status: 404, error: 'Unknown or already used connection token; negotiate again.' };
  return { identity };
}

export function refuseUpgrade(socket: Duplex, status: number, error: string): void {
  const body = JSON.stringify({ error });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
