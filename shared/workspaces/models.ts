import { z } from 'zod';
import { roleSchema } from '../authz/capabilities';

export const workspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type Workspace = z.infer<typeof workspaceSchema>;

export const membershipSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  userId: z.string(),
  role: roleSchema,
  displayName: z.string(),
  addedAt: z.string(),
  addedBy: z.string(),
});
export type Membership = z.infer<typeof membershipSchema>;

export const managedTenantSchema = z.object({
  id: z.string(),
  kind: z.literal('tenant'),
  workspaceId: z.string(),
  name: z.string(),
  displayName: z.string(),
  /** Canonical identity of the customer tenant; domains are labels only. */
  entraTenantId: z.string().nullable(),
  domain: z.string().nullable(),
  status: z.enum(['active', 'archived']),
  /** The one default provider connection: a pointer on the tenant, so switching it is one write. */
  defaultConnectionId: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  archivedAt: z.string().nullable(),
});
export type ManagedTenant = z.infer<typeof managedTenantSchema>;

export function membershipId(workspaceId: string, userId: string): string {
  return `${workspaceId}:${userId}`;
}
