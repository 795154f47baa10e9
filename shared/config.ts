import { z } from 'zod';
import { ConfigError } from './errors';
import { graphSettingsSchema } from './graph/settings';

/**
 * Every setting of the app, validated once on first use (never at import time: the Functions worker
 * turns an import-time throw into a warning and silently drops that file's functions).
 * Names are the app-setting names used in Azure (see docs/configuration.md and infra/).
 */
const commaList = z
  .string()
  .min(1)
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

const appSettingsShape = {
  /** Cosmos DB account endpoint (`https://<account>.documents.azure.com:443/`, or the local cloud's). */
  COSMOS_ENDPOINT: z.url(),
  /** Account key. Leave unset in Azure: the Function App's managed identity is used instead. */
  COSMOS_KEY: z.string().min(1).optional(),
  /** Database holding every container of the app. */
  COSMOS_DATABASE: z.string().min(1).default('tenantatlas'),
  /** Name of the SignalR hub live progress is pushed on (lower case, as SignalR Service normalizes it). */
  SIGNALR_HUB: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and underscores')
    .default('operations'),
  /** Minimum level written by the app's own logger. */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Accepted `aud` values of API tokens, comma-separated: the API app's client id and/or `api://…` URI. */
  AUTH_AUDIENCES: commaList,
  /**
   * Accepted token issuers, comma-separated. `{tenantid}` stands for the token's own `tid`, e.g.
   * `https://login.microsoftonline.com/{tenantid}/v2.0` for a multi-tenant API.
   */
  AUTH_ISSUERS: commaList,
  /** JWKS of the token issuer (`https://login.microsoftonline.com/common/discovery/v2.0/keys` in Azure). */
  AUTH_JWKS_URI: z.url(),
  /** Where provider credentials live: Azure Key Vault, or an encrypted file (local cloud only). */
  SECRET_STORE: z.enum(['keyvault', 'local-file']).default('keyvault'),
  /** Key Vault URI (`https://<vault>.vault.azure.net/`), required when SECRET_STORE=keyvault. */
  KEY_VAULT_URI: z.url().optional(),
  /** The encrypted secrets file when SECRET_STORE=local-file. */
  LOCAL_SECRET_STORE_FILE: z.string().min(1).optional(),
  /** Base64 AES-256 key of that file (32 bytes). */
  LOCAL_SECRET_STORE_KEY: z.string().min(1).optional(),
  /**
   * How long a scheduled backup waits for its tenant when another operation holds it, before it fails
   * with `scope_busy` (user starts never wait: they get 409 at once).
   */
  /**
   * Key of the HMAC that makes list continuation tokens opaque (at least 32 characters). In Azure a Key
   * Vault reference; changing it only makes outstanding tokens answer 400 `invalid_continuation_token`.
   */
  CONTINUATION_TOKEN_KEY: z.string().min(32),
  BACKUP_SCOPE_WAIT_SECONDS: z.coerce.number().int().min(0).max(86_400).default(1800),
  /** How long a restore preview's confirmation token lets its plan be executed (docs/restore.md). */
  RESTORE_CONFIRMATION_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  /**
   * How old a tenant's last directory groups sync may be for the inventory to take the groups its
   * objects are assigned to from the directory cache instead of Graph; 0 = always read Graph.
   */
  DIRECTORY_CACHE_MAX_AGE_MINUTES: z.coerce.number().int().min(0).max(10_080).default(60),
  /** Default interval of a tenant's change watch (its per-tenant setting starts at this); docs/watch.md. */
  WATCH_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(1440).default(5),
  /** How far each watch reads back before its watermark: audit records arrive late (Intune, Entra). */
  WATCH_OVERLAP_SECONDS: z.coerce.number().int().min(0).max(86_400).default(900),
  /** Days a deleted workspace's data is kept (hidden) before it is purged; 0 = at the next purge timer. */
  WORKSPACE_PURGE_AFTER_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  ...graphSettingsSchema.shape,
};

const settingsSchema = z.object(appSettingsShape).superRefine((settings, context) => {
  if (settings.SECRET_STORE === 'keyvault' && !settings.KEY_VAULT_URI) {
    context.addIssue({
      code: 'custom',
      path: ['KEY_VAULT_URI'],
      message: 'required when SECRET_STORE=keyvault',
    });
  }
  if (
    settings.SECRET_STORE === 'local-file' &&
    (!settings.LOCAL_SECRET_STORE_FILE || !settings.LOCAL_SECRET_STORE_KEY)
  ) {
    context.addIssue({
      code: 'custom',
      path: ['LOCAL_SECRET_STORE_FILE'],
      message: 'LOCAL_SECRET_STORE_FILE and LOCAL_SECRET_STORE_KEY are required when SECRET_STORE=local-file',
    });
  }
});

