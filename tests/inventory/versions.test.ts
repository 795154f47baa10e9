import { CosmosClient } from '@azure/cosmos';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyWriteStats } from '../../shared/inventory/store/batch-writer';
import { ObservationStore, type ObservedEntry } from '../../shared/inventory/store/observations';
import { VersionStore, type NewVersion } from '../../shared/inventory/store/versions';
import { cloud } from '../support/http';

let client: CosmosClient;
let database: string;
beforeAll(() => {
  const cosmos = cloud().cosmos;
  client = new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key });
  database = cosmos.database;
});
afterAll(() => client.dispose());

function version(tenantId: string, id: string, size: number): NewVersion {
  return {
    id,
    tenantId,
    docType: 'version',
    itemId: `configurationPolicies:${id}`,
    policyType: 'configurationPolicies',
    graphId: id,
    displayName: 'Big policy',
    odataType: null,
    contentHash: id,
    redactedPaths: [],
    content: {
      object: { id, description: 'é€'.repeat(size / 2) },
      subResources: { settings: [{ id: 's1', value: 'x'.repeat(size) }] },
      assignments: [],
    },
  };
}

describe('policy versions too large for one Cosmos document', () => {
  it('are stored in chunks and read back whole; small ones stay in one document', async () => {
    const tenantId = `chunk-test-${randomUUID()}`;
    const container = client.database(database).container('policyVersions');
    const store = new VersionStore(container, { inlineBytes: 10_000, chunkChars: 4_000 });
    const stats = emptyWriteStats();
    await store.write(tenantId, [version(tenantId, 'big', 30_000), version(tenantId, 'small', 100)], stats);
    const big = await store.read(tenantId, 'big');
    expect(big?.chunks).toBeGreaterThan(5);
    expect(big?.content).toEqual(version(tenantId, 'big', 30_000).content);
    const small = await store.read(tenantId, 'small');
    expect(small).toMatchObject({ chunks: 0, content: version(tenantId, 'small', 100).content });
    const { resources } = await container.items
      .query({
        query: 'SELECT c.id, c.docType FROM c WHERE c.tenantId = @t',
        parameters: [{ name: '@t', value: tenantId }],
      })
      .fetchAll();
    expect(resources.filter((doc) => doc.docType === 'versionChunk')).toHaveLength(big!.chunks);
    expect(await store.read(tenantId, 'unknown')).toBeUndefined();
  });
});

describe('observations of types with more than 10,000 objects', () => {
  it('take chunk documents, read back whole; a head never pairs with chunks of another run', async () => {
    const tenantId = `observation-test-${randomUUID()}`;
    const container = client.database(database).container('inventory');
    const store = new ObservationStore(container);
    const entries = (count: number, hash: string): ObservedEntry[] =>
      Array.from({ length: count }, (_, n) => ({
        g: `object-${n}`,
        h: hash.repeat(64),
        f: 'digest0123456789',
      }));
    const observation = (runId: string, list: ObservedEntry[]) => ({
      runId,
      observedAt: '2026-12-06T00:00:00.000Z',
      complete: true,
      removed: [],
      entries: list,
    });
    const stats = emptyWriteStats();
    await store.save(tenantId, 'deviceConfigurations', observation('run-1', entries(25_001, 'a')), stats);
    expect(stats.documents).toBe(3);
    const read = await store.get(tenantId, 'deviceConfigurations');
    expect(read).toMatchObject({ runId: 'run-1', complete: true, savedTs: expect.any(Number) });
    expect(read!.entries.size).toBe(25_001);
    expect(read!.entries.get('object-25000')).toEqual({
      g: 'object-25000',
      h: 'a'.repeat(64),
      f: 'digest0123456789',
    });

    // A later run's chunks are written, its head is not (the run died in between): no observation.
    const chunk = await container.item('observed:deviceConfigurations:1', tenantId).read();
    await container.items.upsert({ ...chunk.resource, runId: 'run-2' });
    expect(await store.get(tenantId, 'deviceConfigurations')).toBeUndefined();
    // A small observation afterwards is one document again and reads back alone.
    await store.save(tenantId, 'deviceConfigurations', observation('run-3', entries(2, 'b')), stats);
    expect((await store.get(tenantId, 'deviceConfigurations'))!.entries.size).toBe(2);
  });
});
