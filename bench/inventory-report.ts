import { INTUNE_RATE_LIMIT } from '../emulators/microsoft';
import { getConfig } from '../shared/config';
import { requestBounds, timeBounds, type TypeFigures } from './inventory-bounds';

export interface SyncMeasurement {
  run: {
    id: string;
    status: string;
    outcome: string;
    failures: unknown[];
    result: {
      types: Record<string, TypeFigures & { status: string }>;
      totals: Record<string, number>;
      dependencies: Record<string, number> | null;
      bookkeepingWrites?: number;
    };
  };
  seconds: number;
  log: Array<{
    status: number;
    endpoint: string;
    batchRequestId?: string;
    fault?: string;
    throttled?: boolean;
  }>;
  peakHeap: number;
}

const mb = (bytes: number | undefined) =>
  bytes === undefined ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const n = (value: number) => value.toLocaleString('en-US');
const line = (label: string, text: string) => console.log(`  ${label.padEnd(30)}${text}`);

/** Graph's own requests (Entra's token requests are logged too), each `$batch` once. */
const graphRequests = (log: SyncMeasurement['log']) =>
  log.filter((entry) => !entry.batchRequestId && /^\w+ \/(v1\.0|beta)\//.test(entry.endpoint));

export function report(measured: {
  first: SyncMeasurement;
  second: SyncMeasurement;
  baselineRss: number;
  peakRss: number;
  cosmosPeakBytes: number | undefined;
  latencyMs: number;
}): void {
  const { first, second } = measured;
  const types = Object.fromEntries(
    Object.entries(first.run.result.types).filter(([, figures]) => figures.objects !== undefined),
  );
  const dependencies = first.run.result.dependencies ?? {};
  const bounds = requestBounds({
    ...types,
    groups: {
      objects: Number(dependencies.stored ?? 0),
      pages: Number(dependencies.pages ?? 1),
      subRequests: Number(dependencies.subRequests ?? 0),
    },
  });
  const concurrency = getConfig().GRAPH_MAX_CONCURRENCY_PER_TENANT;
  const time = timeBounds(bounds, INTUNE_RATE_LIMIT.app, measured.latencyMs, concurrency);
  const sent = graphRequests(first.log);
  const envelopes = sent.filter((entry) => entry.endpoint.endsWith('/$batch'));
  const sizes = new Map<string, number>();
  for (const entry of first.log)
    if (entry.batchRequestId) sizes.set(entry.batchRequestId, (sizes.get(entry.batchRequestId) ?? 0) + 1);
  const full = [...sizes.values()].filter((size) => size === 20).length;
  const throttled = (log: SyncMeasurement['log']) => log.filter((entry) => entry.status === 429).length;
  const totals = first.run.result.totals;
  const limit = INTUNE_RATE_LIMIT;

  console.log(
    `\nInventory benchmark: ${n(totals.objects!)} objects in ${Object.keys(types).length} types and ` +
      `${n(Number(dependencies.stored ?? 0))} referenced groups; Graph latency ${measured.latencyMs} ms; ` +
      `rate limit ${limit.app.requests} per ${limit.app.windowSeconds} s per app, ` +
      `${limit.tenant.requests} per ${limit.tenant.windowSeconds} s per tenant\n`,
  );
  console.log('Graph requests, first sync');
  line(
    'sent',
    `${n(sent.length)} = ${n(sent.length - envelopes.length)} pages + ${n(envelopes.length)} $batch ` +
      `(${n(sizesTotal(sizes))} reads inside, ` +
      `${full} of ${sizes.size} batches full), ${throttled(first.log)} throttled`,
  );
  line(
    'lower bound',
    `${n(bounds.minimumRequests)} = ${n(bounds.pages)} collection pages + ceil(${n(bounds.separateReads)} separate reads / 20)`,
  );
  line(
    'per-object pattern (peers)',
    `${n(bounds.perObjectPattern)} (${(bounds.perObjectPattern / sent.length).toFixed(1)}× ours)`,
  );
  console.log('\nWall time, HTTP start → terminal');
  line('first sync', `${first.seconds.toFixed(1)} s (${first.run.outcome})`);
  line(
    'lower bound',
    `${time.lowerBoundSeconds.toFixed(1)} s = max(rate limit ${time.rateLimitSeconds.toFixed(1)} s, ` +
      `latency with ${concurrency} in flight ${time.latencySeconds.toFixed(1)} s)`,
  );
  line('ratio', `${(first.seconds / time.lowerBoundSeconds).toFixed(2)}× (target ≤ 1.3×)`);
  console.log('\nSecond sync, nothing changed');
  const again = second.run.result.totals;
  const deps = second.run.result.dependencies ?? {};
  line(
    'wall time',
    `${second.seconds.toFixed(1)} s (${second.run.outcome}), ${n(graphRequests(second.log).length)} Graph requests, ${throttled(second.log)} throttled`,
  );
  line(
    'ratio',
    `${(second.seconds / time.lowerBoundSeconds).toFixed(2)}× the first sync's lower bound (it sends the same requests)`,
  );
  line('new versions', n(again.versionsCreated! + Number(deps.new ?? 0) + Number(deps.changed ?? 0)));
  line('unchanged objects', `${n(again.unchanged!)} (+ ${n(Number(deps.stored ?? 0))} groups)`);
  line(
    'Cosmos writes',
    `${n(again.cosmosRequests! + Number(deps.cosmosRequests ?? 0))} batch requests, ` +
      `${n(again.documentsWritten! + Number(deps.documentsWritten ?? 0))} documents ` +
      `(bound: ${n(Object.keys(types).length + 1)}, one per type and the groups); ` +
      `${n(second.run.result.bookkeepingWrites ?? 0)} single writes of run state, progress and cursors`,
  );
  line(
    'first sync, for comparison',
    `${n(totals.cosmosRequests! + Number(dependencies.cosmosRequests ?? 0))} batch requests, ` +
      `${n(totals.documentsWritten! + Number(dependencies.documentsWritten ?? 0))} documents`,
  );
  console.log('\nPeak memory');
  line(
    'app process',
    `${mb(measured.peakRss)} RSS (${mb(measured.baselineRss)} before the syncs, with the simulated ` +
      `tenant); heap ${mb(Math.max(first.peakHeap, second.peakHeap))}`,
  );
  line('Cosmos DB process', `${mb(measured.cosmosPeakBytes)} RSS`);
  if (first.run.outcome !== 'succeeded' || second.run.outcome !== 'succeeded')
    console.log('\nFailures:', JSON.stringify([first.run.failures, second.run.failures]));
}

function sizesTotal(sizes: Map<string, number>): number {
  return [...sizes.values()].reduce((a, b) => a + b, 0);
}
