import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { leaveIdleConnectionsToClients } from '../idle-connections';
import { handleControl } from './control/routes';
import { handleEntra } from './entra/routes';
import type { SimResponse } from './graph/errors';
import { handleGraphRequest } from './graph/service';
import type { Runtime } from './runtime';

export const GRAPH_PREFIX = '/graph';
export const CONTROL_PREFIX = '/_control';

const MAX_BODY = 20 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new Error('request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: SimResponse): void {
  const payload =
    response.body === undefined
      ? undefined
      : typeof response.body === 'string'
        ? response.body
        : JSON.stringify(response.body);
  const headers: Record<string, string | number> = { ...response.headers };
  if (payload !== undefined) headers['content-length'] = Buffer.byteLength(payload);
  res.writeHead(response.status, headers);
  res.end(payload);
}

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/**
 * Waits until the wall clock reaches `deadline`. A timer may fire a millisecond early against Date.now()
 * (timers run on the monotonic clock), and the configured latency is a floor the request log must show.
 */
async function sleepUntil(deadline: number): Promise<void> {
  for (let left = deadline - Date.now(); left > 0; left = deadline - Date.now()) {
    await new Promise((resolve) => setTimeout(resolve, left));
  }
}

/** One HTTPS server: Entra under `/{tenant}/…`, Graph under `/graph/{v1.0|beta}/…`, the control API under `/_control`. */
export function createMicrosoftServer(
  holder: { runtime?: Runtime },
  tls: { certPem: string; keyPem: string },
): { server: Server; sockets: Set<Socket> } {
  const sockets = new Set<Socket>();
  const server = createServer({ cert: tls.certPem, key: tls.keyPem, keepAlive: true }, (req, res) => {
    const runtime = holder.runtime;
    if (!runtime) {
      send(res, {
        status: 503,
        headers: { 'content-type': 'application/json', 'Retry-After': '1' },
        body: { error: { code: 'ServiceUnavailable', message: 'Starting' } },
      });
      return;
    }
    handle(runtime, req, res).catch((e: unknown) => {
      if (!res.headersSent)
        send(res, {
          status: 500,
          headers: { 'content-type': 'application/json' },
          body: { error: { code: 'InternalServerError', message: (e as Error).message } },
        });
      else res.destroy();
    });
  });
  server.on('secureConnection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  leaveIdleConnectionsToClients(server);
  return { server, sockets };
}

async function handle(runtime: Runtime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const at = Date.now();
  const url = req.url ?? '/';
  const method = (req.method ?? 'GET').toUpperCase();
  const raw = await readBody(req);
  const [pathname = '/', search = ''] = url.split(/\?(.*)/s);
  if (pathname === GRAPH_PREFIX || pathname.startsWith(`${GRAPH_PREFIX}/`)) {
    let body: unknown;
    let bodyError: string | undefined;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (e) {
        bodyError = (e as Error).message;
      }
    }
    const outcome = handleGraphRequest(runtime, {
      method,
      url: url.slice(GRAPH_PREFIX.length),
      headers: headersOf(req),
      body,
      bodyError,
    });
    await sleepUntil(at + outcome.delayMs);
    const status = outcome.reset ? 0 : outcome.response!.status;
    runtime.log.add({ ...outcome.log, at, durationMs: Date.now() - at, status });
    if (outcome.reset) {
      req.socket.destroy();
      return;
    }
    send(res, outcome.response!);
    return;
  }
  if (pathname === CONTROL_PREFIX || pathname.startsWith(`${CONTROL_PREFIX}/`)) {
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      send(res, {
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: { status: 400, title: 'Bad Request', detail: 'Body is not JSON' },
      });
      return;
    }
    send(res, await handleControl(runtime, method, pathname, new URLSearchParams(search), body));
    return;
  }
  const form = new URLSearchParams(raw.toString('utf8'));
  const response = handleEntra(
    {
      directory: runtime.directory,
      signingKey: runtime.signingKey,
      authorityHost: runtime.options.authorityHost,
      graphBaseUrl: runtime.graphBaseUrl,
      apiAppId: runtime.options.apiAppId,
    },
    method,
    pathname,
    new URLSearchParams(search),
    form,
  );
  // Entra requests are logged too (endpoint `POST /{tenant}/oauth2/v2.0/token`, …), so token traffic is countable.
  const [, tenantRef = '', ...rest] = pathname.split('/');
  runtime.log.add({
    at,
    durationMs: Date.now() - at,
    tenant: runtime.directory.resolve(tenantRef)?.name ?? null,
    appId: form.get('client_id'),
    method,
    endpoint: `${method} /{tenant}/${rest.join('/')}`,
    url,
    status: response.status,
    requestId: response.headers['x-ms-request-id'] ?? '',
  });
  send(res, response);
}
