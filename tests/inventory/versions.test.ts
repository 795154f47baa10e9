import { CosmosClient } from '@azure/cosmos';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyWriteStats } from '../../shared/inventory/store/batch-writer';
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
