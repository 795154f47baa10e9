import { setTimeout as sleep } from 'node:timers/promises';
import type { GraphRequestSpec } from '../contracts/requests';
import type { GraphApiVersion } from '../contracts/types';
import { graphResponseError, GraphRequestError } from '../errors';
import type { GraphLogFields, GraphLogger } from './logger';
import { mayRetry, retryDelayMs, type RetryPolicy } from './retry-policy';
import type { TenantLimiter } from './tenant-limiter';

/** A request the client sends: a contract's request, or the client's own `$batch` envelope. */
export interface RawCall {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  apiVersion: GraphApiVersion;
  /** Below the version root, with query: `/deviceManagement/…?$top=5`. */
  url: string;
  body?: unknown;
  contractKey: string;
  idempotent: boolean;
}

/** Graph's limit of requests in one `$batch`. */
export const MAX_BATCH_SIZE = 20;

export type BatchResult =
  { ok: true; status: number; body: unknown } | { ok: false; status?: number; error: GraphRequestError };

export interface BatchDeps {
  /** Sends the envelope through the pipeline (which retries the envelope itself). */
  send(call: RawCall): Promise<unknown>;
  retryPolicy: RetryPolicy;
  limiter: TenantLimiter;
  logger: GraphLogger;
  logFields: GraphLogFields;
  signal?: AbortSignal;
}

interface SubResponse {
  id?: unknown;
  status?: unknown;
  headers?: Record<string, unknown>;
  body?: unknown;
}

function header(headers: SubResponse['headers'], name: string): string | undefined {
  const entry = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase());
  return entry && typeof entry[1] === 'string' ? entry[1] : undefined;
}

function subRequest(spec: GraphRequestSpec, id: number) {
  return {
    id: String(id),
    method: spec.method,
    url: spec.url,
    ...(spec.body === undefined ? {} : { body: spec.body, headers: { 'Content-Type': 'application/json' } }),
  };
}

function failure(response: SubResponse, status: number): BatchResult {
  const body = response.body as {
    error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> };
  };
  const requestId = body?.error?.innerError?.['request-id'];
  return {
    ok: false,
    status,
    error: graphResponseError({
      status,
      graphCode: typeof body?.error?.code === 'string' ? body.error.code : undefined,
      graphMessage: typeof body?.error?.message === 'string' ? body.error.message : undefined,
      requestId: typeof requestId === 'string' ? requestId : header(response.headers, 'request-id'),
    }),
  };
}

/** Up to 20 requests of one API version; re-sends only the sub-requests Graph asked to retry. */
async function runChunk(
  apiVersion: GraphApiVersion,
  indices: number[],
  specs: readonly GraphRequestSpec[],
  results: BatchResult[],
  deps: BatchDeps,
): Promise<void> {
  let pending = indices;
  for (let retry = 0; pending.length > 0; retry++) {
    const envelope = (await deps.send({
      method: 'POST',
      apiVersion,
      url: '/$batch',
      body: { requests: pending.map((index) => subRequest(specs[index]!, index)) },
      contractKey: '$batch',
      idempotent: pending.every((index) => specs[index]!.idempotent),
    })) as { responses?: SubResponse[] } | undefined;
    const byId = new Map((envelope?.responses ?? []).map((response) => [String(response.id), response]));
    const again: number[] = [];
    let delay = 0;
    let throttled = false;
    for (const index of pending) {
      const response = byId.get(String(index));
      const status = typeof response?.status === 'number' ? response.status : undefined;
      if (!response || status === undefined) {
        results[index] = {
          ok: false,
          error: new GraphRequestError({
            reasonCode: 'graph_error',
            message: 'Microsoft Graph left a batch request unanswered',
          }),
        };
      } else if (status < 400) {
        results[index] = { ok: true, status, body: response.body };
      } else if (retry < deps.retryPolicy.maxRetries && mayRetry(specs[index]!.idempotent, status)) {
        again.push(index);
        throttled ||= status === 429;
        delay = Math.max(
          delay,
          retryDelayMs(deps.retryPolicy, retry + 1, header(response.headers, 'Retry-After')),
        );
      } else {
        results[index] = failure(response, status);
      }
    }
    if (again.length === 0) return;
    deps.logger.warn('graph batch requests retried', {
      ...deps.logFields,
      retried: again.length,
      of: pending.length,
      retry: retry + 1,
      delayMs: Math.round(delay),
      throttled,
    });
    if (throttled) deps.limiter.pause(delay);
    await sleep(delay, undefined, { signal: deps.signal });
    pending = again;
  }
}

export async function runBatch(specs: readonly GraphRequestSpec[], deps: BatchDeps): Promise<BatchResult[]> {
  const results = new Array<BatchResult>(specs.length);
  const chunks: Array<{ apiVersion: GraphApiVersion; indices: number[] }> = [];
  for (const apiVersion of ['v1.0', 'beta'] as const) {
    const indices = specs.flatMap((spec, index) => (spec.apiVersion === apiVersion ? [index] : []));
    for (let start = 0; start < indices.length; start += MAX_BATCH_SIZE) {
      chunks.push({ apiVersion, indices: indices.slice(start, start + MAX_BATCH_SIZE) });
    }
  }
  await Promise.all(chunks.map((chunk) => runChunk(chunk.apiVersion, chunk.indices, specs, results, deps)));
  return results;
}
