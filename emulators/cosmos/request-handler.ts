import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Account, linearizeQueries, routeFor } from './vercel-internals';

/** A POST the package routes as a query (a read), by the same headers as its router. */
function isQuery(req: IncomingMessage): boolean {
  const flag = req.headers['x-ms-documentdb-isquery'];
  return String(flag).toLowerCase() === 'true' || req.headers['content-type'] === 'application/query+json';
}

/** Writes change state; queries are POSTs too but must not trigger a snapshot (the change feed polls with them). */
export function isMutatingRequest(req: IncomingMessage): boolean {
  return ['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method ?? '') && !isQuery(req);
}

/** `/dbs/{db}/colls/{coll}/docs` or `…/docs/{id}`: the routes that write documents (batches included). */
function isDocumentPath(req: IncomingMessage): boolean {
  const pathname = (req.url ?? '').split('?')[0] ?? '';
  return /\/docs(\/[^/]+)?\/?$/.test(pathname);
}

const QUERY_METRICS =
  'totalExecutionTimeInMs=0.00;queryCompileTimeInMs=0.00;queryLogicalPlanBuildTimeInMs=0.00;' +
  'queryPhysicalPlanBuildTimeInMs=0.00;queryOptimizationTimeInMs=0.00;VMExecutionTimeInMs=0.00;' +
  'indexLookupTimeInMs=0.00;documentLoadTimeInMs=0.00;systemFunctionExecuteTimeInMs=0.00;' +
  'userFunctionExecuteTimeInMs=0.00;retrievedDocumentCount=0;retrievedDocumentSize=0;outputDocumentCount=1;' +
  'outputDocumentSize=0;writeOutputTimeInMs=0.00;indexUtilizationRatio=0.00';

/** What the server does around writes, so an answered write is durable (see journal.ts). */
export interface WriteHooks {
  /** Before a write to a container's documents is handled (the journal starts watching the container). */
  beforeDocumentWrite(dbId: string, collId: string): void;
  /** After a write to databases, containers or UDFs was handled, before it is answered. */
  afterSchemaWrite(): Promise<void>;
  /** Once any write has been handled (answered or failed). */
  onMutation(): void;
}

/**
 * Same behaviour as the private request handler of `@vercel/cosmosdb-server` (lib/index.js), kept in step
 * with it on purpose so the SDK sees the same server. Additions: the write hooks, 409 for every
 * unique-key conflict, and queries in one pass over a container (`linearizeQueries`).
 */
export function createRequestHandler(account: Account, hooks: WriteHooks) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const onMutation = () => hooks.onMutation();
    void respond(account, req, res, hooks)
      .catch((error: unknown) => {
        console.error('[cosmos] request failed', error);
        if (!res.writableEnded) {
          res.statusCode = 500;
          res.end('');
        }
      })
      // Even a failed write may have changed something before it failed.
      .finally(() => {
        if (isMutatingRequest(req)) onMutation();
      });
  };
}

async function respond(
  account: Account,
  req: IncomingMessage,
  res: ServerResponse,
  hooks: WriteHooks,
): Promise<void> {
  const route = routeFor(req);
  // Undefined for bodiless answers (204), as in the package.
  let body: Record<string, unknown> | undefined;
  if (route) {
    const [params, handler] = route;
    const write = isMutatingRequest(req);
    const documentWrite = write && isDocumentPath(req);
    if (documentWrite && params.dbId && params.collId) hooks.beforeDocumentWrite(params.dbId, params.collId);
    if (params.dbId && params.collId) {
      const collection = account.database(params.dbId).collection(params.collId);
      if (collection.read()) linearizeQueries(collection.documents);
    }
    try {
      body = (await handler(account, req, res, params)) as Record<string, unknown> | undefined;
      if (write && !documentWrite) await hooks.afterSchemaWrite();
    } catch (error) {
      // The package marks unique-key conflicts `conflict` but maps them to 409 only on create; an upsert
      // hitting one answered 500 there. Azure answers 409 for both.
      const { conflict, message } = error as { conflict?: boolean; message?: string };
      if (!conflict) console.error('[cosmos] handler failed', error);
      body = conflict ? { code: 'Conflict', message } : { message: message ?? String(error) };
      res.statusCode = conflict ? 409 : 500;
    }
    if (res.statusCode > 399 && body && !body.message) body.message = '';
  } else {
    res.statusCode = 400;
    body = { message: 'no route' };
  }
  if (typeof body?._etag === 'string') res.setHeader('etag', body._etag);
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-location', `https://${req.headers.host}${req.url}`);
  res.setHeader('connection', 'keep-alive');
  res.setHeader('x-ms-activity-id', randomUUID());
  res.setHeader('x-ms-request-charge', '1');
  if (req.headers['x-ms-documentdb-populatequerymetrics']) {
    res.setHeader('x-ms-documentdb-query-metrics', QUERY_METRICS);
  }
  // The package's change-feed stub: every read after the first (the SDK then sends If-None-Match) is a 304.
  if (req.headers['a-im'] && res.statusCode === 200) {
    if (req.headers['if-none-match']) res.statusCode = 304;
    res.setHeader('etag', '1');
  }
  res.end(JSON.stringify(body));
}
