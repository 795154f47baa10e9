import { Prng } from '../prng';
import type { RealismSettings } from './settings';

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
