import { rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { ROUND_TRIPS_HEADER } from '../emulators/functions-host/round-trips';
import { startCloudProcess } from '../tests/support/cloud-process';
import { argValue, cpuTimeMs, jsonClient, percentile } from './harness';
import { measureStoreCapacity, type StoreCapacity } from './store-capacity';

/**
 * `npm run bench:start`: start latency and throughput of the start route under a burst. Starts its own
 * local cloud (the compiled `npm start`, as the tests do), makes 20 tenants connected to the simulated
 * Microsoft tenants, fires 200 health-check starts at once across them (10 per tenant: one starts, the
 * rest are deduplicated by the gate) and waits for the started runs to finish.
 */

const TENANTS = 20;
const STARTS = 200;
/** How long the simulated Microsoft cloud takes to answer during the burst (`setGraphLatency`). */
const GRAPH_LATENCY_MS = 2_000;
/**
 * Issue 19's bound on the burst's p95 (its throughput target is ≥ 4× the baseline's), and the baseline's
 * p95 the issue measured: on this shared machine the bound is also read against the baseline's p95
 * measured in the same invocation.
 */
const P95_BOUND_MS = 700;
const ISSUE_BASELINE_P95_MS = 2_718;

interface Result {
  status: number;
  ms: number;
  runId?: string;
  /** The local host's count of this request's Cosmos round trips, by kind. */
  roundTrips: Record<string, number>;
}

interface Measured {
  results: Result[];
  wallMs: number;
  /** CPU time the local cloud's process used during the burst (every start, its Cosmos DB, its Durable engine). */
  cpuMs: number | undefined;
  started: number;
  completed: number[];
  sequential: number[];
  capacity: StoreCapacity;
}

/**
 * `--baseline DIR`: first the same measurement against another compiled checkout (e.g. a worktree of
 * the commit before a change, `npm run -s compile` there), then this one, and their ratio: both in the
 * same invocation, so the machine's load is as alike as it gets. `--cpu-prof DIR`: this checkout's local
 * cloud writes a V8 CPU profile there when it stops (open it in DevTools).
 */
async function main(): Promise<void> {
  const baselineRoot = argValue('--baseline');
  const profileDir = argValue('--cpu-prof');
  const baseline = baselineRoot ? await measure({ root: baselineRoot }) : undefined;
  const current = await measure(
    profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {},
  );
  if (baseline) {
    console.log(`\n=== Baseline (${baselineRoot}) ===`);
    report(baseline);
    console.log('\n=== This checkout ===');
  }
  report(current);
  if (baseline) {
    const rate = (m: Measured) => m.results.length / m.wallMs;
    const p95 = (m: Measured) =>
      percentile(
        m.results.map((r) => r.ms),
        95,
      );
    const cpu = (m: Measured) => (m.cpuMs ?? Number.NaN) / m.results.length;
    console.log(
      `\nAgainst the baseline in this run: throughput ${(rate(current) / rate(baseline)).toFixed(1)}× ` +
        `(${(rate(baseline) * 1000).toFixed(0)} → ${(rate(current) * 1000).toFixed(0)} starts/s), ` +
        `p95 ${p95(baseline).toFixed(0)} → ${p95(current).toFixed(0)} ms, CPU per start ` +
        `${cpu(baseline).toFixed(1)} → ${cpu(current).toFixed(1)} ms (${(cpu(baseline) / cpu(current)).toFixed(1)}× less), store capacity ` +
        `${baseline.capacity.pointReadsPerSecond.toFixed(0)} → ${current.capacity.pointReadsPerSecond.toFixed(0)} point reads/s`,
    );
    const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
    const speedup = rate(current) / rate(baseline);
    const lower = p95(baseline) / p95(current);
    console.log(
      `Issue 19's burst targets: throughput ≥ 4× the baseline: ${speedup.toFixed(1)}× (${verdict(speedup >= 4)}); ` +
        `p95 ≤ ${P95_BOUND_MS} ms: ${(p95(current) / P95_BOUND_MS).toFixed(2)}× the bound (${verdict(p95(current) <= P95_BOUND_MS)}); ` +
        `the same bound against this run's baseline (the issue measured ${ISSUE_BASELINE_P95_MS} ms, so ` +
        `${(ISSUE_BASELINE_P95_MS / P95_BOUND_MS).toFixed(1)}× lower): ${lower.toFixed(1)}× lower ` +
        `(${verdict(lower >= ISSUE_BASELINE_P95_MS / P95_BOUND_MS)})`,
    );
  }
  if ([...current.results, ...(baseline?.results ?? [])].some((r) => r.status >= 500)) process.exitCode = 1;
}

async function measure(options: { root?: string; nodeArgs?: string[] }): Promise<Measured> {
  console.log(`Starting a local cloud for the benchmark${options.root ? ` from ${options.root}` : ''}…`);
  const cloud = await startCloudProcess({ env: { LOCAL_EXTRA_ENTRY_FILES: '' }, ...options });
  const agent = new Agent({ keepAlive: true });
  try {
    const { apiBaseUrl } = cloud.description.functions;
    const token = cloud.description.demo!.users.find((u) => u.name === 'alice')!.token;
    const simulated = cloud.description.microsoft as {
      controlUrl: string;
      tenants: Array<{ name: string; entraTenantId: string; clientId: string; clientSecret: string }>;
    };
    const microsoft = simulated.tenants.filter((t) => t.name === 'contoso' || t.name === 'fabrikam');
    const control = jsonClient(simulated.controlUrl, {});
    /** Every simulated tenant answers Entra ID and Graph requests after `ms`. */
    const setGraphLatency = (ms: number) =>
      control('PATCH', '/realism', { latency: { fixedMs: ms, jitterMs: 0 } });
    const send = httpClient(agent);
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await send(
        method,
        `${apiBaseUrl}${path}`,
        { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body === undefined ? undefined : JSON.stringify(body),
      );
      return {
        status: response.status,
        body: response.text ? (JSON.parse(response.text) as Record<string, never>) : undefined,
        roundTrips: parseRoundTrips(response.roundTrips),
      };
    };

    const workspace = await call('POST', '/workspaces', { name: 'Start benchmark' });
    const workspaceId = String((workspace.body as { id?: string } | undefined)?.id);
    const tenantIds: string[] = [];
    // One more tenant than the burst uses: its start warms the start route and the run's whole path.
    for (let i = 0; i <= TENANTS; i++) {
      const tenant = await call('POST', `/workspaces/${workspaceId}/tenants`, {
        name: `bench-${i}`,
        displayName: `Bench tenant ${i}`,
      });
      const tenantId = String((tenant.body as { id?: string } | undefined)?.id);
      const target = microsoft[i % microsoft.length]!;
      const connection = await call(
        'POST',
        `/workspaces/${workspaceId}/tenants/${tenantId}/provider-connections`,
        {
          displayName: `Simulated ${target.name}`,
          entraTenantId: target.entraTenantId,
          clientId: target.clientId,
          credential: { authType: 'client_secret', clientSecret: target.clientSecret },
        },
      );
      if (tenant.status !== 201 || connection.status !== 201) throw new Error('setting up tenants failed');
      tenantIds.push(tenantId);
    }
    // Steady state, not first use: one start on a tenant of its own, waited to its end, compiles and
    // warms the start route, the gate, the orchestration and its activities (and the caller's token)
    // as any earlier start would; the burst's tenants still start their first run in it.
    const warmUp = await call('POST', `/workspaces/${workspaceId}/tenants/${tenantIds.pop()!}/operations`, {
      type: 'provider.health_check',
    });
    await waitForRuns(call, [String((warmUp.body as { run?: { id: string } } | undefined)?.run?.id)]);
    // The burst is 20 starts and 180 deduplicated ones only while each started run is still active
    // when its tenant's last start arrives. The simulated Graph answers in well under a millisecond,
    // so a health check could end inside the burst and a later start on its tenant start a new run;
    // Microsoft's own latency (a token, then a read: hundreds of ms each) keeps it active. The runs'
    // own work is the same, only spread over their wait.
    await setGraphLatency(GRAPH_LATENCY_MS);

    await openConnections(send, apiBaseUrl, STARTS);
    console.log(`Firing ${STARTS} concurrent starts across ${TENANTS} tenants…`);
    const cpuBefore = cpuTimeMs(cloud.pid);
    const began = performance.now();
    const results = await Promise.all(
      Array.from({ length: STARTS }, async (_, i): Promise<Result> => {
        const t0 = performance.now();
        const response = await call(
          'POST',
          `/workspaces/${workspaceId}/tenants/${tenantIds[i % TENANTS]}/operations`,
          { type: 'provider.health_check' },
        );
        const run = (response.body as { run?: { id: string } } | undefined)?.run;
        return {
          status: response.status,
          ms: performance.now() - t0,
          roundTrips: response.roundTrips,
          ...(run && { runId: run.id }),
        };
      }),
    );
    const wallMs = performance.now() - began;
    const cpuAfter = cpuTimeMs(cloud.pid);
    const cpuMs = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;

    const started = [...new Set(results.filter((r) => r.status === 202).map((r) => r.runId!))];
    const completed = await waitForRuns(call, started);
    // The same start without contention: one at a time, each on an idle tenant. The simulated Microsoft
    // cloud still answers after its latency, so the runs of the starts before wait on it, as in the
    // burst, instead of running beside the next start measured.
    const sequential: number[] = [];
    for (const tenantId of tenantIds) {
      const t0 = performance.now();
      const response = await call('POST', `/workspaces/${workspaceId}/tenants/${tenantId}/operations`, {
        type: 'provider.health_check',
      });
      if (response.status === 202) sequential.push(performance.now() - t0);
    }
    await setGraphLatency(0);
    const capacity = await measureStoreCapacity(cloud.description.cosmos);
    return { results, wallMs, cpuMs, started: started.length, completed, sequential, capacity };
  } finally {
    agent.destroy();
    await cloud.stop();
    rmSync(cloud.dataDir, { recursive: true, force: true });
  }
}

/**
 * Opens the benchmark client's `count` connections before the burst, so its starts reach the host
 * together: opened during the burst, on a busy two-core machine, the client's connections trickled in
 * over most of a second (about 40 requests had arrived after 450 ms), and the starts were not
 * concurrent at all. Each connection carries one request to a path no function serves, which the
 * host's front door answers 404 without invoking the app; the agent keeps them for the burst.
 */
async function openConnections(send: Send, apiBaseUrl: string, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, () => send('GET', `${apiBaseUrl}/bench-connection-warm-up`, {})),
  );
}

