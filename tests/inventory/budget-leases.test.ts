import { randomUUID } from 'node:crypto';
import { CosmosClient, type Container } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import { LeasedBudget } from '../../shared/inventory/leased-budget';
import { BudgetLeaseStore } from '../../shared/inventory/store/budget-leases';
import { cloud } from '../support/http';

/**
 * The shared Graph budget's leases against the shared cloud's Cosmos DB (container `graphBudgets`), each
 * test on a budget document of its own. Several stores stand for several instances: each keeps its own
 * view of the document, as separate processes do.
 */
function budgets(): Container {
  const { endpoint, key, database } = cloud().cosmos;
  return new CosmosClient({ endpoint, key }).database(database).container('graphBudgets');
}

/** A bucket that does not refill during a test: what is granted is exactly what was taken. */
const STILL = { capacity: 100, ratePerMs: 1e-9 };

async function tokensOf(container: Container, id: string): Promise<number> {
  const { resource } = await container.item(id, id).read<{ tokens: number }>();
  return resource!.tokens;
}

/** The container, except that the first `times` writes are applied and then answered with a reset connection. */
function losingAnswers(container: Container, times: number): Container {
  let left = times;
  const lose = async <T>(write: Promise<T>): Promise<T> => {
    const result = await write;
    if (left-- > 0) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    return result;
  };
  return {
    items: { create: (body: unknown) => lose(container.items.create(body as never)) },
    item: (id: string, partitionKey: string) => {
      const item = container.item(id, partitionKey);
      return {
        read: () => item.read(),
        replace: (body: unknown, options: unknown) => lose(item.replace(body as never, options as never)),
      };
    },
  } as unknown as Container;
}

describe('shared Graph budget leases', () => {
  it('instances racing for one bucket are granted its capacity, never more', async () => {
    const container = budgets();
    const id = `test:${randomUUID()}`;
    const instances = [0, 1, 2].map(() => new BudgetLeaseStore(container, Date.now));
    // 30 slices of 10 asked at once by three instances of a bucket of 100.
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, n) => instances[n % 3]!.lease(id, STILL, 10, 0)),
    );
    expect(results.filter((result) => result.granted)).toHaveLength(10);
    expect(results.filter((result) => !result.granted).every((result) => result.waitMs > 0)).toBe(true);
    expect(await tokensOf(container, id)).toBeLessThan(1);
    const lost = instances.reduce((sum, store) => sum + store.stats.lostRaces, 0);
    expect(lost).toBeGreaterThan(0);
  });

  it('a lease whose write was applied but whose answer was lost is granted once, not twice', async () => {
    const container = budgets();
    const id = `test:${randomUUID()}`;
    // The document's creation, then a replace: both applied, both answers lost.
    const store = new BudgetLeaseStore(losingAnswers(container, 2), Date.now);
    expect(await store.lease(id, STILL, 10, 0)).toMatchObject({ granted: true });
    expect(await tokensOf(container, id)).toBeCloseTo(90, 3);
    expect(await store.lease(id, STILL, 10, 0)).toMatchObject({ granted: true });
    expect(await tokensOf(container, id)).toBeCloseTo(80, 3);
    // The retried writes found their own lease in place instead of taking a second slice.
    expect(store.stats.writes).toBe(2);
  });

  it('gives back what a slice did not spend once its lease ends, and takes no more than it spends', async () => {
    const container = budgets();
    const id = `test:${randomUUID()}`;
    const store = new BudgetLeaseStore(container, Date.now);
    const budget = new LeasedBudget({ store, id, bucket: STILL, slice: 20, leaseMs: 200, now: Date.now });
    await budget.take(5);
    budget.refund(2);
    expect(budget.holding()).toBe(17);
    expect(await tokensOf(container, id)).toBeCloseTo(80, 3);
    // The lease ends with 17 unspent: one write gives them back.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await tokensOf(container, id)).toBeCloseTo(97, 3);
    expect(budget.holding()).toBe(0);
    // The next take leases a fresh slice.
    await budget.take(1);
    expect(await tokensOf(container, id)).toBeCloseTo(77, 3);
    expect(store.stats.writes).toBe(3);
  });

  it('waits for the bucket to refill when it is empty, and fails when the store cannot be reached', async () => {
    const container = budgets();
    const id = `test:${randomUUID()}`;
    const refilling = { capacity: 10, ratePerMs: 10 / 1000 };
    const budget = new LeasedBudget({
      store: new BudgetLeaseStore(container, Date.now),
      id,
      bucket: refilling,
      slice: 10,
      now: Date.now,
    });
    const started = Date.now();
    await budget.take(10);
    await budget.take(10);
    // The second slice needed the bucket to refill for about a second.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    const unreachable = new CosmosClient({ endpoint: 'https://127.0.0.1:9', key: cloud().cosmos.key })
      .database('none')
      .container('graphBudgets');
    const cut = new LeasedBudget({
      store: new BudgetLeaseStore(unreachable, Date.now),
      id,
      bucket: refilling,
      slice: 10,
      now: Date.now,
    });
    await expect(cut.take(1)).rejects.toThrow();
  }, 30_000);
});
