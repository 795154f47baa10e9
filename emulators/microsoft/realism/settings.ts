import { z } from 'zod';

/**
 * A write whose answer is lost after Graph applied it: the next `times` requests with this method whose
 * path (version included, query excluded: `/beta/deviceManagement/deviceConfigurations`) matches the
 * regular expression `pathPattern` run to completion, then the client gets no answer: `answer: '504'`
 * sends GatewayTimeout (what a gateway answers when the service behind it took too long), `'reset'` drops
 * the connection (a 504 inside `$batch`, where one item cannot drop the connection). Only successful
 * writes (status < 400) count. `times` counts down as rules fire; the control API shows what is left.
 */
export const lostResponseSchema = z.object({
  method: z.enum(['POST', 'PATCH', 'PUT', 'DELETE']),
  pathPattern: z.string().refine(
    (pattern) => {
      try {
        new RegExp(pattern);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'pathPattern must be a regular expression' },
  ),
  times: z.number().int().min(0).default(1),
  answer: z.enum(['504', 'reset']).default('504'),
});
export type LostResponse = z.infer<typeof lostResponseSchema>;

const limit = z.object({
  /** Requests allowed per window (also the burst size). */
  requests: z.number().int().positive(),
  windowSeconds: z.number().positive(),
});

/** Per-tenant realism controls: latency, rate limits, injected faults and how permissions are checked. */
export const realismSchema = z.object({
  latency: z.object({ fixedMs: z.number().min(0), jitterMs: z.number().min(0) }),
  rateLimit: z.object({
    enabled: z.boolean(),
    /** Any request, per tenant for all apps and per app per tenant. */
    tenant: limit,
    app: limit,
    /** POST/PATCH/PUT/DELETE, counted in addition to the limits above. */
    writesTenant: limit,
    writesApp: limit,
  }),
  faults: z.object({
    /** Probabilities per Graph request (0..1), drawn from a PRNG seeded with `seed`. */
    rate429: z.number().min(0).max(1),
    rate503: z.number().min(0).max(1),
    rate504: z.number().min(0).max(1),
    resetRate: z.number().min(0).max(1),
    /** Retry-After (seconds) sent with injected 429 and 503 answers. */
    retryAfterSeconds: z.number().int().min(0),
    seed: z.number().int(),
    /** Writes applied whose answer is lost (see lostResponseSchema); a PATCH replaces the list. */
    lostResponses: z.array(lostResponseSchema),
  }),
  /**
   * Audit logs: how late records arrive, and how long each log keeps them (Intune: a year, Entra: 30 days
   * on P1/P2, 7 on Free); 0 keeps everything, the default, since the seeded history is years old.
   */
  audit: z.object({
    delaySeconds: z.number().min(0),
    intuneRetentionDays: z.number().int().min(0),
    entraRetentionDays: z.number().int().min(0),
  }),
  /** `live`: Graph checks the app registration's current grants; `token`: only the roles in the token. */
  permissionCheck: z.enum(['live', 'token']),
});
export type RealismSettings = z.infer<typeof realismSchema>;

/** Deep-partial input accepted at start-up and by the control API. */
export const realismPatchSchema = z.object({
  latency: realismSchema.shape.latency.partial().optional(),
  rateLimit: z
    .object({
      enabled: z.boolean().optional(),
      tenant: limit.optional(),
      app: limit.optional(),
      writesTenant: limit.optional(),
      writesApp: limit.optional(),
    })
    .optional(),
  faults: realismSchema.shape.faults.partial().optional(),
  audit: realismSchema.shape.audit.partial().optional(),
  permissionCheck: realismSchema.shape.permissionCheck.optional(),
});
export type RealismPatch = z.infer<typeof realismPatchSchema>;

/**
 * Intune's documented limits for the device configuration service: 2000 requests per 20 s per tenant
 * (all apps), 1000 per 20 s per app per tenant; writes 200 and 100 per 20 s.
 */
export const INTUNE_RATE_LIMIT: RealismSettings['rateLimit'] = {
  enabled: true,
  tenant: { requests: 2000, windowSeconds: 20 },
  app: { requests: 1000, windowSeconds: 20 },
  writesTenant: { requests: 200, windowSeconds: 20 },
  writesApp: { requests: 100, windowSeconds: 20 },
};

export function defaultRealism(seed: number): RealismSettings {
  return {
    latency: { fixedMs: 0, jitterMs: 0 },
    rateLimit: structuredClone(INTUNE_RATE_LIMIT),
    faults: {
      rate429: 0,
      rate503: 0,
      rate504: 0,
      resetRate: 0,
      retryAfterSeconds: 1,
      seed,
      lostResponses: [],
    },
    audit: { delaySeconds: 0, intuneRetentionDays: 0, entraRetentionDays: 0 },
    permissionCheck: 'live',
  };
}

export function applyRealismPatch(current: RealismSettings, patch: RealismPatch): RealismSettings {
  const parsed = realismPatchSchema.parse(patch);
  return realismSchema.parse({
    latency: { ...current.latency, ...parsed.latency },
    rateLimit: { ...current.rateLimit, ...parsed.rateLimit },
    faults: { ...current.faults, ...parsed.faults },
    audit: { ...current.audit, ...parsed.audit },
    permissionCheck: parsed.permissionCheck ?? current.permissionCheck,
  });
}
