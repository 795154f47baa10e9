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
 * What a Graph request is paid from before it is sent: `take(n)` resolves once `n` requests may be sent;
 * `refund(n)` gives back tokens taken but not spent (a batch that went out with fewer requests than
 * planned). Graph's own 429s remain the safety net (the client pauses the tenant for their Retry-After).
 */
export interface GraphBudget {
  take(count: number, signal?: AbortSignal): Promise<void>;
  refund(count: number): void;
}

/** A budget's size: requests per window, of which the app spends `BUDGET_SHARE`. */
export interface BudgetLimit {
  requests: number;
  windowSeconds: number;
}

/**
 * A token bucket in this process: the budget of one (Entra tenant, app) when one instance runs the app
 * (`GRAPH_BUDGET_SCOPE=instance`). Takers are served in arrival order, so a large batch is not starved
 * by single pages.
 */
export class TokenBucket implements GraphBudget {
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

/** The budgets of each (Entra tenant, app registration): all requests, and writes (which take from both). */
export interface GraphBudgets {
  requests(entraTenantId: string, clientId: string): GraphBudget;
  writes(entraTenantId: string, clientId: string): GraphBudget;
}

export function budgetKey(kind: 'requests' | 'writes', entraTenantId: string, clientId: string): string {
  return `${kind}:${entraTenantId.toLowerCase()}:${clientId.toLowerCase()}`;
}

/** Budgets created on first use and kept for the process's lifetime (one per key). */
export function budgetRegistry(
  create: (kind: 'requests' | 'writes', key: string, limit: BudgetLimit) => GraphBudget,
): GraphBudgets {
  const budgets = new Map<string, GraphBudget>();
  const of = (kind: 'requests' | 'writes', limit: BudgetLimit, tenant: string, app: string) => {
    const key = budgetKey(kind, tenant, app);
    let budget = budgets.get(key);
    if (!budget) {
      budget = create(kind, key, limit);
      budgets.set(key, budget);
    }
    return budget;
  };
  return {
    requests: (tenant, app) => of('requests', INTUNE_APP_BUDGET, tenant, app),
    writes: (tenant, app) => of('writes', INTUNE_APP_WRITE_BUDGET, tenant, app),
  };
}

/** Each process paces itself alone: right for one instance, over budget for several. */
export const processGraphBudgets: GraphBudgets = budgetRegistry(
  (_kind, _key, limit) => new TokenBucket(Math.floor(limit.requests * BUDGET_SHARE), limit.windowSeconds),
);
