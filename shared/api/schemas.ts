import { z } from 'zod';
import { roleSchema } from '../authz/capabilities';

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

export const memberView = z.object({
  userId: z.string(),
  workspaceId: z.string(),
  role: roleSchema,
  displayName: z.string(),
  addedAt: z.string(),
  addedBy: z.string(),
});

export const tenantView = z.object({
  id: z.string(),
  workspaceId: z.string(),
  name: z.string(),
  displayName: z.string(),
  entraTenantId: z.string().nullable(),
  domain: z.string().nullable(),
  status: z.enum(['active', 'archived']),
  defaultConnectionId: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  archivedAt: z.string().nullable(),
});

export const connectionViewSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  tenantId: z.string(),
  provider: z.literal('microsoft'),
  displayName: z.string(),
  entraTenantId: z.string(),
  clientId: z.string(),
  authType: z.enum(['client_secret', 'certificate']),
  status: z.enum(['connected', 'needs_consent', 'error', 'disabled']),
  isDefault: z.boolean(),
  lastHealthCheck: z
    .object({
      status: z.enum(['succeeded', 'failed']),
      checkedAt: z.string(),
      reasonCode: z.string().nullable(),
    })
    .nullable(),
  credential: z.object({ configured: z.boolean(), updatedAt: z.string(), updatedBy: z.string() }),
  createdAt: z.string(),
  createdBy: z.string(),
});