export type AppConfig = z.infer<typeof settingsSchema>;

/** Settings the Functions host itself reads (connections of triggers and bindings), documented with the app's. */
export const HOST_CONNECTION_SETTINGS = {
  cosmos: 'CosmosDBConnection',
  signalR: 'AzureSignalRConnectionString',
  serviceBus: 'ServiceBusConnection',
  storage: 'AzureWebJobsStorage',
} as const;

/**
 * The host connections the app's own SDK clients also use (the SignalR REST API for user-bound tokens
 * and groups, the Service Bus sender for message ids the binding cannot set). Same settings as the
 * bindings: a connection string locally, the identity-based `__serviceUri` / `__fullyQualifiedNamespace`
 * form in Azure. Not app settings of their own, so they are documented with the host connections.
 */
const hostConnectionsSchema = z.object({
  [HOST_CONNECTION_SETTINGS.signalR]: z.string().min(1).optional(),
  [`${HOST_CONNECTION_SETTINGS.signalR}__serviceUri`]: z.url().optional(),
  [HOST_CONNECTION_SETTINGS.serviceBus]: z.string().min(1).optional(),
  [`${HOST_CONNECTION_SETTINGS.serviceBus}__fullyQualifiedNamespace`]: z.string().min(1).optional(),
});

export type SignalRConnection = { endpoint: string; accessKey?: string };
export type ServiceBusConnection = { connectionString: string } | { fullyQualifiedNamespace: string };

export interface HostConnections {
  /** Undefined when the connection is not configured (the caller decides whether that is an error). */
  signalR?: SignalRConnection;
  serviceBus?: ServiceBusConnection;
}

let cachedConnections: HostConnections | undefined;

export function getHostConnections(): HostConnections {
  if (!cachedConnections) cachedConnections = parseHostConnections(process.env);
  return cachedConnections;
}

export function parseHostConnections(env: Record<string, string | undefined>): HostConnections {
  const result = hostConnectionsSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const values = result.data as Record<string, string | undefined>;
  const signalRString = values[HOST_CONNECTION_SETTINGS.signalR];
  const signalRUri = values[`${HOST_CONNECTION_SETTINGS.signalR}__serviceUri`];
  const serviceBusString = values[HOST_CONNECTION_SETTINGS.serviceBus];
  const namespace = values[`${HOST_CONNECTION_SETTINGS.serviceBus}__fullyQualifiedNamespace`];
  return {
    ...(signalRString
      ? { signalR: parseSignalRConnectionString(signalRString) }
      : signalRUri && { signalR: { endpoint: signalRUri.replace(/\/+$/, '') } }),
    ...(serviceBusString
      ? { serviceBus: { connectionString: serviceBusString } }
      : namespace && { serviceBus: { fullyQualifiedNamespace: namespace } }),
  };
}

/** `Endpoint=…;AccessKey=…;Version=1.0;[Port=…;]`; without AccessKey (`AuthType=azure.msi`) the identity is used. */
function parseSignalRConnectionString(value: string): SignalRConnection {
  const parts = new Map<string, string>();
  for (const part of value.split(';')) {
    const separator = part.indexOf('='); // values keep every later '=' (access keys are base64)
    if (separator > 0) parts.set(part.slice(0, separator).trim().toLowerCase(), part.slice(separator + 1));
  }
  const endpoint = parts.get('endpoint');
  if (!endpoint) throw new ConfigError([`${HOST_CONNECTION_SETTINGS.signalR}: Endpoint=<url> is required`]);
  const url = new URL(endpoint.trim());
  if (parts.get('port')) url.port = parts.get('port')!.trim();
  const accessKey = parts.get('accesskey')?.trim();
  return { endpoint: url.toString().replace(/\/+$/, ''), ...(accessKey && { accessKey }) };
}

let cached: AppConfig | undefined;

export function getConfig(): AppConfig {
  if (!cached) cached = parseConfig(process.env);
  return cached;
}

export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const result = settingsSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  return result.data;
}

/** The names of every app setting, for documentation and drift checks against infra/. */
export const APP_SETTING_NAMES = Object.keys(appSettingsShape) as Array<keyof AppConfig>;

/** Forget the cached settings (tests that change the environment). */
export function resetConfigForTests(): void {
  cached = undefined;
  cachedConnections = undefined;
}
