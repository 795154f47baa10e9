import type { LocalCloud } from '../emulators/cloud';
import { INTUNE_RATE_LIMIT } from '../emulators/microsoft';
import { connectBenchTenant, measureRun, peakRss, withBenchCloud } from './harness';
import { faultPercentFromArgs, reportFaults } from './inventory-faults';
import { report, type SyncMeasurement } from './inventory-report';

/**
 * `npm run bench:inventory`: a full inventory sync of a generated tenant of 10,000 objects with 50 ms
 * Graph latency and Intune's rate limit, then a second sync with nothing changed. The app, its Functions
 * host and the simulated Microsoft cloud run in this process (as `npm start` runs them); Cosmos DB runs
 * in a process of its own, as it is remote in Azure, so the memory printed is the app's side.
 * With `--faults N`, a third sync (nothing changed, like the second) runs with N % of Graph's answers
 * injected 429s, and its wall time is printed against the second's.
 */

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 10_000);
export const LATENCY_MS = 50;
const TENANT = 'bench';
const BUDGET_REFILL_SECONDS = INTUNE_RATE_LIMIT.app.windowSeconds + 1;
const FAULT_SEED = 19;

async function main(): Promise<void> {
  console.log(`Starting the local cloud with a generated tenant of ${OBJECTS} objects…`);
  const faultPercent = faultPercentFromArgs();
  await withBenchCloud(`${TENANT}:${OBJECTS}:7`, async (cloud, cosmosPid) => {
    const measured = await bench(cloud, faultPercent);
    report({ ...measured, latencyMs: LATENCY_MS, cosmosPeakBytes: peakRss(cosmosPid) });
    if (measured.faulted) reportFaults(faultPercent, measured.second, measured.faulted);
  });
}

const refill = async () => {
  // Like a daily sync, the next one starts with Graph's budget refilled (the one before spent it all).
  console.log(`Waiting ${BUDGET_REFILL_SECONDS} s for the rate limit's budget to refill…`);
  await new Promise((resolve) => setTimeout(resolve, BUDGET_REFILL_SECONDS * 1000));
};

async function bench(cloud: LocalCloud, faultPercent: number) {
  const tenant = await connectBenchTenant(cloud, TENANT, LATENCY_MS);
  const baselineRss = process.memoryUsage().rss;
  const sync = async (): Promise<SyncMeasurement> => {
    const measured = await measureRun<SyncMeasurement['run']>(tenant, 'inventory.sync');
    return { ...measured, log: measured.log as SyncMeasurement['log'] };
  };

  console.log('First sync (empty inventory)…');
  const first = await sync();
  await refill();
  console.log('Second sync (nothing changed)…');
  const second = await sync();
  const peak = process.resourceUsage().maxRSS * 1024;
  let faulted: SyncMeasurement | undefined;
  if (faultPercent > 0) {
    await refill();
    await tenant.control('PATCH', `/tenants/${tenant.tenant}/realism?reseed=true`, {
      faults: { rate429: faultPercent / 100, seed: FAULT_SEED },
    });
    console.log(`Third sync (nothing changed, ${faultPercent} % injected 429s)…`);
    faulted = await sync();
  }
  return { first, second, faulted, baselineRss, peakRss: peak };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
