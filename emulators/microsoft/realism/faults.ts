import { Prng } from '../prng';
import type { LostResponse, RealismSettings } from './settings';

export type Fault = '429' | '503' | '504' | 'reset';

/** Draws injected faults from a PRNG seeded per tenant: the same seed and request order give the same faults. */
export class FaultInjector {
  private prng: Prng;
  private seed: number;

  constructor(seed: number) {
    this.seed = seed;
    this.prng = new Prng(seed);
  }

  /** Re-seeds when the configured seed changed (or when forced), so a test can replay a sequence. */
  reseed(seed: number, force = false): void {
    if (force || seed !== this.seed) {
      this.seed = seed;
      this.prng = new Prng(seed);
    }
  }

  draw(settings: RealismSettings['faults'], allowReset: boolean): Fault | undefined {
    const { rate429, rate503, rate504, resetRate } = settings;
    if (rate429 + rate503 + rate504 + resetRate <= 0) return undefined;
    this.reseed(settings.seed);
    const r = this.prng.next();
    if (r < rate429) return '429';
    if (r < rate429 + rate503) return '503';
    if (r < rate429 + rate503 + rate504) return '504';
    if (r < rate429 + rate503 + rate504 + resetRate) return allowReset ? 'reset' : '503';
    return undefined;
  }
}

export function latencyMs(settings: RealismSettings['latency'], random: () => number): number {
  return settings.fixedMs + (settings.jitterMs > 0 ? random() * settings.jitterMs : 0);
}

/**
 * The lost-response rule a successful write fires, if any: the first rule with `times` left whose method
 * and path pattern match. Its `times` counts down, so the control API shows what is left.
 */
export function takeLostResponse(
  settings: RealismSettings['faults'],
  method: string,
  path: string,
): LostResponse | undefined {
  const rule = settings.lostResponses.find(
    (r) => r.times > 0 && r.method === method && new RegExp(r.pathPattern).test(path),
  );
  if (rule) rule.times -= 1;
  return rule;
}
