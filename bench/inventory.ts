import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalCloud, type LocalCloud } from '../emulators/cloud';
import { INTUNE_RATE_LIMIT } from '../emulators/microsoft';
import { jsonClient, peakRss, startCosmosProcess } from './harness';
import { report, type SyncMeasurement } from './inventory-report';

/**
 * `npm run bench:inventory`: a full inventory sync of a generated tenant of 10,000 objects with 50 ms
 * Graph latency and Intune's rate limit, then a second sync with nothing changed. The app, its Functions
 * host and the simulated Microsoft cloud run in this process (as `npm start` runs them); Cosmos DB runs
 * in a process of its own, as it is remote in Azure, so the memory printed is the app's side.
 */

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 10_000);
export const LATENCY_MS = 50;
const TENANT = 'bench';
const BUDGET_REFILL_SECONDS = INTUNE_RATE_LIMIT.app.windowSeconds + 1;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tenantatlas-bench-'));
  const cosmos = await startCosmosProcess(path.join(dataDir, 'cosmos'));
  Object.assign(process.env, {
    COSMOS_ENDPOINT: cosmos.endpoint,
    COSMOS_KEY: cosmos.key,
    LOCAL_FUNCTIONS_PORT: '0',
    LOCAL_SIGNALR_PORT: '0',
    LOCAL_MICROSOFT_PORT: '0',
    LOCAL_MICROSOFT_EXTRA_TENANTS: `${TENANT}:${OBJECTS}:7`,
  });
  console.log(`Starting the local cloud with a generated tenant of ${OBJECTS} objects…`);
  const quiet = (message: string) => (/error|fail/i.test(message) ? console.error(message) : undefined);
  let cloud: LocalCloud | undefined;
  try {
    cloud = await startLocalCloud({ dataDir, log: quiet });
    const measured = await bench(cloud);
    report({ ...measured, latencyMs: LATENCY_MS, cosmosPeakBytes: peakRss(cosmos.child.pid!) });
  } finally {
    await cloud?.stop();
    cosmos.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function bench(cloud: LocalCloud) {
  const { description } = cloud;
  const microsoft = description.microsoft as {
    controlUrl: string;
    tenants: Array<{ name: string; entraTenantId: string; clientId: string; clientSecret: string }>;
  };
  const token = description.demo!.users.find((user) => user.name === 'alice')!.token;
  const api = jsonClient(description.functions.apiBaseUrl, { authorization: `Bearer ${token}` });
  const control = jsonClient(microsoft.controlUrl, {});
  const target = microsoft.tenants.find((tenant) => tenant.name === TENANT)!;
  await control('PATCH', `/tenants/${TENANT}/realism`, {
    latency: { fixedMs: LATENCY_MS, jitterMs: 0 },
    rateLimit: INTUNE_RATE_LIMIT,
  });
  const workspace = await api('POST', '/workspaces', { name: 'Inventory benchmark' });
  const base = `/workspaces/${String(workspace.id)}/tenants`;
  const tenant = await api('POST', base, { name: 'bench', displayName: 'Bench' });
  const tenantBase = `${base}/${String(tenant.id)}`;
  await api('POST', `${tenantBase}/provider-connections`, {
    displayName: 'Simulated bench tenant',
    entraTenantId: target.entraTenantId,
    clientId: target.clientId,
    credential: { authType: 'client_secret', clientSecret: target.clientSecret },
  });

  const baselineRss = process.memoryUsage().rss;
  const sync = async (): Promise<SyncMeasurement> => {
    const since = Number((await control('GET', '/requests?since=999999999')).lastSeq);
    let peakHeap = 0;
    const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 100);
    const started = performance.now();
    const start = await api('POST', `${tenantBase}/operations`, { type: 'inventory.sync' });
    const runId = String((start.run as { id: string }).id);
    let run: SyncMeasurement['run'];
    for (;;) {
      run = (await api('GET', `/operations/${runId}`)) as unknown as SyncMeasurement['run'];
      if (run.status === 'completed') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const log = (await control('GET', `/requests?tenant=${TENANT}&since=${since}`)).entries;
    return { run, seconds, log: log as SyncMeasurement['log'], peakHeap };
  };

  console.log('First sync (empty inventory)…');
  const first = await sync();
  // Like a daily sync, the second one starts with Graph's budget refilled (the first one spent it all).
  console.log(`Waiting ${BUDGET_REFILL_SECONDS} s for the rate limit's budget to refill…`);
  await new Promise((resolve) => setTimeout(resolve, BUDGET_REFILL_SECONDS * 1000));
  console.log('Second sync (nothing changed)…');
  const second = await sync();
  return { first, second, baselineRss, peakRss: process.resourceUsage().maxRSS * 1024 };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
