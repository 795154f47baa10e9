import { requiredPermissions } from '../entra/permissions';
import { takeLostResponse, type Fault } from '../realism/faults';
import type { ApiVersion } from '../reference/load';
import { effectivePermissions } from './auth';
import { graphError, serviceErrors, type RequestIds, type SimResponse } from './errors';
import { handleTarget } from './handlers';
import { resolve } from './resolve';
import type { GraphCall, GraphDeps, Principal } from './types';

const VERSIONS: ApiVersion[] = ['v1.0', 'beta'];

export interface Parsed {
  version: ApiVersion;
  path: string;
  query: URLSearchParams;
}

export function parseUrl(url: string): Parsed | undefined {
  const q = url.indexOf('?');
  const pathPart = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  const [, version, ...rest] = pathPart.split('/');
  if (!VERSIONS.includes(version as ApiVersion)) return undefined;
  return { version: version as ApiVersion, path: '/' + rest.join('/'), query };
}

export function faultResponse(
  fault: Exclude<Fault, 'reset'>,
  retryAfter: number,
  ids: RequestIds,
): SimResponse {
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

export interface SingleResult {
  response?: SimResponse;
  reset?: boolean;
  endpoint: string;
  fault?: Fault;
  /** The write was applied and its answer replaced by a 504 or a dropped connection. */
  responseLost?: boolean;
  throttled?: boolean;
  retryAfter?: number;
}

/** One request (top level or inside a batch): faults, rate limits, resolution, permissions, the operation. */
export function handleSingle(
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
  const response = handleTarget(deps, call, resolution.target);
  if (write && response.status < 400) {
    const lost = takeLostResponse(tenant.realism.faults, method, `/${parsed.version}${parsed.path}`);
    if (lost?.answer === 'reset' && allowReset) return { reset: true, endpoint, responseLost: true };
    if (lost) return { response: faultResponse('504', 0, ids), endpoint, responseLost: true };
  }
  return { response, endpoint };
}
