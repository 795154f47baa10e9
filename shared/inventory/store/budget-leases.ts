import { randomUUID } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { ConcurrencyError } from '../../errors';

/** A shared token bucket: how many tokens it holds at most and how fast it refills. */
export interface BucketShape {
  capacity: number;
  /** Tokens per millisecond. */
  ratePerMs: number;
}

/**
 * One (kind, Entra tenant, app registration) budget in the `graphBudgets` container: the tokens left at
 * `at`, refilled by whoever reads it from the time passed since. `lease` names the last write, so an
 * instance whose write was applied but whose answer was lost recognises its own lease on re-read.
 */
interface BudgetDocument {
  id: string;
  tokens: number;
  /** Epoch milliseconds `tokens` was computed at. */
  at: number;
  lease: string;
  /** Seconds: an idle budget's document goes away (a new one starts full, as Graph's budget is then). */
  ttl: number;
  _etag?: string;
}

/** A budget untouched for an hour has long refilled: its document can go. */
const IDLE_TTL_SECONDS = 3600;
/** Lost races in a row before a lease gives up (each one means another instance did get its slice). */
const MAX_ATTEMPTS = 20;

export interface LeaseResult {
  /** True when tokens were taken (and `giveBack` returned) with this call's write. */
  granted: boolean;
  /** How many: `want`, or as few as `least` when the bucket held less than `want`. */
  tokens: number;
  /** When not granted: how long until the bucket should hold `want` tokens. */
  waitMs: number;
}

/** What the leases of this process cost, for the documentation's figures and the tests. */
export interface LeaseStats {
  reads: number;
  writes: number;
  /** Conditional writes refused because another instance wrote first (412) or created first (409). */
  lostRaces: number;
}

const codeOf = (error: unknown) => (error as { code?: number | string }).code;

/**
 * The shared buckets of Graph budgets in Cosmos DB. Taking a slice is one conditional write (ETag) of a
 * tiny document: the bucket's level is computed from the last write and the time since, the slice taken
 * and what the caller gives back added, and the write succeeds only if nobody wrote in between; else
 * the document is read again and the computation repeated. The last document this process wrote is
 * kept, so an uncontended lease costs the write alone.
 */
export class BudgetLeaseStore {
  private readonly known = new Map<string, BudgetDocument>();
  readonly stats: LeaseStats = { reads: 0, writes: 0, lostRaces: 0 };

  constructor(
    private readonly container: Container,
    /** Epoch milliseconds (the injected clock's). */
    private readonly now: () => number,
  ) {}

  /**
   * Returns `giveBack` unspent tokens and takes `want` (0 = only give back) in one write, or what the
   * bucket holds if that is at least `least`; when it holds less, nothing is written and the caller
   * learns how long to wait for `least`.
   */
  async lease(
    id: string,
    bucket: BucketShape,
    want: number,
    giveBack: number,
    least = want,
  ): Promise<LeaseResult> {
    let current = this.known.get(id);
    let fresh = false;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (!current && !fresh) {
        current = await this.read(id);
        fresh = true;
      }
      const now = this.now();
      const level = Math.min(bucket.capacity, levelAt(current, bucket, now) + giveBack);
      const take = level >= want ? want : Math.floor(level);
      if (take < least) {
        // A document this process wrote earlier may be stale: others may have given tokens back since.
        if (!fresh) {
          current = undefined;
          continue;
        }
        return {
          granted: false,
          tokens: 0,
          waitMs: Math.max(1, Math.ceil((least - level) / bucket.ratePerMs)),
        };
      }
      const next: BudgetDocument = {
        id,
        tokens: level - take,
        at: now,
        lease: randomUUID(),
        ttl: IDLE_TTL_SECONDS,
      };
      const outcome = await this.write(next, current?._etag);
      if (outcome === 'written') return { granted: true, tokens: take, waitMs: 0 };
      // Someone else wrote first (or the answer was lost): read what is there now and decide again.
      this.known.delete(id);
      current = await this.read(id);
      fresh = true;
      if (current?.lease === next.lease) {
        this.known.set(id, current);
        return { granted: true, tokens: take, waitMs: 0 };
      }
    }
    throw new ConcurrencyError('The Graph budget');
  }

  private async read(id: string): Promise<BudgetDocument | undefined> {
    this.stats.reads++;
    try {
      const { resource } = await this.container.item(id, id).read<BudgetDocument>();
      return resource;
    } catch (error) {
      if (codeOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** `written`, or `lost` when the condition failed or the answer never came (the caller re-reads). */
  private async write(next: BudgetDocument, etag: string | undefined): Promise<'written' | 'lost'> {
    this.stats.writes++;
    try {
      const { resource } = etag
        ? await this.container
            .item(next.id, next.id)
            .replace<BudgetDocument>(next, { accessCondition: { type: 'IfMatch', condition: etag } })
        : await this.container.items.create<BudgetDocument>(next);
      if (resource) this.known.set(next.id, resource);
      return 'written';
    } catch (error) {
      const code = codeOf(error);
      if (code === 412 || code === 409 || code === 404) {
        this.stats.lostRaces++;
        return 'lost';
      }
      // No answer (a reset connection, a timeout): the write may or may not have been applied.
      if (code === undefined || typeof code === 'string' || code === 408 || code >= 500) return 'lost';
      throw error;
    }
  }
}

/** The bucket's level at `now`: full when it has no document (nobody spent from it for an hour). */
function levelAt(current: BudgetDocument | undefined, bucket: BucketShape, now: number): number {
  if (!current) return bucket.capacity;
  const elapsed = Math.max(0, now - current.at);
  return Math.min(bucket.capacity, current.tokens + elapsed * bucket.ratePerMs);
}
