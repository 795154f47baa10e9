import type { RealismSettings } from './settings';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

type Limit = RealismSettings['rateLimit']['tenant'];

/**
 * Token buckets per tenant and per app per tenant (capacity = requests per window, refilled continuously).
 * A request takes a token from every bucket that applies; when one is empty the answer is 429 with the
 * seconds until that bucket has a token again.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Returns 0 when allowed, else the Retry-After in whole seconds (at least 1). */
  take(settings: RealismSettings['rateLimit'], tenantId: string, appId: string, write: boolean): number {
    if (!settings.enabled) return 0;
    const checks: Array<[string, Limit]> = [
      [`t:${tenantId}`, settings.tenant],
      [`a:${tenantId}:${appId}`, settings.app],
    ];
    if (write) {
      checks.push([`wt:${tenantId}`, settings.writesTenant], [`wa:${tenantId}:${appId}`, settings.writesApp]);
    }
    const now = this.now();
    let wait = 0;
    const buckets = checks.map(([key, limit]) => {
      const bucket = this.refill(key, limit, now);
      if (bucket.tokens < 1)
        wait = Math.max(wait, ((1 - bucket.tokens) * limit.windowSeconds) / limit.requests);
      return bucket;
    });
    if (wait > 0) return Math.max(1, Math.ceil(wait));
    for (const bucket of buckets) bucket.tokens -= 1;
    return 0;
  }

  private refill(key: string, limit: Limit, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: limit.requests, updatedAt: now };
      this.buckets.set(key, bucket);
    }
    const rate = limit.requests / (limit.windowSeconds * 1000);
    bucket.tokens = Math.min(limit.requests, bucket.tokens + (now - bucket.updatedAt) * rate);
    bucket.updatedAt = now;
    return bucket;
  }

  reset(tenantId?: string): void {
    if (!tenantId) return this.buckets.clear();
    for (const key of [...this.buckets.keys()]) if (key.includes(tenantId)) this.buckets.delete(key);
  }
}
