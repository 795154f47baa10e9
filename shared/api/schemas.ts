import { z } from 'zod';
import { roleSchema } from '../authz/capabilities';
import { providerConnectionSchema } from '../providers/models';
import { managedTenantSchema, membershipSchema } from '../workspaces/models';

/** Ids in paths: opaque, URL-safe, bounded. */
export const idSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'must be an id');

export const workspaceParams = z.object({ workspaceId: idSchema });
export const tenantParams = workspaceParams.extend({ tenantId: idSchema });
export const connectionParams = tenantParams.extend({ connectionId: idSchema });
export const memberParams = workspaceParams.extend({ userId: idSchema });

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  continuationToken: z.string().min(1).max(4096).optional(),
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

export const tenantView = managedTenantSchema.omit({ kind: true });

export const connectionViewSchema = providerConnectionSchema.omit({ kind: true, credential: true }).extend({
  isDefault: z.boolean(),
  credential: z.object({ configured: z.boolean(), updatedAt: z.string(), updatedBy: z.string() }),
});