type Send = ReturnType<typeof httpClient>;

/**
 * The benchmark's HTTP client: Node's own, with one keep-alive agent whose idle connections every
 * request takes before a new one is opened. (`fetch` did not: after its 200 connections were opened,
 * a burst sometimes went out on only 124–146 of them and opened the rest anew, so a third of the starts
 * queued in the client and trickled in.)
 */
function httpClient(agent: Agent) {
  return (method: string, url: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; text: string; roundTrips: string | null }>((resolve, reject) => {
      const req = httpRequest(url, { method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', reject);
        res.once('end', () => {
          const roundTrips = res.headers[ROUND_TRIPS_HEADER];
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            roundTrips: typeof roundTrips === 'string' ? roundTrips : null,
          });
        });
      });
      req.once('error', reject);
      req.end(body);
    });
}

type Call = (method: string, path: string) => Promise<{ status: number; body?: Record<string, never> }>;

/** Start → completed per run, from the run documents' own times. */
async function waitForRuns(call: Call, runIds: string[]): Promise<number[]> {
  const deadline = Date.now() + 120_000;
  const durations = new Map<string, number>();
  while (durations.size < runIds.length && Date.now() < deadline) {
    for (const id of runIds.filter((r) => !durations.has(r))) {
      const run = (await call('GET', `/operations/${id}`)).body as
        { status?: string; createdAt?: string; completedAt?: string } | undefined;
      if (run?.status === 'completed')
        durations.set(id, Date.parse(run.completedAt!) - Date.parse(run.createdAt!));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return [...durations.values()];
}

function report(measured: Measured): void {
  const { results, wallMs, cpuMs, started, completed, sequential, capacity } = measured;
  const byStatus = new Map<number, number[]>();
  for (const r of results) byStatus.set(r.status, [...(byStatus.get(r.status) ?? []), r.ms]);
  const row = (label: string, values: number[]) =>
    `  ${label.padEnd(22)} n=${String(values.length).padStart(3)}  p50 ${percentile(values, 50).toFixed(1).padStart(7)} ms` +
    `  p95 ${percentile(values, 95).toFixed(1).padStart(7)} ms  max ${Math.max(...values)
      .toFixed(1)
      .padStart(7)} ms`;
  console.log('\nStart latency (HTTP round trip of POST …/operations):');
  console.log(
    row(
      'all responses',
      results.map((r) => r.ms),
    ),
  );
  for (const [status, values] of [...byStatus].sort(([a], [b]) => a - b)) {
    const label =
      { 202: '202 started', 200: '200 deduplicated', 409: '409 scope_busy' }[status] ?? `${status}`;
    console.log(row(label, values));
  }
  console.log(
    `\nThroughput: ${((results.length / wallMs) * 1000).toFixed(0)} starts/s answered ` +
      `(${results.length} in ${wallMs.toFixed(0)} ms), ${started} runs started`,
  );
  console.log(`5xx responses: ${results.filter((r) => r.status >= 500).length}`);
  if (cpuMs !== undefined)
    console.log(
      `Local cloud CPU during the burst: ${cpuMs.toFixed(0)} ms, ${(cpuMs / results.length).toFixed(1)} ms per answered start ` +
        `(one thread: at most ${((results.length / cpuMs) * 1000).toFixed(0)} starts/s on a core of its own)`,
    );
  console.log(row('\nuncontended 202 (one at a time)', sequential).replace(/^ {2}/, ''));
  if (completed.length > 0)
    console.log(
      `Started runs, queued → completed: p50 ${percentile(completed, 50)} ms, p95 ${percentile(completed, 95)} ms ` +
        `(${completed.length}/${started} finished)`,
    );
  reportWhy(results, wallMs, capacity);
}

function parseRoundTrips(header: string | null): Record<string, number> {
  return Object.fromEntries(
    (header ?? '')
      .split(' ')
      .filter(Boolean)
      .map((pair) => {
        const [kind, n] = pair.split('=');
        return [kind!, Number(n)];
      }),
  );
}

const OUTCOMES: Record<number, string> = { 202: 'started', 200: 'deduplicated', 409: 'scope busy' };

/**
 * Why the figures are what they are: each outcome's Cosmos round trips (the local host counts them per
 * request), and the burst's load as a share of what the store allows on this machine in the same run.
 */
function reportWhy(results: Result[], wallMs: number, capacity: StoreCapacity): void {
  if (results.every((r) => Object.keys(r.roundTrips).length === 0)) {
    console.log("\n(This checkout's local host does not count Cosmos round trips per request.)");
    return;
  }
  console.log(
    `\nStore capacity (same run, its own client, 32 in flight): ` +
      `${capacity.pointReadsPerSecond.toFixed(0)} point reads/s, ` +
      `${capacity.writesPerSecond.toFixed(0)} single-document writes/s`,
  );
  console.log('Cosmos round trips per start, by outcome (mean per request):');
  let reads = 0;
  let writes = 0;
  for (const [status, label] of Object.entries(OUTCOMES)) {
    const group = results.filter((r) => r.status === Number(status));
    if (group.length === 0) continue;
    const kinds = new Map<string, number>();
    for (const r of group)
      for (const [kind, n] of Object.entries(r.roundTrips)) kinds.set(kind, (kinds.get(kind) ?? 0) + n);
    const mean = (kind: string) => (kinds.get(kind) ?? 0) / group.length;
    const total = [...kinds.values()].reduce((sum, n) => sum + n, 0) - (kinds.get('durable') ?? 0);
    console.log(
      `  ${label.padEnd(13)} n=${String(group.length).padStart(3)}  ${(total / group.length).toFixed(1)} round trips: ` +
        [...kinds.keys()].map((kind) => `${kind} ${mean(kind).toFixed(1)}`).join(', '),
    );
    reads += (kinds.get('pointReads') ?? 0) + (kinds.get('queries') ?? 0) + (kinds.get('metadata') ?? 0);
    writes +=
      total - (kinds.get('pointReads') ?? 0) - (kinds.get('queries') ?? 0) - (kinds.get('metadata') ?? 0);
  }
  const seconds = wallMs / 1000;
  const share = reads / seconds / capacity.pointReadsPerSecond + writes / seconds / capacity.writesPerSecond;
  console.log(
    `The burst: ${(reads / seconds).toFixed(0)} reads/s and ${(writes / seconds).toFixed(0)} writes/s to Cosmos = ` +
      `${(share * 100).toFixed(0)} % of what the store alone allows (reads and writes each as a share of its own capacity).`,
  );
  const perStart = (reads + writes) / results.length;
  console.log(
    `At ${perStart.toFixed(1)} round trips per answered start, the store alone allows about ` +
      `${(1 / (perStart / 2 / capacity.pointReadsPerSecond + perStart / 2 / capacity.writesPerSecond)).toFixed(0)} ` +
      `starts/s if they were half reads, half writes; measured ${((results.length / wallMs) * 1000).toFixed(0)}/s.`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
