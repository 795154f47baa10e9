import { z } from 'zod';
import { queryInteger } from './text';
import { roleSchema } from '../authz/capabilities';
import { providerConnectionSchema } from '../providers/models';
import { managedTenantSchema, membershipSchema } from '../workspaces/models';

const ID_PATTERN = /^[A-Za-z0-9._:-]+$/;

/**
 * Ids in paths and queries: opaque, URL-safe, bounded. Nothing else reaches the store (Cosmos refuses
 * `/ \\ ? #` in ids with a 500-worthy error), so a malformed id is a 400 and an unknown one a 404.
 */
export const idSchema = z.string().min(1).max(128).regex(ID_PATTERN, 'must be an id');

/** Inventory item and version ids embed a Graph id (`deviceConfigurations:<id>`): the same alphabet, longer. */
export const longIdSchema = z.string().min(1).max(300).regex(ID_PATTERN, 'must be an id');

export const workspaceParams = z.object({ workspaceId: idSchema });
export const tenantParams = workspaceParams.extend({ tenantId: idSchema });
export const connectionParams = tenantParams.extend({ connectionId: idSchema });
export const memberParams = workspaceParams.extend({ userId: idSchema });

export const pageQuery = z.object({
  limit: queryInteger({ min: 1, max: 200 }).default(50),
  continuationToken: z
    .string()
    .min(1)
    .max(4096)
    .optional()
    .describe('Opaque: the `continuationToken` of the previous page, for the same list and caller.'),
});

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), continuationToken: z.string().optional() });
}

export const workspaceView = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  role: roleSchema.optional(),
});

/** API views are the stored documents minus what callers must not see (derived, so they cannot drift). */
export const memberView = membershipSchema.omit({ id: true });

export const tenantView = managedTenantSchema.omit({ kind: true }).extend({
  status: z.enum(['active', 'archived']),
});

export const connectionViewSchema = providerConnectionSchema.omit({ kind: true, credential: true }).extend({
  isDefault: z.boolean(),
  credential: z.object({
    configured: z.boolean(),
    updatedAt: z.string(),
    updatedBy: z.string(),
    certificate: z
      .object({ thumbprint: z.string(), notBefore: z.string(), expiresAt: z.string() })
      .optional()
      .describe('Certificate credentials: the SHA-1 thumbprint and validity the parser read'),
  }),
  healthWarnings: z
    .array(z.object({ code: z.literal('certificate_expiring'), message: z.string(), expiresAt: z.string() }))
    .describe('`certificate_expiring`: the certificate ends within 30 days'),
});
