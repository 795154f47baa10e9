import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/**
 * The Cosmos DB round trips of one invocation, by kind: what a request or a timer tick costs the store,
 * counted where it leaves the process (every outgoing HTTP request made in the invocation's async
 * context), so no product code is involved. Durable client calls are counted apart: in Azure they go to
 * the Durable extension's own storage, not to Cosmos DB.
 */
export interface RoundTrips {
  pointReads: number;
  queries: number;
  creates: number;
  replaces: number;
  upserts: number;
  patches: number;
  deletes: number;
  batches: number;
  /** Account, database, container and partition-key-range reads the SDK makes for itself. */
  metadata: number;
  durable: number;
}

export function noRoundTrips(): RoundTrips {
  return {
    pointReads: 0,
    queries: 0,
    creates: 0,
    replaces: 0,
    upserts: 0,
    patches: 0,
    deletes: 0,
    batches: 0,
    metadata: 0,
    durable: 0,
  };
}

/** The local host's response header with the request's round trips (`formatRoundTrips`). */
export const ROUND_TRIPS_HEADER = 'x-local-cosmos-round-trips';

/** The Durable client's paths: its RPC endpoint (what durable-functions calls) and the webhooks. */
const DURABLE_PATHS = ['/durabletask/', '/runtime/webhooks/durabletask'];

const current = new AsyncLocalStorage<RoundTrips>();
const cosmosHosts = new Set<string>();
let subscribed = false;

/** Counts the round trips `work` makes to the Cosmos endpoint (and to the Durable webhooks). */
export async function countRoundTrips<T>(
  cosmosEndpoint: string | undefined,
  work: () => Promise<T>,
): Promise<{ result: T; roundTrips: RoundTrips }> {
  if (cosmosEndpoint) cosmosHosts.add(new URL(cosmosEndpoint).host);
  if (!subscribed) {
    subscribed = true;
    subscribe('http.client.request.start', (message) => {
      const tally = current.getStore();
      if (tally) classify(tally, (message as { request: ClientRequest }).request);
    });
  }
  const roundTrips = noRoundTrips();
  const result = await current.run(roundTrips, work);
  return { result, roundTrips };
}

/** `pointReads=3 queries=0 …`: one line, only the kinds that occurred, for a header or a log. */
export function formatRoundTrips(roundTrips: RoundTrips): string {
  return Object.entries(roundTrips)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${kind}=${n}`)
    .join(' ');
}

function classify(tally: RoundTrips, request: ClientRequest): void {
  const path = request.path.split('?')[0] ?? '';
  if (DURABLE_PATHS.some((prefix) => path.startsWith(prefix))) {
    tally.durable++;
    return;
  }
  // Node sets the Host header (host:port) before it announces the request.
  if (!cosmosHosts.has(String(request.getHeader('host')))) return;
  const method = request.method.toUpperCase();
  const header = (name: string) => String(request.getHeader(name) ?? '').toLowerCase();
  if (!/\/docs(\/[^/]+)?\/?$/.test(path)) tally.metadata++;
  else if (method === 'GET') tally.pointReads++;
  else if (method === 'PUT') tally.replaces++;
  else if (method === 'PATCH') tally.patches++;
  else if (method === 'DELETE') tally.deletes++;
  else if (
    header('x-ms-documentdb-isquery') === 'true' ||
    header('content-type') === 'application/query+json'
  )
    tally.queries++;
  else if (header('x-ms-cosmos-is-batch-request') === 'true') tally.batches++;
  else if (header('x-ms-documentdb-is-upsert') === 'true') tally.upserts++;
  else tally.creates++;
}
