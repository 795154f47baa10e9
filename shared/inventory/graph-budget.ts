import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Intune's documented budget for one app in one tenant: 1000 requests per 20 s (every request of a
 * `$batch` counts). The inventory paces itself at 95 % of it, so a little is left for the rest of the
 * app, and a sync is not throttled into Retry-After pauses that would stall every read of the tenant.
 */
export const INTUNE_APP_BUDGET = { requests: 1000, windowSeconds: 20 } as const;
export const BUDGET_SHARE = 0.95;

/**
 * Intune throttles writes (POST, PATCH, PUT, DELETE) on a budget of their own, on top of the one above:
 * 100 per 20 s for one app in one tenant (the simulated cloud's `writesApp`). Restore paces its writes by
 * it, at the same share.
 */
export const INTUNE_APP_WRITE_BUDGET = { requests: 100, windowSeconds: 20 } as const;

/**
 * A token bucket per (Entra tenant, app) in this process: `take(n)` resolves once `n` requests may be
 * sent. Takers are served in arrival order, so a large batch is not starved by single pages. Graph's
 * own 429s remain the safety net (the client pauses the tenant for their Retry-After).
 */
export class GraphBudget {
  private tokens: number;
  private updatedAt: number;
  private queue: Promise<void> = Promise.resolve();
  readonly capacity: number;
  /** Tokens per millisecond. */
  readonly rate: number;

  constructor(
    requests: number,
    windowSeconds: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.capacity = requests;
    this.rate = requests / (windowSeconds * 1000);
    this.tokens = requests;
    this.updatedAt = this.now();
  }

  take(count: number, signal?: AbortSignal): Promise<void> {
    const want = Math.min(Math.max(count, 0), this.capacity);
    const turn = this.queue.then(async () => {
      for (;;) {
        this.refill();
        if (this.tokens >= want) {
          this.tokens -= want;
          return;
        }
        await sleep(Math.ceil((want - this.tokens) / this.rate), undefined, { signal });
      }
    });
    // A taker that gave up (aborted) must not block the ones behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Gives back tokens taken but not spent (a batch that went out with fewer requests than planned). */
  refund(count: number): void {
    this.refill();
    this.tokens = Math.min(this.capacity, this.tokens + Math.max(0, count));
  }

  /** Tokens available now (for tests and diagnostics). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.rate);
    this.updatedAt = now;
  }
}

const budgets = new Map<string, GraphBudget>();

function budgetOf(
  kind: string,
  limit: { requests: number; windowSeconds: number },
  tenant: string,
  app: string,
) {
  const key = `${kind}|${tenant.toLowerCase()}|${app.toLowerCase()}`;
  let budget = budgets.get(key);
  if (!budget) {
    budget = new GraphBudget(Math.floor(limit.requests * BUDGET_SHARE), limit.windowSeconds);
    budgets.set(key, budget);
  }
  return budget;
}

/** The process-wide budget of one app registration in one tenant. */
export function graphBudgetFor(entraTenantId: string, clientId: string): GraphBudget {
  return budgetOf('all', INTUNE_APP_BUDGET, entraTenantId, clientId);
}

/** The process-wide write budget of one app registration in one tenant (writes take from both). */
export function graphWriteBudgetFor(entraTenantId: string, clientId: string): GraphBudget {
  return budgetOf('writes', INTUNE_APP_WRITE_BUDGET, entraTenantId, clientId);
}
