import { setTimeout as sleep } from 'node:timers/promises';
import type { Container } from '@azure/cosmos';
import type { Clock } from '../clock';
import { BUDGET_SHARE, budgetRegistry, type GraphBudget, type GraphBudgets } from './graph-budget';
import { BudgetLeaseStore, type BucketShape } from './store/budget-leases';

/** How long a slice may be spent after it was taken; what is left then goes back to the shared bucket. */
export const LEASE_MS = 2000;
/** Leases in a row that found the bucket short before an instance takes less than a slice. */
const STARVING_AFTER = 2;
/** Waits after the store failed to answer, before the lease is tried again. */
const STORE_RETRY_MS = [250, 1000, 4000];

export interface LeasedBudgetOptions {
  store: BudgetLeaseStore;
  /** The budget's document id (`requests:{tenant}:{app}`). */
  id: string;
  bucket: BucketShape;
  /** Tokens taken per lease. */
  slice: number;
  /** How long a slice may be spent (`LEASE_MS`; tests shorten it). */
  leaseMs?: number;
  /** Epoch milliseconds (the injected clock's). */
  now: () => number;
  random?: () => number;
}

/**
 * The part of a shared Graph budget this instance holds: requests are paid from a slice taken from the
 * shared bucket (`BudgetLeaseStore`) with one conditional write. A slice is spent within `LEASE_MS` of
 * being taken; what is left then is given back, with the next lease's write or, when none follows, with
 * a write of its own. So the instances together never spend more than the bucket grants, whatever their
 * number: in any T seconds at most `capacity + rate × (T + LEASE_MS)` requests (docs/inventory.md).
 */
export class LeasedBudget implements GraphBudget {
  private held = 0;
  private heldUntil = 0;
  /** Tokens of expired slices, not spent: given back with the next write. */
  private unspent = 0;
  /** Leases in a row that found the bucket short (since this instance last got a slice). */
  private missed = 0;
  private queue: Promise<void> = Promise.resolve();
  private idleReturn: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly leaseMs: number;
  private readonly random: () => number;

  constructor(private readonly options: LeasedBudgetOptions) {
    this.now = options.now;
    this.random = options.random ?? Math.random;
    this.leaseMs = options.leaseMs ?? LEASE_MS;
  }

  take(count: number, signal?: AbortSignal): Promise<void> {
    const want = Math.min(Math.max(count, 0), this.options.bucket.capacity);
    const turn = this.queue.then(async () => {
      for (let failures = 0; ;) {
        this.expire();
        if (this.held >= want) {
          this.held -= want;
          return;
        }
        const slice = Math.max(this.options.slice, want);
        let waitMs: number;
        try {
          // An instance that keeps finding the bucket short takes half a slice (or what it needs now) as
          // soon as the bucket holds it: the others, each waiting for a whole one, cannot keep it waiting.
          const least = this.missed >= STARVING_AFTER ? Math.max(want, Math.ceil(slice / 2)) : slice;
          const result = await this.options.store.lease(
            this.options.id,
            this.options.bucket,
            slice,
            this.held + this.unspent,
            least,
          );
          failures = 0;
          if (result.granted) {
            this.missed = 0;
            this.held = result.tokens;
            this.unspent = 0;
            this.heldUntil = this.now() + this.leaseMs;
            this.scheduleIdleReturn();
            continue;
          }
          // Instances waiting for the same bucket must not wake in the same order every time (the first
          // would take every slice): each waits a random part longer, the less the more often it has
          // found the bucket short in a row, so an instance that keeps missing comes first.
          waitMs = result.waitMs * (1 + this.random() / 4 / (1 + this.missed));
          this.missed++;
        } catch (error) {
          // Cosmos DB did not answer: the read that needs the budget waits and tries again, then fails.
          if (failures >= STORE_RETRY_MS.length) throw error;
          waitMs = STORE_RETRY_MS[failures++]!;
        }
        await sleep(waitMs, undefined, { signal });
      }
    });
    // A taker that gave up (aborted) must not block the ones behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Tokens taken but not spent go back to the slice they came from (still within its lease). */
  refund(count: number): void {
    if (this.now() <= this.heldUntil) this.held += Math.max(0, count);
    else this.unspent += Math.max(0, count);
  }

  /** Tokens this instance holds now (for tests and diagnostics). */
  holding(): number {
    this.expire();
    return this.held;
  }

  private expire(): void {
    if (this.held > 0 && this.now() > this.heldUntil) {
      this.unspent += this.held;
      this.held = 0;
    }
  }

  /** When the slice's lease ends with tokens left and nobody took more meanwhile, they go back at once. */
  private scheduleIdleReturn(): void {
    clearTimeout(this.idleReturn);
    this.idleReturn = setTimeout(() => {
      this.queue = this.queue.then(async () => {
        this.expire();
        const unspent = this.unspent;
        if (unspent === 0) return;
        const result = await this.options.store
          .lease(this.options.id, this.options.bucket, 0, unspent)
          .catch(() => undefined);
        // When the store did not answer, they go back with the next lease instead.
        if (result?.granted) this.unspent -= unspent;
      });
    }, this.leaseMs + 1);
    this.idleReturn.unref();
  }
}

export interface SharedBudgetSettings {
  /** A slice as a percentage of the budget's window (`GRAPH_BUDGET_SLICE_PERCENT`). */
  slicePercent: number;
  clock: Clock;
}

/**
 * The budgets of every (Entra tenant, app registration) shared by all instances through the
 * `graphBudgets` container (`GRAPH_BUDGET_SCOPE=shared`). Each bucket refills at the app's share of
 * Intune's rate; its capacity is the share of the window less what a slice may still spend after it
 * was taken (`rate × LEASE_MS`), so that late spending cannot add up to more than Graph allows.
 */
export function sharedGraphBudgets(
  container: Container,
  settings: SharedBudgetSettings,
): GraphBudgets & { store: BudgetLeaseStore } {
  const now = () => settings.clock.now().getTime();
  const store = new BudgetLeaseStore(container, now);
  const registry = budgetRegistry((_kind, id, limit) => {
    const share = Math.floor(limit.requests * BUDGET_SHARE);
    const ratePerMs = share / (limit.windowSeconds * 1000);
    const capacity = share - Math.ceil(ratePerMs * LEASE_MS);
    return new LeasedBudget({
      store,
      id,
      bucket: { capacity, ratePerMs },
      slice: Math.max(1, Math.min(capacity, Math.round((share * settings.slicePercent) / 100))),
      now,
    });
  });
  return { ...registry, store };
}
