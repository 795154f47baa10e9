import { connectBenchTenant, percentile, withBenchCloud, type JsonClient } from './harness';

/**
 * `npm run bench:watch`: a generated tenant of 10,000 objects, one full sync, then 50 changes by four
 * administrators (updates and assignment-only changes) spread over 10 watch intervals. Time is
 * compressed: the watch interval is `INTERVAL_SECONDS` (the product default is 5 minutes) and a watch is
 * started at every interval's end through the same tick the timer runs (the test-only `test/watch/tick`
 * function). Prints detection latency (change → its entry on the feed) against interval + audit delay +
 * 60 s, Graph requests per watch against the full sync's, and changes missed; then a full sync that must
 * find nothing new.
 */

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 10_000);
const CHANGES = 50;
const INTERVALS = 10;
const INTERVAL_SECONDS = Number(process.env.BENCH_INTERVAL_SECONDS ?? 6);
const AUDIT_DELAY_SECONDS = 2;
const LATENCY_MS = 20;
const TENANT = 'watchbench';
const ACTORS = ['adele.vance', 'alex.wilber', 'megan.bowen', 'nestor.wilke'];

interface Run {
  id: string;
  status: string;
  outcome: string;
  result: Record<string, unknown>;
}

async function waitRun(api: JsonClient, runId: string): Promise<Run> {
  for (;;) {
    const run = (await api('GET', `/operations/${runId}`)) as unknown as Run;
    if (run.status === 'completed') return run;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function main(): Promise<void> {
  process.env.LOCAL_EXTRA_ENTRY_FILES = 'dist/tests/fixtures/functions/watch.js';
  console.log(`Starting the local cloud with a generated tenant of ${OBJECTS} objects…`);
  await withBenchCloud(`${TENANT}:${OBJECTS}:21`, async (cloud) => {
    const bench = await connectBenchTenant(cloud, TENANT, LATENCY_MS);
    const { api, control, tenantBase } = bench;
    const functionsBase = cloud.description.functions.baseUrl;
    const tenantId = tenantBase.split('/').pop()!;
    const workspaceId = tenantBase.split('/')[2]!;
    await control('PATCH', `/tenants/${TENANT}/realism`, { audit: { delaySeconds: AUDIT_DELAY_SECONDS } });
    const requests = async () => Number((await control('GET', '/requests?since=999999999')).lastSeq);
    const graphRequestsSince = async (since: number) =>
      (
        (await control('GET', `/requests?tenant=${TENANT}&since=${since}`)).entries as Array<{
          endpoint: string;
        }>
      ).filter((entry) => !entry.endpoint.includes('oauth2')).length;

    console.log('Full sync…');
    let since = await requests();
    const start = await api('POST', `${tenantBase}/operations`, { type: 'inventory.sync' });
    const first = await waitRun(api, String((start.run as { id: string }).id));
    if (first.outcome !== 'succeeded') throw new Error(`full sync ${first.id} ended ${first.outcome}`);
    const syncRequests = await graphRequestsSince(since);
    // The timer must not start watches of its own during the benchmark: the ticks below are the clock.
    await api('PATCH', `${tenantBase}/watch`, { enabled: false });

    const changedAt = new Map<string, number>();
    const watchRequests: number[] = [];
    const perInterval = CHANGES / INTERVALS;
    console.log(`${CHANGES} changes over ${INTERVALS} intervals of ${INTERVAL_SECONDS} s…`);
    for (let interval = 0; interval < INTERVALS; interval++) {
      const began = Date.now();
      for (let i = 0; i < perInterval; i++) {
        const n = interval * perInterval + i;
        const response = await control('POST', `/tenants/${TENANT}/admin-changes`, {
          action: n % 10 === 9 ? 'assign' : 'update',
          ...(n % 10 === 9 && {
            collection: '/deviceManagement/deviceConfigurations',
            assignments: [{ target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }],
          }),
          actor: `${ACTORS[n % ACTORS.length]}@${TENANT}.example`,
          seed: 1000 + n,
        });
        const [change] = response.changes as Array<{ id: string }>;
        if (!changedAt.has(change!.id)) changedAt.set(change!.id, Date.now());
        await new Promise((resolve) => setTimeout(resolve, ((INTERVAL_SECONDS * 1000) / perInterval) * 0.8));
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, began + INTERVAL_SECONDS * 1000 - Date.now())),
      );
      since = await requests();
      const tick = await fetch(`${functionsBase}/api/test/watch/tick`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenantId }),
      });
      const { runIds } = (await tick.json()) as { runIds: string[] };
      const run = await waitRun(api, runIds[0]!);
      if (run.outcome !== 'succeeded') throw new Error(`watch ${run.id} ended ${run.outcome}`);
      watchRequests.push(await graphRequestsSince(since));
    }
    // The last changes' records arrive after the audit delay: one more interval's watch.
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_SECONDS * 1000));
    since = await requests();
    const tick = await fetch(`${functionsBase}/api/test/watch/tick`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantId }),
    });
    await waitRun(api, ((await tick.json()) as { runIds: string[] }).runIds[0]!);
    watchRequests.push(await graphRequestsSince(since));

    const feed: Array<{ graphId: string; observedAt: string }> = [];
    let token: string | undefined;
    do {
      const page = await api(
        'GET',
        `/workspaces/${workspaceId}/changes?tenantId=${tenantId}&limit=200${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`,
      );
      feed.push(...(page.items as typeof feed));
      token = page.continuationToken as string | undefined;
    } while (token);
    const latencies: number[] = [];
    let missed = 0;
    for (const [graphId, at] of changedAt) {
      const entries = feed.filter((entry) => entry.graphId === graphId).map((e) => Date.parse(e.observedAt));
      const seen = entries.filter((t) => t >= at - 1000).sort((a, b) => a - b)[0];
      if (seen === undefined) missed++;
      else latencies.push((seen - at) / 1000);
    }
    const pct = (p: number) => percentile(latencies, p);

    console.log('Full sync after the watches…');
    const again = await api('POST', `${tenantBase}/operations`, { type: 'inventory.sync' });
    const last = await waitRun(api, String((again.run as { id: string }).id));

    const bound = INTERVAL_SECONDS + AUDIT_DELAY_SECONDS + 60;
    const perWatch = watchRequests.reduce((a, b) => a + b, 0) / watchRequests.length;
    const rows: Array<[string, string, string, string]> = [
      ['changed objects', String(changedAt.size), `${CHANGES} changes`, ''],
      [
        'detection latency p50',
        `${pct(50).toFixed(1)} s`,
        `${bound} s (interval + delay + 60 s)`,
        `${(pct(50) / bound).toFixed(2)}×`,
      ],
      ['detection latency p95', `${pct(95).toFixed(1)} s`, `${bound} s`, `${(pct(95) / bound).toFixed(2)}×`],
      [
        'Graph requests per watch (mean)',
        perWatch.toFixed(1),
        `full sync: ${syncRequests}`,
        `${(perWatch / syncRequests).toFixed(3)}×`,
      ],
      [
        'Graph requests per watch (max)',
        String(Math.max(...watchRequests)),
        `full sync: ${syncRequests}`,
        '',
      ],
      ['changes missed', String(missed), '0', missed === 0 ? 'ok' : 'FAIL'],
      [
        'full sync after: changes not seen by the watch',
        String(last.result.changesNotSeenByWatch),
        '0',
        last.result.changesNotSeenByWatch === 0 ? 'ok' : 'FAIL',
      ],
    ];
    console.log(
      `\nbench:watch — ${OBJECTS} objects, interval ${INTERVAL_SECONDS} s (compressed), audit delay ${AUDIT_DELAY_SECONDS} s`,
    );
    for (const [what, value, against, ratio] of rows)
      console.log(`${what.padEnd(48)} ${value.padStart(10)}   vs ${against.padEnd(34)} ${ratio}`);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
