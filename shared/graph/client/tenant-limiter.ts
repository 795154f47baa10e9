import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Bounds the Graph requests in flight for one Entra tenant, and holds all of them back while Graph has
 * asked that tenant to wait (a 429's Retry-After applies to the tenant and app, not to one request).
 */
export class TenantLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private pausedUntil = 0;

  constructor(readonly maxConcurrency: number) {}

  /** Resolves with the release function once a slot is free and no pause is in force. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.active >= this.maxConcurrency) await this.queue(signal);
    else this.active++;
    try {
      for (let wait = this.pausedUntil - Date.now(); wait > 0; wait = this.pausedUntil - Date.now()) {
        await sleep(wait, undefined, { signal });
      }
    } catch (error) {
      this.release();
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  /** Holds every request of the tenant for `ms` from now (extends, never shortens, a pause). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  get inFlight(): number {
    return this.active;
  }

  private queue(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  /** Hands the slot straight to the next waiter, so `active` never drops between them. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

/** One limiter per Entra tenant, shared by every client of that tenant created from the same registry. */
export class TenantLimiters {
  private readonly limiters = new Map<string, TenantLimiter>();

  constructor(private readonly maxConcurrency: number) {}

  forTenant(entraTenantId: string): TenantLimiter {
    const key = entraTenantId.toLowerCase();
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new TenantLimiter(this.maxConcurrency);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }
}
