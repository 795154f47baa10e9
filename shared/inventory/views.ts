import { z } from 'zod';
import { longIdSchema, pageQuery } from '../api/schemas';
import {
  assignmentTargetSchema,
  inventoryItemSchema,
  versionContentSchema,
  historyEntrySchema,
  attributionSchema,
} from './model';

/** Query of the inventory list: every filter optional, combined with AND. */
export const inventoryListQuery = pageQuery.extend({
  /** A policy type (contract key), e.g. `deviceConfigurations`, or `groups` for the referenced groups. */
  type: z.string().min(1).max(100).optional(),
  category: z.string().min(1).max(100).optional(),
  platform: z.enum(['windows', 'macOS', 'iOS', 'android', 'linux', 'all', 'unknown']).optional(),
  /** Case-insensitive part of the display name. */
  search: z.string().min(1).max(200).optional(),
  /** A group id, a filter id, `allDevices` or `allUsers`: items assigned to it. */
  assignmentTarget: z.string().min(1).max(100).optional(),
  /** Items whose content changed (created, changed, removed, back) at or after this time. */
  changedSince: z.iso.datetime({ offset: true }).optional(),
  /** `false` (default): present objects; `true`: removed ones; `any`: both. */
  removed: z.enum(['false', 'true', 'any']).default('false'),
});
export type InventoryListQuery = z.infer<typeof inventoryListQuery>;

export const assignmentView = assignmentTargetSchema.extend({
  groupName: z.string().nullable(),
  filterName: z.string().nullable(),
});

/** An item as callers see it: stored fields plus the names of the groups, filters and scope tags it names. */
export const inventoryItemView = inventoryItemSchema
  .omit({
    docType: true,
    searchName: true,
    sortKey: true,
    history: true,
    assignments: true,
  })
  .extend({
    assignments: z.array(assignmentView),
    scopeTags: z.array(z.object({ id: z.string(), name: z.string().nullable() })),
  });
export type InventoryItemView = z.infer<typeof inventoryItemView>;

export const versionView = z.object({
  id: z.string(),
  itemId: z.string(),
  policyType: z.string(),
  graphId: z.string(),
  displayName: z.string(),
  content: versionContentSchema,
  /** Values never stored (encrypted OMA-URI values), as JSON pointers into `content`. */
  redactedPaths: z.array(z.string()),
  size: z.number().int(),
  /** Stored in several documents (too large for one); reassembled here. */
  chunked: z.boolean(),
  /** Who made the change that first produced this content (docs/watch.md), when known. */
  attribution: attributionSchema.optional(),
});

export const itemWithVersionView = inventoryItemView.extend({ currentVersion: versionView });

export const historyView = historyEntrySchema.extend({ current: z.boolean() });

export const diffQuery = z.object({
  /** The older version; default: the version before `to`. */
  from: longIdSchema.optional(),
  /** The newer version; default: the current version. */
  to: longIdSchema.optional(),
});

export const diffView = z.object({
  itemId: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  changes: z.array(
    z.object({
      op: z.enum(['add', 'remove', 'replace']),
      path: z.string(),
      before: z.unknown().optional(),
      after: z.unknown().optional(),
    }),
  ),
});
