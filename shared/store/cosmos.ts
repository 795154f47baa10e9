import { CosmosClient, type Container, type Database } from '@azure/cosmos';
import { DefaultAzureCredential } from '@azure/identity';
import type { AppConfig } from '../config';
import { CONTAINERS, type ContainerDefinition, type ContainerName } from './containers';

export interface Cosmos {
  database: Database;
  container(name: ContainerName): Container;
}

/**
 * The app's database through one Cosmos client. The composition root calls this once per process (a
 * client per invocation exhausts connections and loses caches).
 */
export function createCosmos(
  settings: Pick<AppConfig, 'COSMOS_ENDPOINT' | 'COSMOS_KEY' | 'COSMOS_DATABASE'>,
): Cosmos {
  const { COSMOS_ENDPOINT, COSMOS_KEY, COSMOS_DATABASE } = settings;
  const client = COSMOS_KEY
    ? new CosmosClient({ endpoint: COSMOS_ENDPOINT, key: COSMOS_KEY })
    : new CosmosClient({ endpoint: COSMOS_ENDPOINT, aadCredentials: new DefaultAzureCredential() });
  const database = client.database(COSMOS_DATABASE);
  return { database, container: (name) => database.container(CONTAINERS[name].id) };
}

/**
 * Creates the database and every container if missing. Azure provisions them with Bicep; the local
 * cloud and tests call this with the same definitions.
 */
export async function ensureContainers(
  db: Database,
  definitions: ContainerDefinition[] = Object.values(CONTAINERS),
) {
  await db.client.databases.createIfNotExists({ id: db.id });
  for (const definition of definitions) {
    await db.containers.createIfNotExists({
      id: definition.id,
      partitionKey: { paths: [definition.partitionKey] },
      ...(definition.uniqueKeys && {
        uniqueKeyPolicy: { uniqueKeys: definition.uniqueKeys.map((paths) => ({ paths })) },
      }),
      ...(definition.defaultTtl !== undefined && { defaultTtl: definition.defaultTtl }),
      ...(definition.excludedPaths && {
        indexingPolicy: {
          indexingMode: 'consistent',
          includedPaths: [{ path: '/*' }],
          excludedPaths: [...definition.excludedPaths.map((path) => ({ path })), { path: '/"_etag"/?' }],
        },
      }),
    });
  }
}
