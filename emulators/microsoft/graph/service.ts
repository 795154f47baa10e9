import { randomUUID } from 'node:crypto';
import type { RequestLogEntry } from '../realism/request-log';
import { authenticate } from './auth';
import { runBatch } from './batch';
import { graphError, type RequestIds, type SimResponse } from './errors';
import { faultResponse, handleSingle, parseUrl } from './pipeline';
import type { GraphDeps } from './types';

export interface GraphRequest {
  method: string;
  /** Path and query below the Graph base, e.g. /beta/deviceManagement/deviceConfigurations?$top=5 */
  url: string;
  headers: Record<string, string | undefined>;
  body: unknown;
  /** Set when the body was not valid JSON. */
  bodyError?: string;
}

export interface GraphOutcome {
  response?: SimResponse;
  /** Drop the connection (injected connection reset). */
  reset?: boolean;
  /** Milliseconds to wait before answering (simulated latency). */
  delayMs: number;
  log: Omit<RequestLogEntry, 'seq' | 'at' | 'durationMs' | 'status'>;
}

/** One Graph request through the simulated service: auth, faults, rate limits, permissions, the operation. */
export function handleGraphRequest(deps: GraphDeps, request: GraphRequest): GraphOutcome {
  const ids: RequestIds = {
    requestId: randomUUID(),
    clientRequestId: request.headers['client-request-id'] ?? randomUUID(),
  };
  const retryAttempt = Number(request.headers['retry-attempt'] ?? '') || undefined;
  const baseLog = {
    tenant: null as string | null,
    appId: null as string | null,
    method: request.method,
    endpoint: `${request.method} ${request.url.split('?')[0]}`,
    url: request.url,
    retryAttempt,
    clientRequestId: request.headers['client-request-id'],
    requestId: ids.requestId,
  };
  const done = (
    response: SimResponse,
    extra: Partial<GraphOutcome['log']> = {},
    delayMs = 0,
  ): GraphOutcome => ({
    response: withIdHeaders(response, ids),
    delayMs,
    log: { ...baseLog, ...extra },
  });
  const parsed = parseUrl(request.url);
  if (!parsed)
    return done(graphError(400, 'BadRequest', `Invalid version: ${request.url.split('/')[1] ?? ''}`, ids));
  const principal = authenticate(deps, request.headers.authorization, ids);
  if ('status' in principal) return done(principal);
  const realism = principal.tenant.realism;
  const delayMs =
    realism.latency.fixedMs +
    (realism.latency.jitterMs > 0 ? principal.tenant.jitter.next() * realism.latency.jitterMs : 0);
  const who = { tenant: principal.tenant.name, appId: principal.app.clientId };

  if (parsed.path === '/$batch') {
    const fault = principal.tenant.faults.draw(realism.faults, true);
    const endpoint = `POST /${parsed.version}/$batch`;
    if (fault === 'reset') return { reset: true, delayMs, log: { ...baseLog, ...who, endpoint, fault } };
    if (fault)
      return done(
        faultResponse(fault, realism.faults.retryAfterSeconds, ids),
        { ...who, endpoint, fault },
        delayMs,
      );
    if (request.method !== 'POST')
      return done(
        graphError(405, 'BadRequest', 'Only POST is supported on $batch.', ids),
        { ...who, endpoint },
        delayMs,
      );
    return done(runBatch(deps, principal, parsed.version, request, ids), { ...who, endpoint }, delayMs);
  }

  const single = handleSingle(
    deps,
    principal,
    request.method,
    parsed,
    request.headers,
    request.body,
    request.bodyError,
    ids,
    request.url,
    true,
  );
  if (single.reset)
    return {
      reset: true,
      delayMs,
      log: single.responseLost
        ? { ...baseLog, ...who, endpoint: single.endpoint, responseLost: true }
        : { ...baseLog, ...who, endpoint: single.endpoint, fault: 'reset' },
    };
  return done(
    single.response!,
    {
      ...who,
      endpoint: single.endpoint,
      fault: single.fault,
      responseLost: single.responseLost,
      throttled: single.throttled,
      retryAfterSeconds: single.retryAfter,
    },
    delayMs,
  );
}

function withIdHeaders(response: SimResponse, ids: RequestIds): SimResponse {
  return {
    ...response,
    headers: {
      ...response.headers,
      'request-id': ids.requestId,
      'client-request-id': ids.clientRequestId,
      'x-ms-ags-diagnostic':
        '{"ServerInfo":{"DataCenter":"Local","Slice":"E","Ring":"5","ScaleUnit":"000","RoleInstance":"SIM"}}',
    },
  };
}
