import type { SyncMeasurement } from './inventory-report';

/**
 * `npm run bench:inventory --faults 10` (npm passes `--faults` as `npm_config_faults=true` and the `10`
 * as an argument), `npm run bench:inventory -- --faults 10` or `--faults=10`: the percentage of Graph
 * requests the simulated Graph answers with an injected 429. 0 when absent.
 */
export function faultPercentFromArgs(argv = process.argv.slice(2), env = process.env): number {
  const parse = (value: string | undefined) => {
    const percent = Number(value);
    if (value === undefined || value === '' || !Number.isFinite(percent) || percent < 0 || percent > 100)
      throw new Error(`--faults takes a percentage from 0 to 100, not '${value ?? ''}'.`);
    return percent;
  };
  const flag = argv.findIndex((arg) => arg === '--faults' || arg.startsWith('--faults='));
  if (flag >= 0) {
    const arg = argv[flag]!;
    return parse(arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[flag + 1]);
  }
  const configured = env.npm_config_faults;
  if (configured === undefined || configured === '' || configured === 'false') return 0;
  return parse(configured === 'true' ? argv.find((arg) => /^\d+(\.\d+)?$/.test(arg)) : configured);
}

type Log = SyncMeasurement['log'];
const line = (label: string, text: string) => console.log(`  ${label.padEnd(30)}${text}`);

/** 429s the simulated Graph injected (`fault`) and those its rate limit answered (`throttled`). */
export function count429s(log: Log): { injected: number; throttled: number } {
  const answered = log.filter((entry) => entry.status === 429);
  return {
    injected: answered.filter((entry) => entry.fault === '429').length,
    throttled: answered.filter((entry) => entry.throttled).length,
  };
}

/** The faulted unchanged sync against the fault-free one of the same invocation (same Graph reads). */
export function reportFaults(percent: number, faultFree: SyncMeasurement, faulted: SyncMeasurement): void {
  const counts = count429s(faulted.log);
  const ratio = faulted.seconds / faultFree.seconds;
  console.log(`\nThird sync, nothing changed, ${percent} % of Graph requests answered 429 (injected)`);
  line(
    'wall time',
    `${faulted.seconds.toFixed(1)} s (${faulted.run.outcome}); ${counts.injected} injected 429s, ` +
      `${counts.throttled} throttled by the rate limit`,
  );
  line('fault-free (second sync)', `${faultFree.seconds.toFixed(1)} s`);
  line('ratio', `${ratio.toFixed(2)}× the fault-free sync (target ≤ 1.5×)`);
  if (faulted.run.outcome !== 'succeeded')
    console.log('\nFailures of the faulted sync:', JSON.stringify(faulted.run.failures));
}
