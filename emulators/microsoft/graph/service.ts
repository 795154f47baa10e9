import { randomUUID } from 'node:crypto';
import { requiredPermissions } from '../entra/permissions';
import type { Fault } from '../realism/faults';
import type { RequestLogEntry } from '../realism/request-log';
import type { ApiVersion } from '../reference/load';
import { authenticate, effectivePermissions } from './auth';
import { graphError, serviceErrors, type RequestIds, type SimResponse } from './errors';
import { handleTarget } from './handlers';
import { resolve } from './resolve';
import type { GraphCall, GraphDeps, Principal } from './types';

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

const VERSIONS: ApiVersion[] = ['v1.0', 'beta'];
const MAX_BATCH = 20;

interface Parsed {
  version: ApiVersion;
  path: string;
  query: URLSearchParams;
}

function parseUrl(url: string): Parsed | undefined {
  const q = url.indexOf('?');
  const pathPart = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const [, version, ...rest] = pathPart.split('/');
  if (!VERSIONS.includes(version as ApiVersion)) return undefined;
  return { version: version as ApiVersion, path: '/' + rest.join('/'), query };
}

function faultResponse(fault: Exclude<Fault, 'reset'>, retryAfter: number, ids: RequestIds): SimResponse {
  if (fault === '429')
    return graphError(429, 'TooManyRequests', 'Too many requests.', ids, {
      'Retry-After': String(retryAfter),
    });
  if (fault === '503')
    return graphError(503, 'ServiceUnavailable', 'Service Unavailable', ids, {
      'Retry-After': String(retryAfter),
    });
  return graphError(504, 'GatewayTimeout', 'Gateway Timeout', ids);
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
    return { reset: true, delayMs, log: { ...baseLog, ...who, endpoint: single.endpoint, fault: 'reset' } };
  return done(
    single.response!,
    {
      ...who,
      endpoint: single.endpoint,
      fault: single.fault,
      throttled: single.throttled,
      retryAfterSeconds: single.retryAfter,
    },
    delayMs,
  );
}

interface SingleResult {
  response?: SimResponse;
  reset?: boolean;
  endpoint: string;
  fault?: Fault;
  throttled?: boolean;
  retryAfter?: number;
}

