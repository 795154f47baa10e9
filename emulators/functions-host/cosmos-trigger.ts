import { CosmosClient } from '@azure/cosmos';
import { DefaultAzureCredential } from '@azure/identity';
import { isLocalCosmosEndpoint, startChangeFeed } from '../cosmos';
import { resolveAppSettings } from './expressions';
import { triggerOf, type RegisteredFunction } from './registry';

export interface CosmosTriggerSubscription {
  stop(): Promise<void>;
}

/**
 * Runs a `cosmosDBTrigger` function on the changes of its container. Against the local Cosmos server
 * the change feed is emulated (its own change feed is a stub); against Azure or the official
 * emulator the real change feed is used. Leases live in the binding's lease container.
 */
export async function startCosmosTrigger(
  fn: RegisteredFunction,
  env: Record<string, string | undefined>,
  invoke: (documents: unknown[]) => Promise<void>,
  log: (message: string) => void,
): Promise<CosmosTriggerSubscription> {
  const binding = triggerOf(fn);
  const connection = String(binding.connection ?? '');
  const client = clientFor(connection, env);
  // Like the extension, names may be `%Setting%` expressions resolved from app settings.
  const setting = (value: unknown) => resolveAppSettings(String(value), env);
  const databaseName = setting(binding.databaseName);
  const containerName = setting(binding.containerName ?? binding.collectionName);
  const leaseDatabase = client.database(setting(binding.leaseDatabaseName ?? databaseName));
  const leaseContainerName = setting(binding.leaseContainerName ?? binding.leaseCollectionName ?? 'leases');
  if (binding.createLeaseContainerIfNotExists === true) {
    await leaseDatabase.containers.createIfNotExists({
      id: leaseContainerName,
      partitionKey: { paths: ['/id'] },
    });
  }
  const prefix = String(binding.leaseContainerPrefix ?? '');
  return startChangeFeed({
    container: client.database(databaseName).container(containerName),
    leaseContainer: leaseDatabase.container(leaseContainerName),
    leaseId: `${prefix}${fn.name}:${databaseName}:${containerName}`,
    mode: isLocalCosmosEndpoint(connectionEndpoint(connection, env)) ? 'poll' : 'changeFeed',
    startFromBeginning: binding.startFromBeginning === true,
    pollIntervalMs: Number(binding.feedPollDelay ?? 500),
    maxItemsPerInvocation: Number(binding.maxItemsPerInvocation ?? 100),
    onChanges: async (documents) => invoke(documents),
    onError: (error) =>
      log(`cosmosDBTrigger ${fn.name}: ${error instanceof Error ? error.message : String(error)}`),
  });
}

const clients = new Map<string, CosmosClient>();

function clientFor(connection: string, env: Record<string, string | undefined>): CosmosClient {
  const cached = clients.get(connection);
  if (cached) return cached;
  const connectionString = env[connection];
  const accountEndpoint = env[`${connection}__accountEndpoint`];
  if (!connectionString && !accountEndpoint) {
    throw new Error(
      `cosmosDBTrigger connection "${connection}" is not configured (set ${connection} or ${connection}__accountEndpoint).`,
    );
  }
  const client = connectionString
    ? new CosmosClient(connectionString)
    : new CosmosClient({ endpoint: accountEndpoint!, aadCredentials: new DefaultAzureCredential() });
  clients.set(connection, client);
  return client;
}

function connectionEndpoint(connection: string, env: Record<string, string | undefined>): string {
  const fromString = /AccountEndpoint=([^;]+)/i.exec(env[connection] ?? '')?.[1];
  return fromString ?? env[`${connection}__accountEndpoint`] ?? '';
}
