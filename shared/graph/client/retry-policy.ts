/** Statuses Graph asks clients to retry: throttling and transient unavailability. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

/**
 * Which failures may be retried: reads always; writes only on 429 and 503, which Graph sends before doing
 * anything. A 504 or a dropped connection may come after a write took effect, and a second create would
 * duplicate the object.
 */
export function mayRetry(idempotent: boolean, status: number | 'transport'): boolean {
  if (status === 'transport') return idempotent;
  if (!RETRYABLE_STATUSES.has(status)) return false;
  return idempotent || status === 429 || status === 503;
}

export interface RetryPolicy {
  maxRetries: number;
  maxDelayMs: number;
  random?: () => number;
}

const BASE_DELAY_MS = 500;

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait before retry number `retry` (1-based): what Retry-After asks plus up to 20% jitter, so that
 * the requests throttled together do not come back together; without it, exponential backoff with
 * jitter (half fixed, half random). Never above the cap.
 */
export function retryDelayMs(policy: RetryPolicy, retry: number, retryAfter?: string | null): number {
  const random = policy.random ?? Math.random;
  const hinted = parseRetryAfter(retryAfter);
  if (hinted !== undefined)
    return Math.min(policy.maxDelayMs, hinted + random() * Math.min(hinted * 0.2, 1000));
  const exponential = Math.min(policy.maxDelayMs, BASE_DELAY_MS * 2 ** (retry - 1));
  return exponential / 2 + random() * (exponential / 2);
}
