import { type Container, CosmosClient } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCosmos, type LocalCosmos } from '../../emulators/cosmos';
import { countRoundTrips } from '../../emulators/functions-host/round-trips';
import { localCaDir } from '../../emulators/paths';
import { ensureLocalCa } from '../../emulators/tls/local-ca';
import { readItem } from '../../shared/store/documents';
import { GroupedCreates } from '../../shared/store/grouped-creates';
import { ReadCoalescing } from '../../shared/store/read-coalescing';

/**
 * Concurrent requests for one document or one partition share round trips (a burst of starts of one
 * tenant, a scheduler tick's audit records) — without any caller getting an answer older than its
 * question, or being told its write is done before it is.
 */

let cosmos: LocalCosmos;
let client: CosmosClient;
let container: Container;

beforeAll(async () => {
  cosmos = await startLocalCosmos({ port: 0, tls: ensureLocalCa(localCaDir()).server });
  client = new CosmosClient({
    endpoint: cosmos.endpoint,
    key: cosmos.key,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const { database } = await client.databases.createIfNotExists({ id: 'app' });
  ({ container } = await database.containers.createIfNotExists({
    id: 'docs',
    partitionKey: { paths: ['/pk'] },
  }));
});

afterAll(async () => {
  client.dispose();
  await cosmos.stop();
});

/** A load the test ends by hand, counting how often it was started. */
function manualLoads() {
  const pending: Array<() => void> = [];
  let version = 0;
  return {
    started: () => pending.length,
    /** Reads the document as it is when the load starts; ended by `finish`. */
    load: () => {
      const read = version;
      return new Promise<number>((resolve) => pending.push(() => resolve(read)));
    },
    finish: () => pending.shift()!(),
    write: () => ++version,
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('concurrent point reads of one document', () => {
  it('a read asked while another is in flight gets the next read, never the earlier answer', async () => {
    const coalescing = new ReadCoalescing();
    const loads = manualLoads();
    const first = coalescing.read('doc', loads.load);
    loads.write(); // a write completes while the first read is in flight …
    const afterWrite = [coalescing.read('doc', loads.load), coalescing.read('doc', loads.load)];
    await tick();
    expect(loads.started()).toBe(1); // … the later callers wait for it rather than start their own
    loads.finish();
    expect(await first).toBe(0); // read before the write
    await tick();
    expect(loads.started()).toBe(1); // one shared read for both later callers
    loads.finish();
    expect(await Promise.all(afterWrite)).toEqual([1, 1]); // both see the write
  });

  it('twenty reads at once cost at most two round trips; each caller gets its own copy', async () => {
    await container.items.upsert({ id: 'hot', pk: 'p', holder: 'run-1' });
    const { result: answers, roundTrips } = await countRoundTrips(cosmos.endpoint, () =>
      Promise.all(Array.from({ length: 20 }, () => readItem<{ holder: string }>(container, 'hot', 'p'))),
    );
    expect(answers.every((answer) => answer?.holder === 'run-1')).toBe(true);
    expect(roundTrips.pointReads).toBeLessThanOrEqual(2);
    answers[1]!.holder = 'changed by one caller';
    expect(answers.filter((answer) => answer?.holder === 'run-1')).toHaveLength(19);
  });

  it('a failed read fails the callers that shared it, and the next read is fresh', async () => {
    const coalescing = new ReadCoalescing();
    let calls = 0;
    const failing = () => Promise.reject(new Error(`read ${++calls} failed`));
    const first = coalescing.read('doc', failing);
    const shared = [coalescing.read('doc', failing), coalescing.read('doc', failing)];
    await expect(first).rejects.toThrow('read 1 failed');
    await expect(Promise.all(shared)).rejects.toThrow('read 2 failed');
    await expect(coalescing.read('doc', () => Promise.resolve('ok'))).resolves.toBe('ok');
  });
});

describe('creates of one partition asked for at once (group commit)', () => {
  it('writes every document, in fewer requests than documents', async () => {
    const creates = new GroupedCreates(container);
    const ids = Array.from({ length: 50 }, (_, index) => `burst-${index}`);
    const { result: outcomes, roundTrips } = await countRoundTrips(cosmos.endpoint, () =>
      Promise.all(ids.map((id) => creates.create('burst', { id, pk: 'burst' }))),
    );
    expect(outcomes.every((outcome) => outcome === 'created')).toBe(true);
    const { resources } = await container.items
      .query({ query: 'SELECT c.id FROM c WHERE c.pk = "burst"' })
      .fetchAll();
    expect(resources.map((doc) => doc.id as string).sort()).toEqual([...ids].sort());
    expect(roundTrips.creates + roundTrips.batches).toBeLessThan(10);
  });

  it('a create written before (a retry after a lost response) is "exists"; the others in its group are written', async () => {
    await container.items.create({ id: 'written-before', pk: 'retry', n: 1 });
    const creates = new GroupedCreates(container);
    const outcomes = await Promise.all([
      creates.create('retry', { id: 'first', pk: 'retry' }), // goes out alone; the rest wait for it
      creates.create('retry', { id: 'written-before', pk: 'retry', n: 2 }),
      creates.create('retry', { id: 'new-1', pk: 'retry' }),
      creates.create('retry', { id: 'new-1', pk: 'retry' }), // the same record twice in one group
      creates.create('retry', { id: 'new-2', pk: 'retry' }),
    ]);
    expect(outcomes[0]).toBe('created');
    expect(outcomes[1]).toBe('exists');
    expect([outcomes[2], outcomes[3]].sort()).toEqual(['created', 'exists']);
    expect(outcomes[4]).toBe('created');
    const { resources } = await container.items
      .query({ query: 'SELECT c.id, c.n FROM c WHERE c.pk = "retry"' })
      .fetchAll();
    expect(resources.map((doc) => doc.id as string).sort()).toEqual([
      'first',
      'new-1',
      'new-2',
      'written-before',
    ]);
    expect(resources.find((doc) => doc.id === 'written-before')?.n).toBe(1); // never overwritten
  });
});
