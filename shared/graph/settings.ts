import { z } from 'zod';

/** The public cloud's Entra authority: the only one that needs (and allows) instance discovery. */
export const PUBLIC_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/**
 * Settings of the Graph pipeline (merged into the app's settings schema in shared/config.ts). Each has a
 * default for the public cloud; the local cloud and sovereign clouds override the two hosts.
 */
export const graphSettingsSchema = z.object({
  /** Microsoft Graph root without version (`https://graph.microsoft.com`, or the local cloud's). */
  GRAPH_BASE_URL: z
    .url({ protocol: /^https$/ })
    .default('https://graph.microsoft.com')
    .transform((url) => url.replace(/\/+$/, '')),
  /** Entra ID authority host tokens are requested from (`https://login.microsoftonline.com`, or the local cloud's). */
  GRAPH_AUTHORITY_HOST: z
    .url({ protocol: /^https$/ })
    .default(PUBLIC_AUTHORITY_HOST)
    .transform((url) => url.replace(/\/+$/, '')),
  /**
   * Graph requests in flight at once per customer tenant, across every connection and client of the
   * process. Intune throttles per tenant and app; 8 keeps one process well under its budget.
   */
  GRAPH_MAX_CONCURRENCY_PER_TENANT: z.coerce.number().int().min(1).max(64).default(8),
  /** Retries of one request after 429, 503, 504 or a dropped connection before the error is reported. */
  GRAPH_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(6),
  /** Upper bound of one wait between retries in milliseconds, whatever Retry-After asks for. */
  GRAPH_MAX_RETRY_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(60_000),
  /**
   * Where a tenant's Graph budget (Intune's requests and writes per 20 s per app) is kept: `shared`, in
   * Cosmos DB, leased in slices by every instance (the Function App scales out); `instance`, in each
   * process alone (one instance only: several would each spend the whole budget). docs/inventory.md.
   */
  GRAPH_BUDGET_SCOPE: z.enum(['shared', 'instance']).default('shared'),
  /**
   * Size of one lease of a shared budget, in percent of the budget's window (10: 95 of the 950 requests
   * per 20 s, 10 of the 95 writes). Larger slices mean fewer Cosmos writes and a coarser share between
   * instances.
   */
  GRAPH_BUDGET_SLICE_PERCENT: z.coerce.number().int().min(1).max(50).default(10),
  /** Time limit of one attempt in milliseconds (Graph's own gateway gives up after about 100 s). */
  GRAPH_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(120_000),
});

export type GraphSettings = z.infer<typeof graphSettingsSchema>;