function handleSingle(
  deps: GraphDeps,
  principal: Principal,
  method: string,
  parsed: Parsed,
  headers: Record<string, string | undefined>,
  body: unknown,
  bodyError: string | undefined,
  ids: RequestIds,
  url: string,
  allowReset: boolean,
): SingleResult {
  const tenant = principal.tenant;
  const resolution = resolve(deps, tenant, parsed.version, parsed.path);
  const endpoint = `${method} /${parsed.version}${resolution.template ?? parsed.path}`;
  const fault = tenant.faults.draw(tenant.realism.faults, allowReset);
  if (fault === 'reset') return { reset: true, endpoint, fault };
  if (fault)
    return { response: faultResponse(fault, tenant.realism.faults.retryAfterSeconds, ids), endpoint, fault };
  const write = method !== 'GET';
  const service = resolution.ok ? resolution.target.def.service : 'intune';
  const retryAfter = deps.limiter.take(
    tenant.realism.rateLimit,
    tenant.entra.tenantId,
    principal.app.clientId,
    write,
  );
  if (retryAfter > 0)
    return {
      response: serviceErrors.throttled(service, retryAfter, ids, url),
      endpoint,
      throttled: true,
      retryAfter,
    };
  if (!resolution.ok) {
    if (resolution.status === 404)
      return {
        response: serviceErrors.notFound(service, resolution.id ?? resolution.segment, ids, url),
        endpoint,
      };
    return {
      response: graphError(
        400,
        'BadRequest',
        `Resource not found for the segment '${resolution.segment}'.`,
        ids,
      ),
      endpoint,
    };
  }
  const def = resolution.target.def;
  const required = requiredPermissions(def.family, write);
  const granted = effectivePermissions(principal);
  if (!required.some((p) => granted.has(p)))
    return { response: serviceErrors.forbidden(def.service, required, ids, url), endpoint };
  if (bodyError)
    return {
      response: graphError(400, 'BadRequest', `Unable to read JSON request payload. ${bodyError}`, ids),
      endpoint,
    };
  const call: GraphCall = {
    method,
    version: parsed.version,
    path: parsed.path,
    query: parsed.query,
    headers,
    body,
    ids,
    principal,
    url,
  };
  return { response: handleTarget(deps, call, resolution.target), endpoint };
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

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

/** JSON batching: up to 20 requests, `dependsOn` ordering (424 when a dependency failed), per-request status. */
function runBatch(
  deps: GraphDeps,
  principal: Principal,
  version: ApiVersion,
  request: GraphRequest,
  ids: RequestIds,
): SimResponse {
  const body = request.body as { requests?: BatchItem[] } | undefined;
  const requests = body?.requests;
  if (request.bodyError || !Array.isArray(requests))
    return graphError(400, 'BadRequest', 'Invalid batch payload format.', ids);
  if (requests.length > MAX_BATCH)
    return graphError(
      400,
      'BadRequest',
      `The number of requests in a batch exceeds the limit of ${MAX_BATCH}.`,
      ids,
    );
  const seen = new Set<string>();
  for (const r of requests) {
    if (typeof r?.id !== 'string' || typeof r.method !== 'string' || typeof r.url !== 'string') {
      return graphError(400, 'BadRequest', 'Each batch request must have id, method and url.', ids);
    }
    if (seen.has(r.id))
      return graphError(400, 'BadRequest', `Batch request ids must be unique; '${r.id}' is repeated.`, ids);
    seen.add(r.id);
    for (const d of r.dependsOn ?? []) {
      if (!requests.some((o) => o.id === d))
        return graphError(400, 'BadRequest', `Request '${r.id}' depends on unknown request '${d}'.`, ids);
    }
  }
  const status = new Map<string, number>();
  const responses: Array<Record<string, unknown>> = [];
  const pending = [...requests];
  while (pending.length > 0) {
    const index = pending.findIndex((r) => (r.dependsOn ?? []).every((d) => status.has(d)));
    if (index < 0) return graphError(400, 'BadRequest', 'The dependsOn graph of the batch has a cycle.', ids);
    const item = pending.splice(index, 1)[0]!;
    const innerIds: RequestIds = { requestId: randomUUID(), clientRequestId: ids.clientRequestId };
    const failedDependency = (item.dependsOn ?? []).some((d) => (status.get(d) ?? 500) >= 400);
    let result: SimResponse;
    let endpoint = `${item.method} /${version}/${item.url.replace(/^\//, '').split('?')[0]}`;
    let extra: Partial<RequestLogEntry> = {};
    if (failedDependency) {
      result = graphError(424, 'FailedDependency', 'Failed dependency', innerIds);
    } else {
      const inner = parseUrl(`/${version}/${item.url.replace(/^\/?(v1\.0\/|beta\/)?/, '')}`)!;
      if (inner.path === '/$batch') {
        result = graphError(400, 'BadRequest', 'Nested batch requests are not supported.', innerIds);
      } else {
        const headers = Object.fromEntries(
          Object.entries(item.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
        );
        const single = handleSingle(
          deps,
          principal,
          item.method.toUpperCase(),
          inner,
          headers,
          item.body,
          undefined,
          innerIds,
          item.url,
          false,
        );
        result = single.response!;
        endpoint = single.endpoint;
        extra = { fault: single.fault, throttled: single.throttled, retryAfterSeconds: single.retryAfter };
      }
    }
    status.set(item.id, result.status);
    deps.log.add({
      at: Date.now(),
      durationMs: 0,
      tenant: principal.tenant.name,
      appId: principal.app.clientId,
      method: item.method.toUpperCase(),
      endpoint,
      url: item.url,
      status: result.status,
      requestId: innerIds.requestId,
      clientRequestId: ids.clientRequestId,
      batchRequestId: ids.requestId,
      ...extra,
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(result.headers))
      if (/^(content-type|retry-after|location)$/i.test(k))
        headers[k === 'content-type' ? 'Content-Type' : k] = v;
    responses.push({
      id: item.id,
      status: result.status,
      headers,
      ...(result.body === undefined ? {} : { body: result.body }),
    });
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, body: { responses } };
}
