import { z } from 'zod';
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

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
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
}
