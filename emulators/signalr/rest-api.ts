import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConnectionRegistry } from './registry';
import { createAccessToken, InvalidAccessTokenError, verifyAccessToken } from './token';
import type { SignalRMessage } from './types';

/** What the data-plane REST API needs from the hub. */
export interface RestApiContext {
  accessKey: string;
  /** `http://localhost:PORT`, known once the server listens. */
  baseUrl(): string;
  clientUrl(hub: string): string;
  registry: ConnectionRegistry;
}

const DEFAULT_TOKEN_MINUTES = 60;
const HUB = '([A-Za-z][A-Za-z0-9_`,.\\[\\]]{0,127})';
const SEGMENT = '([^/]+)';

type Route = {
  method: string;
  pattern: RegExp;
  handle: (context: RestApiContext, args: RouteArgs) => void;
};
interface RouteArgs {
  hub: string;
  params: string[];
  url: URL;
  body: string;
  response: ServerResponse;
}

/**
 * The Azure SignalR Service data-plane REST API (2022-11-01 paths) that the app calls from its own code:
 * `:generateToken` for user-bound client tokens, user/connection group membership (with `ttl`) and sends.
 * Requests carry a Bearer JWT signed with the AccessKey whose `aud` is the request URL without query, as
 * Azure requires; Microsoft Entra tokens are an Azure-only alternative and not accepted here.
 */
const ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: route(`/api/hubs/${HUB}/:generateToken`),
    handle: (context, { hub, url, response }) => {
      const userId = url.searchParams.get('userId') ?? undefined;
      const minutes = Number(url.searchParams.get('minutesToExpire') ?? DEFAULT_TOKEN_MINUTES);
      if (!Number.isInteger(minutes) || minutes < 1)
        return sendError(response, 400, 'InvalidArgument', 'minutesToExpire must be a positive integer.');
      const token = createAccessToken({
        audience: context.clientUrl(hub),
        accessKey: context.accessKey,
        userId,
        ttlSeconds: minutes * 60,
      });
      sendJson(response, 200, { token });
    },
  },
  {
    method: 'POST',
    pattern: route(`/api/hubs/${HUB}/:send`),
    handle: (context, args) => send(context, args, {}),
  },
  {
    method: 'POST',
    pattern: route(`/api/hubs/${HUB}/users/${SEGMENT}/:send`),
    handle: (context, args) => send(context, args, { userId: args.params[0] }),
  },
  {
    method: 'POST',
    pattern: route(`/api/hubs/${HUB}/groups/${SEGMENT}/:send`),
    handle: (context, args) => send(context, args, { groupName: args.params[0] }),
  },
  {
    method: 'POST',
    pattern: route(`/api/hubs/${HUB}/connections/${SEGMENT}/:send`),
    handle: (context, args) => send(context, args, { connectionId: args.params[0] }),
  },
  {
    method: 'PUT',
    pattern: route(`/api/hubs/${HUB}/users/${SEGMENT}/groups/${SEGMENT}`),
    handle: (context, { hub, params: [user, group], url, response }) => {
      const ttlText = url.searchParams.get('ttl');
      const ttl = ttlText === null ? undefined : Number(ttlText);
      if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 0))
        return sendError(response, 400, 'InvalidArgument', 'ttl must be a non-negative integer (seconds).');
      context.registry.addUserToGroup(hub, user!, group!, ttl);
      sendJson(response, 200, {});
    },
  },
  {
    method: 'DELETE',
    pattern: route(`/api/hubs/${HUB}/users/${SEGMENT}/groups/${SEGMENT}`),
    handle: (context, { hub, params: [user, group], response }) => {
      context.registry.applyGroupAction(hub, { action: 'remove', userId: user!, groupName: group! });
      response.writeHead(204).end();
    },
  },
  {
    method: 'HEAD',
    pattern: route(`/api/hubs/${HUB}/users/${SEGMENT}/groups/${SEGMENT}`),
    handle: (context, { hub, params: [user, group], response }) => {
      response.writeHead(context.registry.isUserInGroup(hub, user!, group!) ? 200 : 404).end();
    },
  },
  {
    method: 'DELETE',
    pattern: route(`/api/hubs/${HUB}/users/${SEGMENT}/groups`),
    handle: (context, { hub, params: [user], response }) => {
      context.registry.applyGroupAction(hub, { action: 'removeAll', userId: user! });
      response.writeHead(204).end();
    },
  },
  {
    method: 'PUT',
    pattern: route(`/api/hubs/${HUB}/groups/${SEGMENT}/connections/${SEGMENT}`),
    handle: (context, { hub, params: [group, connectionId], response }) => {
      if (!context.registry.addConnectionToGroup(hub, connectionId!, group!))
        return sendError(response, 404, 'NotExisted', `Connection ${connectionId} does not exist.`);
      sendJson(response, 200, {});
    },
  },
  {
    method: 'DELETE',
    pattern: route(`/api/hubs/${HUB}/groups/${SEGMENT}/connections/${SEGMENT}`),
    handle: (context, { hub, params: [group, connectionId], response }) => {
      context.registry.applyGroupAction(hub, {
        action: 'remove',
        connectionId: connectionId!,
        groupName: group!,
      });
      sendJson(response, 200, {});
    },
  },
  {
    method: 'HEAD',
    pattern: route(`/api/hubs/${HUB}/connections/${SEGMENT}`),
    handle: (context, { hub, params: [connectionId], response }) => {
      const exists = context.registry.list(hub).some((c) => c.connectionId === connectionId);
      response.writeHead(exists ? 200 : 404).end();
    },
  },
  {
    method: 'HEAD',
    pattern: route(`/api/hubs/${HUB}/users/${SEGMENT}`),
    handle: (context, { hub, params: [user], response }) => {
      const exists = context.registry.list(hub).some((c) => c.userId === user);
      response.writeHead(exists ? 200 : 404).end();
    },
  },
];

