import { randomUUID } from 'node:crypto';
import type { RequestLogEntry } from '../realism/request-log';
import type { ApiVersion } from '../reference/load';
import { graphError, type RequestIds, type SimResponse } from './errors';
import { handleSingle, parseUrl } from './pipeline';
import type { GraphRequest } from './service';
import type { GraphDeps, Principal } from './types';

const MAX_BATCH = 20;

interface BatchItem {
  /**
   * A string in the spec; Graph also takes a JSON number (IntuneCD sends 1, 2, …) and answers with the
   * same id as text, the way its string-typed batch model reads a number (IntuneCD converts the answered
   * ids back with `int()`).
   */
  id: string | number;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: Array<string | number>;
}

/** Ids are compared as text and case-insensitively: Graph refuses `"a"` next to `"A"` as a repeated id. */
const idKey = (id: string | number) => String(id).toLowerCase();

const isBatchId = (id: unknown): id is string | number =>
  (typeof id === 'string' && id !== '') || (typeof id === 'number' && Number.isFinite(id));

/** Response header names as Graph spells them inside a batch response. */
const BATCH_HEADER_NAMES: Record<string, string> = {
  'content-type': 'Content-Type',
  'retry-after': 'Retry-After',
  location: 'Location',
};

/** JSON batching: up to 20 requests, `dependsOn` ordering (424 when a dependency failed), per-request status. */
export function runBatch(
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
    if (!isBatchId(r?.id) || typeof r.method !== 'string' || typeof r.url !== 'string') {
      return graphError(400, 'BadRequest', 'Each batch request must have id, method and url.', ids);
    }
    if (seen.has(idKey(r.id)))
      return graphError(400, 'BadRequest', `Request Id ${r.id} has to be unique in a batch.`, ids);
    seen.add(idKey(r.id));
  }
  for (const r of requests) {
    for (const d of r.dependsOn ?? []) {
      if (!seen.has(idKey(d)))
        return graphError(400, 'BadRequest', `Request '${r.id}' depends on unknown request '${d}'.`, ids);
    }
  }
  const status = new Map<string, number>();
  const responses: Array<Record<string, unknown>> = [];
  const pending = [...requests];
  while (pending.length > 0) {
    const index = pending.findIndex((r) => (r.dependsOn ?? []).every((d) => status.has(idKey(d))));
    if (index < 0) return graphError(400, 'BadRequest', 'The dependsOn graph of the batch has a cycle.', ids);
    const item = pending.splice(index, 1)[0]!;
    const innerIds: RequestIds = { requestId: randomUUID(), clientRequestId: ids.clientRequestId };
    const failedDependency = (item.dependsOn ?? []).some((d) => (status.get(idKey(d)) ?? 500) >= 400);
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
        extra = {
          fault: single.fault,
          responseLost: single.responseLost,
          throttled: single.throttled,
          retryAfterSeconds: single.retryAfter,
        };
      }
    }
    status.set(idKey(item.id), result.status);
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
    for (const [k, v] of Object.entries(result.headers)) {
      const name = BATCH_HEADER_NAMES[k.toLowerCase()];
      if (name) headers[name] = v;
    }
    responses.push({
      id: String(item.id),
      status: result.status,
      headers,
      ...(result.body === undefined ? {} : { body: result.body }),
    });
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, body: { responses } };
}
