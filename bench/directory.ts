import path from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { connectBenchTenant, measureRun, peakRss, withBenchCloud } from './harness';

/**
 * `npm run bench:directory`: `directory.groups.sync` of a generated tenant with 100,000 groups (50 ms
 * Graph latency, the rate limit on), first with an empty cache (a full read through the delta query),
 * then again with nothing changed (the stored delta link). Prints each run's Graph requests, wall time,
 * Cosmos writes and memory against bounds measured or derived in the same run. Cosmos DB runs in a
 * process of its own; the simulated Microsoft cloud shares the app's process (its 100,000 groups and
 * delta snapshots are part of the heap figures).
 */

const GROUPS = Number(process.env.BENCH_GROUPS ?? 100_000);
/** A directory: after the second sync, a heap snapshot is written there (which objects hold the heap). */
const HEAP_SNAPSHOT_DIR = process.env.BENCH_HEAP_SNAPSHOT;
const LATENCY_MS = 50;
const TENANT = 'directory';
/** Groups per delta page in the simulated Graph (Graph's own default for directory objects). */
const PAGE_SIZE = 100;

interface Measurement {
  run: { id: string; outcome: string; result: Record<string, number | string | boolean> };
  seconds: number;
  graphRequests: number;
  /** Graph requests by endpoint (ids as placeholders). */
  endpoints: Record<string, number>;
  peakHeap: number;
  /** Heap in use after the run and a full collection: what stays behind. */
  retainedHeap: number;
}

function heapAfterGc(): number {
  global.gc?.();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  console.log(`Starting the local cloud with a generated tenant of ${GROUPS} groups…`);
  await withBenchCloud(`${TENANT}:100:11:${GROUPS}`, async (cloud, cosmosPid) => {
    const tenant = await connectBenchTenant(cloud, TENANT, LATENCY_MS);
    if (!global.gc) throw new Error('Run with node --expose-gc (npm run bench:directory does).');
    const idleHeap = heapAfterGc();
    const sync = async (): Promise<Measurement> => {
      const measured = await measureRun<Measurement['run'] & { status: string }>(
        tenant,
        'directory.groups.sync',
        200,
      );
      const log = measured.log as Array<{ endpoint: string }>;
      // Graph only: Entra's token and discovery endpoints are not versioned like Graph's.
      const graph = log.filter((entry) => /^[A-Z]+ \/(v1\.0|beta)\//.test(entry.endpoint));
      const endpoints: Record<string, number> = {};
      for (const entry of graph) endpoints[entry.endpoint] = (endpoints[entry.endpoint] ?? 0) + 1;
      return { ...measured, graphRequests: graph.length, endpoints, retainedHeap: heapAfterGc() };
    };
    console.log('First sync (empty cache: a full read through the delta query)…');
    const first = await sync();
    console.log('Second sync (nothing changed: the stored delta link)…');
    const second = await sync();
    if (HEAP_SNAPSHOT_DIR)
      console.log(
        `Heap snapshot: ${writeHeapSnapshot(path.join(HEAP_SNAPSHOT_DIR, 'directory.heapsnapshot'))}`,
      );
    report(first, second, idleHeap, peakRss(cosmosPid));
  });
}

const mb = (bytes: number | undefined) =>
  bytes === undefined ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MB`;
const ratio = (value: number, bound: number) => (bound === 0 ? 'n/a' : `${(value / bound).toFixed(2)}×`);

function report(first: Measurement, second: Measurement, idleHeap: number, cosmosPeak: number | undefined) {
  for (const m of [first, second])
    if (m.run.outcome !== 'succeeded') throw new Error(`run ${m.run.id} ended ${m.run.outcome}`);
  // The generated tenant has a few groups more than asked (those its objects are assigned to).
  const pages = Math.ceil(Number(first.run.result.read) / PAGE_SIZE);
  const rows: Array<[string, string, string, string]> = [];
  const add = (what: string, value: string, bound: string, r: string) => rows.push([what, value, bound, r]);
  const f = first.run.result;
  const s = second.run.result;
  add('groups read (first)', String(f.read), `${GROUPS} in the tenant`, ratio(Number(f.read), GROUPS));
  add(
    'Graph requests (first)',
    String(first.graphRequests),
    `${pages} pages of ${PAGE_SIZE}`,
    ratio(first.graphRequests, pages),
  );
  add(
    'wall time (first)',
    `${first.seconds.toFixed(1)} s`,
    `${((pages * LATENCY_MS) / 1000).toFixed(1)} s of Graph latency`,
    ratio(first.seconds, (pages * LATENCY_MS) / 1000),
  );
  add(
    'Cosmos write requests (first)',
    String(f.cosmosRequests),
    `${2 * Number(f.pages) + 2}: a batch and a state write per page, open, commit`,
    ratio(Number(f.cosmosRequests), 2 * Number(f.pages) + 2),
  );
  add(
    'documents written (first)',
    String(f.documentsWritten),
    `${Number(f.read) + Number(f.pages) + 2}: each group once, the state per page, open, commit`,
    ratio(Number(f.documentsWritten), Number(f.read) + Number(f.pages) + 2),
  );
  add(
    'Graph requests (unchanged re-sync)',
    String(second.graphRequests),
    `first sync: ${first.graphRequests}`,
    ratio(second.graphRequests, first.graphRequests),
  );
  add(
    'wall time (unchanged re-sync)',
    `${second.seconds.toFixed(2)} s`,
    `first sync: ${first.seconds.toFixed(1)} s`,
    ratio(second.seconds, first.seconds),
  );
  add('groups written (unchanged re-sync)', String(s.written), '0', s.written === 0 ? 'ok' : 'FAIL');
  add(
    'documents written (unchanged re-sync)',
    String(s.documentsWritten),
    '3 (the state document: open, page, commit)',
    ratio(Number(s.documentsWritten), 3),
  );
  add(
    'peak heap over idle (first)',
    mb(first.peakHeap - idleHeap),
    `idle heap ${mb(idleHeap)}`,
    ratio(first.peakHeap, idleHeap),
  );
  add(
    'peak heap over idle (re-sync)',
    mb(second.peakHeap - idleHeap),
    `idle heap ${mb(idleHeap)}`,
    ratio(second.peakHeap, idleHeap),
  );
  add(
    'retained heap over idle (first)',
    mb(first.retainedHeap - idleHeap),
    `${GROUPS} groups`,
    `${((first.retainedHeap - idleHeap) / GROUPS).toFixed(0)} B/group`,
  );
  add(
    'retained heap over idle (re-sync)',
    mb(second.retainedHeap - idleHeap),
    `${GROUPS} groups`,
    `${((second.retainedHeap - idleHeap) / GROUPS).toFixed(0)} B/group`,
  );
  add('peak RSS of the app process', mb(process.resourceUsage().maxRSS * 1024), '', '');
  add('peak RSS of Cosmos DB', mb(cosmosPeak), '', '');
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  console.log(`\nDirectory groups sync of ${GROUPS} groups, ${LATENCY_MS} ms Graph latency\n`);
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  console.log(
    `\nfirst run ${first.run.id}: ${JSON.stringify(f)}\n  Graph: ${JSON.stringify(first.endpoints)}` +
      `\nsecond run ${second.run.id}: ${JSON.stringify(s)}\n  Graph: ${JSON.stringify(second.endpoints)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