/** Answers `/api/...` requests; false when the path is not part of the REST API. */
export async function handleRestRequest(
  context: RestApiContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<boolean> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (!url.pathname.startsWith('/api/')) return false;
  const body = await readBody(request);
  if (url.pathname === '/api/health' && request.method === 'HEAD') {
    response.writeHead(200).end();
    return true;
  }
  const matches = ROUTES.map((r) => ({ r, m: r.pattern.exec(url.pathname) })).filter((x) => x.m);
  const found = matches.find((x) => x.r.method === request.method);
  if (!found) {
    sendError(
      response,
      matches.length > 0 ? 405 : 404,
      'NotFound',
      `No route for ${request.method} ${url.pathname}.`,
    );
    return true;
  }
  if (!url.searchParams.get('api-version')) {
    sendError(response, 400, 'InvalidArgument', "The 'api-version' query parameter is required.");
    return true;
  }
  try {
    authenticate(context, request, url);
  } catch (error) {
    if (!(error instanceof InvalidAccessTokenError)) throw error;
    response.setHeader('WWW-Authenticate', 'Bearer');
    sendError(response, 401, 'Unauthorized', error.message);
    return true;
  }
  const [hubName, ...params] = found.m!.slice(1).map((part) => decodeURIComponent(part));
  found.r.handle(context, { hub: hubName!.toLowerCase(), params, url, body, response });
  return true;
}

function authenticate(context: RestApiContext, request: IncomingMessage, url: URL): void {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  if (!token) throw new InvalidAccessTokenError('Missing Authorization: Bearer <token>.');
  // Azure: `aud` is the request URL, trailing slash and query not included.
  verifyAccessToken(token, context.accessKey, `${context.baseUrl()}${url.pathname.replace(/\/+$/, '')}`);
}

function send(
  context: RestApiContext,
  { hub, body, response }: RouteArgs,
  target: Pick<SignalRMessage, 'userId' | 'groupName' | 'connectionId'>,
): void {
  let payload: { target?: unknown; arguments?: unknown };
  try {
    payload = JSON.parse(body) as typeof payload;
  } catch {
    return sendError(response, 400, 'InvalidArgument', 'The body must be JSON {target, arguments}.');
  }
  if (typeof payload.target !== 'string' || payload.target === '')
    return sendError(response, 400, 'InvalidArgument', "The payload needs a 'target'.");
  const args = Array.isArray(payload.arguments) ? (payload.arguments as unknown[]) : [];
  context.registry.send(hub, { target: payload.target, arguments: args, ...target });
  sendJson(response, 202, {});
}

function route(path: string): RegExp {
  return new RegExp(`^${path}/?$`);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  sendJson(response, status, { code, message });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}
