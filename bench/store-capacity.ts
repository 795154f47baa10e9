import { CosmosClient } from '@azure/cosmos';
import { randomUUID } from 'node:crypto';

export interface StoreCapacity {
  pointReadsPerSecond: number;
  writesPerSecond: number;
}

/**
 * What the local store itself allows on this machine, now: single-document creates and point reads of
 * small documents from a client of its own (32 in flight), in a scratch container of the same database.
 */
export async function measureStoreCapacity(cosmos: {
  endpoint: string;
  key: string;
  database: string;
}): Promise<StoreCapacity> {
  const client = new CosmosClient({
    endpoint: cosmos.endpoint,
    key: cosmos.key,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  try {
    const { container } = await client
      .database(cosmos.database)
      .containers.createIfNotExists({ id: 'bench-capacity', partitionKey: { paths: ['/id'] } });
    const ids = Array.from({ length: 1000 }, () => randomUUID());
    const rate = async (work: (id: string) => Promise<unknown>) => {
      const began = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next < ids.length) await work(ids[next++]!);
        }),
      );
      return (ids.length / (performance.now() - began)) * 1000;
    };
    const writesPerSecond = await rate((id) =>
      container.items.create({ id, kind: 'capacity-probe', at: new Date().toISOString() }),
    );
    const pointReadsPerSecond = await rate((id) => container.item(id, id).read());
    await container.delete();
    return { pointReadsPerSecond, writesPerSecond };
  } finally {
    client.dispose();
  }
}
