import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type ClientGate, requestToken, requestedHub } from './client-gate';
import { handleRestRequest, type RestApiContext } from './rest-api';
import { InvalidAccessTokenError } from './token';

const CORS_ALLOWED_HEADERS = ['Authorization', 'X-Requested-With', 'X-SignalR-User-Agent', 'Content-Type'];
const AVAILABLE_TRANSPORTS = [{ transport: 'WebSockets', transferFormats: ['Text', 'Binary'] }];

/**
 * Serves `POST /client/negotiate` (and CORS for it) and the data-plane REST API under `/api/`; every
 * other plain HTTP request is a 404.
 */
export function createRequestHandler(gate: ClientGate, rest: RestApiContext): RequestListener {
  return (request, response) => {
    if (request.url?.startsWith('/api/')) {
      handleRestRequest(rest, request, response).catch((error: unknown) => {
        if (!response.headersSent)
          sendJson(response, 500, { error: error instanceof Error ? error.message : String(error) });
        else response.end();
      });
      return;
    }
    request.resume(); // negotiate bodies are empty; drain whatever arrives
    allowOrigin(request, response);
    const url = new URL(request.url ?? '/', 'http://localhost');
    try {
      if (request.method === 'OPTIONS') return answerPreflight(request, response);
      if (url.pathname === '/client/negotiate' || url.pathname === '/client/negotiate/') {
        if (request.method !== 'POST') return sendJson(response, 405, { error: 'Negotiate expects POST.' });
        return negotiate(gate, request, url, response);
      }
      sendJson(response, 404, { error: `No route for ${request.method} ${url.pathname}.` });
    } catch (error) {
      sendJson(response, 500, { error: error instanceof Error ? error.message : String(error) });
    }
  };
}

function negotiate(gate: ClientGate, request: IncomingMessage, url: URL, response: ServerResponse): void {
  const hub = requestedHub(url);
  if (!hub) return sendJson(response, 400, { error: "Negotiate needs the 'hub' query parameter." });
  let userId: string | undefined;
  try {
    ({ userId } = gate.authorize(hub, requestToken(request, url)));
  } catch (error) {
    if (!(error instanceof InvalidAccessTokenError)) throw error;
    response.setHeader('WWW-Authenticate', 'Bearer');
    return sendJson(response, 401, { error: error.message });
  }
  const negotiateVersion = Number(url.searchParams.get('negotiateVersion')) >= 1 ? 1 : 0;
  const { connectionId, connectionToken } = gate.reserve(hub, userId, negotiateVersion);
  sendJson(
    response,
    200,
    negotiateVersion === 1
      ? { negotiateVersion, connectionId, connectionToken, availableTransports: AVAILABLE_TRANSPORTS }
      : { negotiateVersion, connectionId, availableTransports: AVAILABLE_TRANSPORTS },
  );
}

// Browser clients send credentials by default, so a wildcard origin would be rejected: reflect the exact one.
function allowOrigin(request: IncomingMessage, response: ServerResponse): void {
  const origin = request.headers.origin;
  if (!origin) return;
  response.setHeader('Access-Control-Allow-Origin', origin);
  response.setHeader('Access-Control-Allow-Credentials', 'true');
  response.setHeader('Vary', 'Origin');
}

function answerPreflight(request: IncomingMessage, response: ServerResponse): void {
  const requested = (request.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const allowed = new Map([...CORS_ALLOWED_HEADERS, ...requested].map((name) => [name.toLowerCase(), name]));
  response.writeHead(204, {
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': [...allowed.values()].join(', '),
    'Access-Control-Max-Age': '600',
  });
  response.end();
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}
