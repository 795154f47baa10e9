import { randomUUID } from 'node:crypto';
import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import {
  getByIdRequest,
  listRequest,
  type GetOptions,
  type GraphRequestSpec,
  type ListOptions,
} from '../contracts/requests';
import { shortOdataType } from '../contracts/readonly';
import type { GraphApiVersion, GraphContract } from '../contracts/types';
import { graphResponseError, graphTransportError, GraphRequestError } from '../errors';
import { runBatch, type BatchResult, type RawCall } from './batch';
import { GraphCallContext, type GraphCorrelation } from './middleware/call-context';
import type { RetryPolicy } from './retry-policy';
import type { TenantLimiter } from './tenant-limiter';
import type { GraphLogger } from './logger';

export type GraphObject = Record<string, unknown>;

export interface GraphCallOptions {
  correlation?: GraphCorrelation;
  /** Cancels waits, queued requests and the request in flight. */
  signal?: AbortSignal;
}

export interface GraphPage {
  /** 1-based position of the page in the collection. */
  pageNumber: number;
  items: GraphObject[];
  /**
   * Where the collection continues (`@odata.nextLink`), absent on the last page: lets a long read stop at
   * a page boundary and resume elsewhere with `continuePages` (one activity per page range).
   */
  nextLink?: string;
  /**
   * On the last page of a change-tracking round (`deltaRequest`): the link that later answers only what
   * changed since this round (`@odata.deltaLink`). Followed with `continuePages` like a next link.
   */
  deltaLink?: string;
}

export interface GraphClientDeps {
  sdk: Client;
  baseUrl: string;
  retryPolicy: RetryPolicy;
  limiter: TenantLimiter;
  logger: GraphLogger;
  connection: { connectionId: string; entraTenantId: string };
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; innerError?: { 'request-id'?: unknown } };
}

/**
 * Microsoft Graph for one provider connection. Every request comes from a contract (contracts/requests)
 * and goes through the pipeline: retry → token → tenant concurrency limit → log → fetch. Failures end as
 * GraphRequestError with a stable reason code.
 */
export class GraphClient {
  constructor(private readonly deps: GraphClientDeps) {}

  get connectionId(): string {
    return this.deps.connection.connectionId;
  }

  /** One request; resolves with the parsed JSON body (undefined for 204). */
  async send<T = unknown>(spec: GraphRequestSpec, options: GraphCallOptions = {}): Promise<T> {
    return (await this.call(spec, options)) as T;
  }

  /** The object with this id, read as the contract says (`$select`, `$expand`). 404 → GraphRequestError. */
  async getById(
    contract: GraphContract,
    id: string,
    options: GetOptions & GraphCallOptions = {},
  ): Promise<GraphObject> {
    return this.send<GraphObject>(getByIdRequest(contract, id, options), options);
  }

  /**
   * The contract's collection page by page, following `@odata.nextLink`: one page in memory at a time.
   * Objects of types another contract owns (`excludedTypes`) are left out.
   */
  async *listPages(
    contract: GraphContract,
    options: ListOptions & GraphCallOptions = {},
  ): AsyncGenerator<GraphPage> {
    const excluded = new Set(contract.excludedTypes ?? []);
    for await (const page of this.pages(listRequest(contract, options), options)) {
      if (excluded.size === 0) yield page;
      else yield { ...page, items: page.items.filter((item) => !excluded.has(typeOf(item))) };
    }
  }

  /** Every object of the contract's collection, streamed. */
  async *listAll(
    contract: GraphContract,
    options: ListOptions & GraphCallOptions = {},
  ): AsyncGenerator<GraphObject> {
    for await (const page of this.listPages(contract, options)) yield* page.items;
  }

  /** Any collection request (a list, a sub-resource) page by page. */
  async *pages(spec: GraphRequestSpec, options: GraphCallOptions = {}): AsyncGenerator<GraphPage> {
    let body = await this.call(spec, options);
    if (spec.singleton) {
      yield { pageNumber: 1, items: [singletonItem(body, spec.contractKey)] };
      return;
    }
    for (let pageNumber = 1; ; pageNumber++) {
      const page = asCollection(body, spec.contractKey);
      yield pageOf(pageNumber, page);
      if (!page.nextLink) return;
      body = await this.followNextLink(page.nextLink, spec.contractKey, options);
    }
  }

  /**
   * The rest of a collection whose first page came in a `$batch` response (pages 2…). Unlike listPages,
   * it does not drop a contract's `excludedTypes`.
   */
  async *continuePages(
    nextLink: string,
    contractKey: string,
    options: GraphCallOptions = {},
  ): AsyncGenerator<GraphPage> {
    for (let pageNumber = 2, link: string | undefined = nextLink; link; pageNumber++) {
      const page = asCollection(await this.followNextLink(link, contractKey, options), contractKey);
      yield pageOf(pageNumber, page);
      link = page.nextLink;
    }
  }

