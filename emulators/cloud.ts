import { CosmosClient } from '@azure/cosmos';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureContainers } from '../shared/store/cosmos';
import { HOST_CONNECTION_SETTINGS } from '../shared/config';
import { LOCAL_COSMOS_KEY, startLocalCosmos, type LocalCosmos } from './cosmos';
import { FunctionsHost, PortInUseError } from './functions-host/host';
import { expandGlob } from './functions-host/load-app';
import { loadLocalSecrets } from './local-secrets';
import { localCaDir, repoRoot } from './paths';
import { extraMicrosoftTenants, readLocalCloudSettings, type LocalCloudSettings } from './settings';
import { startSignalRHub, type SignalRHub } from './signalr';
import { ensureLocalCa } from './tls/local-ca';
import { DEMO_HOME_TENANT_ID, seedDemo, type DemoDescription } from './demo/seed';
import { stableGuid } from './demo/ids';
import { startMicrosoftCloud, type MicrosoftCloud, type TenantSpec } from './microsoft';

export interface LocalCloudOptions {
  /** Where state is kept (Cosmos snapshot, timer status, keys, cloud.json). */
  dataDir: string;
  /** The environment the app reads; the local cloud adds its connection settings to it. */
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
}

/** `.local/cloud.json`: the one description of a running local cloud. Keys are stable. */
export interface CloudDescription {
  functions: {
    baseUrl: string;
    apiBaseUrl: string;
    durableBaseUrl: string;
    masterKey: string;
    defaultKey: string;
  };
  cosmos: { endpoint: string; key: string; database: string; local: boolean };
  signalr: { negotiateUrl: string; hubUrl: string; hub: string };
  tls: { caCertPath: string };
  microsoft?: Record<string, unknown>;
  demo?: DemoDescription;
}

export interface LocalCloud {
  description: CloudDescription;
  host: FunctionsHost;
  stop(): Promise<void>;
}

const DURABLE_DATABASE = 'durabletask-local';
/** The app id (audience) of our own API in the simulated Entra. */
export const API_APP_ID = stableGuid('api-app');
/**
 * The simulated Microsoft tenants: the demo's two, a small generated one that only the inventory tests
 * change (admin changes, faults), one whose groups only the directory tests change, and one only the
 * change watch tests change, so tests reading contoso are never disturbed.
 */
const MICROSOFT_TENANTS: TenantSpec[] = [
  { name: 'contoso' },
  { name: 'fabrikam' },
  { name: 'tailspin', generated: { objects: 200, seed: 61 } },
  { name: 'wingtip', generated: { objects: 60, seed: 71, groups: 320 } },
  { name: 'adatum', generated: { objects: 40, seed: 81 } },
];
/** Demo tokens in cloud.json are minted at each start and last a working day. */
const DEMO_TOKEN_LIFETIME_SECONDS = 12 * 3600;

