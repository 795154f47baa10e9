import type { LocalCloud } from '../emulators/cloud';
import { INTUNE_RATE_LIMIT } from '../emulators/microsoft';
import { connectBenchTenant, measureRun, peakRss, withBenchCloud } from './harness';
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
  console.log(`Starting the local cloud with a generated tenant of ${OBJECTS} objects…`);
  await withBenchCloud(`${TENANT}:${OBJECTS}:7`, async (cloud, cosmosPid) => {
    const measured = await bench(cloud);
    report({ ...measured, latencyMs: LATENCY_MS, cosmosPeakBytes: peakRss(cosmosPid) });
  });
}

async function bench(cloud: LocalCloud) {
  const tenant = await connectBenchTenant(cloud, TENANT, LATENCY_MS);
  const baselineRss = process.memoryUsage().rss;
  const sync = async (): Promise<SyncMeasurement> => {
    const measured = await measureRun<SyncMeasurement['run']>(tenant, 'inventory.sync');
    return { ...measured, log: measured.log as SyncMeasurement['log'] };
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