  /**
   * The requests packed 20 per `$batch` (per API version), sub-requests throttled or unavailable retried
   * on their own with their Retry-After. Results are in the order of `specs`; a failed sub-request is a
   * result with its error, not an exception.
   */
  batch(specs: readonly GraphRequestSpec[], options: GraphCallOptions = {}): Promise<BatchResult[]> {
    return runBatch(specs, {
      send: (call) => this.call(call, options),
      retryPolicy: this.deps.retryPolicy,
      limiter: this.deps.limiter,
      logger: this.deps.logger,
      logFields: { ...this.deps.connection, ...options.correlation },
      signal: options.signal,
    });
  }

  private followNextLink(nextLink: string, contractKey: string, options: GraphCallOptions): Promise<unknown> {
    // The link comes from the response: it must point at the configured Graph, or the token would go
    // wherever a tampered response says.
    const prefix = `${this.deps.baseUrl}/`;
    const match = nextLink.startsWith(prefix)
      ? /^(v1\.0|beta)(\/.*)$/.exec(nextLink.slice(prefix.length))
      : null;
    if (!match) {
      throw new GraphRequestError({
        reasonCode: 'graph_error',
        message: `Microsoft Graph returned a next link outside ${this.deps.baseUrl}`,
      });
    }
    const apiVersion = match[1] as GraphApiVersion;
    return this.call({ method: 'GET', apiVersion, url: match[2]!, contractKey, idempotent: true }, options);
  }

  private async call(request: RawCall | GraphRequestSpec, options: GraphCallOptions): Promise<unknown> {
    const context = new GraphCallContext({
      contractKey: request.contractKey,
      idempotent: request.idempotent,
      clientRequestId: randomUUID(),
      correlation: options.correlation ?? {},
      signal: options.signal,
    });
    const sdkRequest = this.deps.sdk
      .api(request.url)
      .version(request.apiVersion)
      .responseType(ResponseType.RAW)
      .middlewareOptions([context])
      .header('client-request-id', context.request.clientRequestId);
    let response: Response;
    try {
      response = (await (request.method === 'GET'
        ? sdkRequest.get()
        : request.method === 'PATCH'
          ? sdkRequest.patch(request.body)
          : request.method === 'PUT'
            ? sdkRequest.put(request.body)
            : request.method === 'DELETE'
              ? sdkRequest.delete()
              : sdkRequest.post(request.body))) as Response;
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw context.failure ?? graphTransportError(error);
    }
    let body: unknown;
    try {
      body = await readBody(response);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw graphTransportError(error);
    }
    if (response.ok) return body;
    const graphError = (body as ErrorBody | undefined)?.error;
    throw graphResponseError({
      status: response.status,
      graphCode: typeof graphError?.code === 'string' ? graphError.code : undefined,
      graphMessage: typeof graphError?.message === 'string' ? graphError.message : undefined,
      requestId: response.headers.get('request-id') ?? undefined,
    });
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  if (!/json/i.test(response.headers.get('content-type') ?? '')) return text;
  return JSON.parse(text) as unknown;
}

/**
 * A singleton's answer as the one item of its collection. Graph gives no id where the singleton is a
 * complex-typed property (`deviceManagement/settings`): the contract key stands in, one object per tenant.
 */
function singletonItem(body: unknown, contractKey: string): GraphObject {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new GraphRequestError({
      reasonCode: 'graph_error',
      message: `Microsoft Graph did not return an object for ${contractKey}`,
    });
  }
  const object = body as GraphObject;
  return typeof object.id === 'string' && object.id !== '' ? object : { ...object, id: contractKey };
}

interface Collection {
  value: GraphObject[];
  nextLink?: string;
  deltaLink?: string;
}

function pageOf(pageNumber: number, page: Collection): GraphPage {
  return {
    pageNumber,
    items: page.value,
    ...(page.nextLink && { nextLink: page.nextLink }),
    ...(page.deltaLink && { deltaLink: page.deltaLink }),
  };
}

function asCollection(body: unknown, contractKey: string): Collection {
  const collection = body as
    { value?: unknown; '@odata.nextLink'?: unknown; '@odata.deltaLink'?: unknown } | undefined;
  if (!collection || !Array.isArray(collection.value)) {
    throw new GraphRequestError({
      reasonCode: 'graph_error',
      message: `Microsoft Graph did not return a collection for ${contractKey}`,
    });
  }
  const nextLink = collection['@odata.nextLink'];
  const deltaLink = collection['@odata.deltaLink'];
  return {
    value: collection.value as GraphObject[],
    nextLink: typeof nextLink === 'string' ? nextLink : undefined,
    deltaLink: typeof deltaLink === 'string' ? deltaLink : undefined,
  };
}

function typeOf(item: GraphObject): string {
  const type = item['@odata.type'];
  return typeof type === 'string' ? shortOdataType(type) : '';
}
