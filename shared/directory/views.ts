import { z } from 'zod';
import { pageQuery } from '../api/schemas';

const groupKinds = ['security', 'microsoft365', 'distribution', 'mailEnabledSecurity'] as const;

export const groupListQuery = pageQuery.extend({
  /** Display-name prefix (case-insensitive), or a group's exact id. */
  search: z.string().min(1).max(256).optional(),
  /** A group kind, or `dynamic` for groups with a membership rule. */
  type: z.enum([...groupKinds, 'dynamic']).optional(),
  /** `false` (default): groups that exist; `true`: removed ones; `any`: both. */
  removed: z.enum(['false', 'true', 'any']).default('false'),
});
export type GroupListQueryInput = z.infer<typeof groupListQuery>;

export const roleListQuery = pageQuery.extend({
  /** Case-insensitive part of the display name. */
  search: z.string().min(1).max(256).optional(),
  source: z.enum(['intune', 'entra']).optional(),
  removed: z.enum(['false', 'true', 'any']).default('false'),
});
export type RoleListQueryInput = z.infer<typeof roleListQuery>;

export const groupIdParam = z.string().min(1).max(100);

export const directoryGroupView = z.object({
  id: z.string(),
  displayName: z.string(),
  description: z.string().nullable(),
  mailNickname: z.string().nullable(),
  kind: z.enum(groupKinds),
  dynamic: z.boolean(),
  membershipRule: z.string().nullable(),
  onPremisesSynced: z.boolean(),
  createdDateTime: z.string().nullable(),
  removedAt: z.string().nullable(),
});

export const roleDefinitionView = z.object({
  id: z.string(),
  source: z.enum(['intune', 'entra']),
  displayName: z.string(),
  description: z.string().nullable(),
  isBuiltIn: z.boolean(),
  permissions: z.array(z.string()),
  removedAt: z.string().nullable(),
});

/** What a list says about the cache it was read from. */
export const cacheView = z.object({
  /** `synced`: filled by the run below; `empty`: never synced (see `message`). */
  status: z.enum(['synced', 'empty']),
  syncedAt: z.string().nullable(),
  runId: z.string().nullable(),
  links: z.object({ run: z.string().nullable() }),
  /** How to fill an empty cache. */
  message: z.string().optional(),
});

function cachedList<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), continuationToken: z.string().optional(), cache: cacheView });
}

export const groupListView = cachedList(directoryGroupView);
export const roleListView = cachedList(roleDefinitionView);
export const groupDetailView = directoryGroupView.extend({ cache: cacheView });
