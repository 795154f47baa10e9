import { HttpRequest, HttpResponse, type HttpResponseInit } from '@azure/functions';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { leaveIdleConnectionsToClients } from '../idle-connections';
import { compileRoute, pathSegments, type CompiledRoute } from './route-template';
import { triggerOf, type RegisteredFunction } from './registry';

export interface HttpFunctionRoute {
  fn: RegisteredFunction;
  route: CompiledRoute;
  methods: Set<string> | undefined;
  authLevel: 'anonymous' | 'function' | 'admin';
}

export interface HostKeys {
  master: string;
  function: string;
  /** The `durabletask_extension` system key: what Azure requires on the Durable webhooks. */
  durableExtension: string;
}

/** A handler for paths outside the app's routes (admin API, Durable API, local-only endpoints). */
export type ExtraHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
) => Promise<boolean>;

export function httpRoutes(functions: RegisteredFunction[]): HttpFunctionRoute[] {
  return functions
    .filter((fn) => triggerOf(fn).type === 'httpTrigger')
    .map((fn) => {
      const trigger = triggerOf(fn);
      const methods = Array.isArray(trigger.methods)
        ? (trigger.methods as string[]).map((m) => m.toUpperCase())
        : undefined;
      return {
        fn,
        route: compileRoute(String(trigger.route ?? fn.name)),
        methods: methods && methods.length > 0 ? new Set(methods) : undefined,
        authLevel:
          (String(trigger.authLevel ?? 'function').toLowerCase() as HttpFunctionRoute['authLevel']) ??
          'function',
      };
    })
    .sort((a, b) => b.route.precedence - a.route.precedence);
}

export function keyOf(req: IncomingMessage, url: URL): string | undefined {
  return url.searchParams.get('code') ?? (req.headers['x-functions-key'] as string | undefined);
}

export function authorized(
  level: HttpFunctionRoute['authLevel'],
  key: string | undefined,
  keys: HostKeys,
): boolean {
  if (level === 'anonymous') return true;
  if (level === 'admin') return key === keys.master;
  return key === keys.master || key === keys.function;
}

export interface HttpServerOptions {
  routePrefix: string;
  routes: () => HttpFunctionRoute[];
  keys: HostKeys;
  /** Allowed CORS origins; '*' reflects any origin (credentials allowed, as SignalR clients need). */
  corsOrigins: string[];
  invokeHttp: (
    route: HttpFunctionRoute,
    request: HttpRequest,
    params: Record<string, string>,
  ) => Promise<unknown>;
  extraHandlers: ExtraHandler[];
  log: (message: string) => void;
}

/** The host's HTTP front door on :7071: app routes under /api, then admin / Durable / local endpoints. */
export function createHostHttpServer(options: HttpServerOptions): Server {
  const server = createServer((req, res) => {
    void handle(req, res, options).catch((error: unknown) => {
      options.log(
        `HTTP ${req.method} ${req.url} failed: ${error instanceof Error ? error.stack : String(error)}`,
      );
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  leaveIdleConnectionsToClients(server);
  return server;
}

async function handle(req: IncomingMessage, res: ServerResponse, options: HttpServerOptions): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  const body = await readBody(req);
  if (applyCors(req, res, options.corsOrigins)) return;
  const prefix = `/${options.routePrefix}`.replace(/\/+$/, '');
  if (prefix === '' || url.pathname === prefix || url.pathname.startsWith(`${prefix}/`)) {
    const path = pathSegments(url.pathname.slice(prefix.length));
    const method = (req.method ?? 'GET').toUpperCase();
    for (const route of options.routes()) {
      const params = route.route.matchSegments(path);
      if (!params || (route.methods && !route.methods.has(method))) continue;
      if (!authorized(route.authLevel, keyOf(req, url), options.keys)) {
        res.writeHead(401).end();
        return;
      }
      const request = new HttpRequest({
        method,
        url: url.toString(),
        headers: flattenHeaders(req),
        params,
        ...(method !== 'GET' && method !== 'HEAD' && body.length > 0 && { body: { bytes: body } }),
      });
      await writeResponse(res, await options.invokeHttp(route, request, params));
      return;
    }
    if (prefix !== '') {
      res.writeHead(404).end();
      return;
    }
  }
  for (const handler of options.extraHandlers) if (await handler(req, res, url, body)) return;
  res.writeHead(404).end();
}

async function writeResponse(res: ServerResponse, value: unknown): Promise<void> {
  if (value === undefined || value === null) {
    res.writeHead(204).end();
    return;
  }
  const response = value instanceof HttpResponse ? value : new HttpResponse(value as HttpResponseInit);
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  const cookies = response.cookies.map(
    (c) =>
      `${c.name}=${c.value}` +
      (c.path ? `; Path=${c.path}` : '') +
      (c.domain ? `; Domain=${c.domain}` : '') +
      (c.maxAge !== undefined ? `; Max-Age=${c.maxAge}` : '') +
      (c.secure ? '; Secure' : '') +
      (c.httpOnly ? '; HttpOnly' : '') +
      (c.sameSite ? `; SameSite=${c.sameSite}` : ''),
  );
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  const payload = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, headers);
  res.end(payload);
}

function applyCors(req: IncomingMessage, res: ServerResponse, allowed: string[]): boolean {
  const origin = req.headers.origin;
  if (!origin || !(allowed.includes('*') || allowed.includes(origin))) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Vary', 'Origin');
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
    res.writeHead(204, {
      'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': String(req.headers['access-control-request-headers'] ?? '*'),
      'Access-Control-Max-Age': '600',
    });
    res.end();
    return true;
  }
  return false;
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
