import { z } from 'zod';
import { roleSchema } from '../authz/capabilities';

export const workspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  /** Soft delete (deletion.ts): hidden from everyone at once; its data is purged after `purgeAfter`. */
  deletion: z
    .object({
      deletedAt: z.string(),
      deletedBy: z.string(),
      purgeAfter: z.string(),
      /** Who was a member, so the purge and the audit still know after the memberships are gone. */
      formerMembers: z.array(z.object({ userId: z.string(), role: roleSchema })),
    })
    .optional(),
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
  /** `deleted`: its workspace was deleted (never shown: the workspace is hidden); purged later. */
  status: z.enum(['active', 'archived', 'deleted']),
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