/**
 * Starts the whole local cloud in this process: Cosmos DB (unless COSMOS_ENDPOINT points elsewhere),
 * the SignalR hub and the Functions host running the app's compiled entry files.
 */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((message: string) => console.log(message));
  const settings = readLocalCloudSettings(env);
  const secrets = loadLocalSecrets(options.dataDir);
  const ca = ensureLocalCa(localCaDir());
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((e: unknown) => log(`stop: ${String(e)}`));
  };
  try {
    let cosmos: LocalCosmos | undefined;
    if (!env.COSMOS_ENDPOINT) {
      cosmos = await portGuard('LOCAL_COSMOS_PORT', settings, () =>
        startLocalCosmos({
          port: settings.LOCAL_COSMOS_PORT,
          tls: ca.server,
          dataDir: path.join(options.dataDir, 'cosmos'),
        }),
      );
      stops.push(() => cosmos!.stop());
      env.COSMOS_ENDPOINT = cosmos.endpoint;
      env.COSMOS_KEY = LOCAL_COSMOS_KEY;
    }
    env.COSMOS_DATABASE ??= 'tenantatlas';
    // Bindings name the hub as %SIGNALR_HUB% (resolved from app settings), so the setting must exist.
    env.SIGNALR_HUB ??= 'operations';
    env[HOST_CONNECTION_SETTINGS.cosmos] ??=
      `AccountEndpoint=${env.COSMOS_ENDPOINT};AccountKey=${env.COSMOS_KEY ?? ''};`;
    env.DURABLE_TASK_HUB ??= 'TenantAtlasLocal';
    env.AzureWebJobsStorage ??= 'UseDevelopmentStorage=true';
    env.FUNCTIONS_WORKER_RUNTIME ??= 'node';

    const hub: SignalRHub = await portGuard('LOCAL_SIGNALR_PORT', settings, () =>
      startSignalRHub({ port: settings.LOCAL_SIGNALR_PORT, accessKey: secrets.signalRAccessKey }),
    );
    stops.push(() => hub.stop());
    env[HOST_CONNECTION_SETTINGS.signalR] ??= hub.connectionString;

    const microsoft: MicrosoftCloud = await portGuard('LOCAL_MICROSOFT_PORT', settings, () =>
      startMicrosoftCloud({
        port: settings.LOCAL_MICROSOFT_PORT,
        tls: ca.server,
        apiAppId: API_APP_ID,
        stateDir: path.join(options.dataDir, 'microsoft'),
        tenants: [...MICROSOFT_TENANTS, ...extraMicrosoftTenants(settings)],
      }),
    );
    stops.push(() => microsoft.stop());
    env.AUTH_AUDIENCES ??= API_APP_ID;
    env.AUTH_ISSUERS ??= microsoft.issuer('{tenantid}');
    env.AUTH_JWKS_URI ??= microsoft.jwksUri;
    env.GRAPH_AUTHORITY_HOST ??= microsoft.authorityHost;
    env.GRAPH_BASE_URL ??= microsoft.graphBaseUrl;
    env.CONTINUATION_TOKEN_KEY ??= secrets.continuationTokenKey;
    if (!env.KEY_VAULT_URI) {
      env.SECRET_STORE ??= 'local-file';
      env.LOCAL_SECRET_STORE_FILE ??= path.join(options.dataDir, 'provider-secrets.enc.json');
      env.LOCAL_SECRET_STORE_KEY ??= secrets.secretStoreKey;
    }

    const cosmosClient = new CosmosClient({ endpoint: env.COSMOS_ENDPOINT, key: env.COSMOS_KEY });
    stops.push(async () => cosmosClient.dispose());
    await ensureContainers(cosmosClient.database(env.COSMOS_DATABASE));
    const { database: durableDatabase } = await cosmosClient.databases.createIfNotExists({
      id: DURABLE_DATABASE,
    });
    const { container: durableContainer } = await durableDatabase.containers.createIfNotExists({
      id: `${env.DURABLE_TASK_HUB}-instances`,
      partitionKey: { paths: ['/id'] },
    });

    const appRoot = repoRoot();
    const host = new FunctionsHost({
      appRoot,
      extraEntryFiles: settings.LOCAL_EXTRA_ENTRY_FILES
        ? expandGlob(appRoot, settings.LOCAL_EXTRA_ENTRY_FILES)
        : [],
      port: settings.LOCAL_FUNCTIONS_PORT,
      keys: {
        master: secrets.functionsMasterKey,
        function: secrets.functionsDefaultKey,
        durableExtension: secrets.durableExtensionKey,
      },
      env,
      durableContainer,
      signalR: hub,
      corsOrigins: settings.LOCAL_CORS_ORIGINS.split(',').map((o) => o.trim()),
      dataDir: options.dataDir,
      log,
    });
    stops.push(() => host.stop());
    await portGuard('LOCAL_FUNCTIONS_PORT', settings, () => host.start());

    const demo = await seedDemo(
      microsoft.tenants.filter((t) => t.name === 'contoso' || t.name === 'fabrikam'),
      (user) =>
        microsoft.issueUserToken(
          {
            oid: user.oid,
            tid: DEMO_HOME_TENANT_ID,
            name: user.displayName,
            preferredUsername: user.username,
          },
          { expiresInSeconds: DEMO_TOKEN_LIFETIME_SECONDS },
        ),
    );

    const description: CloudDescription = {
      functions: {
        baseUrl: host.baseUrl,
        apiBaseUrl: `${host.baseUrl}/api`,
        durableBaseUrl: `${host.baseUrl}/runtime/webhooks/durabletask`,
        masterKey: secrets.functionsMasterKey,
        defaultKey: secrets.functionsDefaultKey,
      },
      cosmos: {
        endpoint: env.COSMOS_ENDPOINT,
        key: env.COSMOS_KEY ?? '',
        database: env.COSMOS_DATABASE,
        local: Boolean(cosmos),
      },
      signalr: {
        negotiateUrl: `${host.baseUrl}/api/negotiate`,
        hubUrl: `${hub.baseUrl}/client/`,
        hub: env.SIGNALR_HUB,
      },
      tls: { caCertPath: ca.caCertPath },
      microsoft: microsoft.describe(),
      demo,
    };
    return { description, host, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export function writeCloudDescription(dataDir: string, description: CloudDescription): string {
  const file = path.join(dataDir, 'cloud.json');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(description, null, 2));
  renameSync(`${file}.tmp`, file);
  return file;
}

async function portGuard<T>(
  setting: keyof LocalCloudSettings,
  settings: LocalCloudSettings,
  start: () => Promise<T>,
): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof PortInUseError || /in use|EADDRINUSE/i.test(message)) {
      throw new Error(
        `Port ${String(settings[setting])} is already in use. Stop what uses it or set ${setting} to another port (0 = any free port).`,
      );
    }
    throw error;
  }
}
