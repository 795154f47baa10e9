import { z } from 'zod';
import { initiatorSchema } from '../operations/model';
import { backupSelectionSchema } from './selection';

/** One object a backup set pins: the content-addressed policy version it saw. */
export const backupItemSchema = z.object({
  policyType: z.string(),
  graphId: z.string(),
  /** The inventory item of the object. */
  itemId: z.string(),
  /** The object's name in the version pinned (what it was called when backed up). */
  displayName: z.string().nullable(),
  versionId: z.string(),
});
export type BackupItem = z.infer<typeof backupItemSchema>;

export const backupSetStatusSchema = z.enum(['in_progress', 'complete', 'partial']);

/**
 * A backup set: a named manifest of policy versions (container `backups`, partition `/tenantId`,
 * `kind: 'backupSet'`). Its id is the id of the run that made it. The items live in manifest pages
 * beside it, so a set of any size stays far below Cosmos's document limit.
 */
export const backupSetSchema = z.object({
  id: z.string(),
  kind: z.literal('backupSet'),
  workspaceId: z.string(),
  tenantId: z.string(),
  name: z.string(),
  selection: backupSelectionSchema,
  runId: z.string(),
  runType: z.string(),
  scheduleId: z.string().nullable(),
  /** The intended fire time of a scheduled backup. */
  scheduledFor: z.string().nullable(),
  /** The failed run a `backup_schedule.retry` repeated. */
  retryOf: z.string().nullable(),
  initiator: initiatorSchema,
  status: backupSetStatusSchema,
  /** Pinned sets are never pruned by retention. */
  pinned: z.boolean(),
  counts: z.object({ total: z.number().int(), byType: z.record(z.string(), z.number().int()) }),
  /** Types that could not be read (the set is `partial`), with their reason codes. */
  failedTypes: z.array(z.object({ policyType: z.string(), reasonCode: z.string() })),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});
export type BackupSet = z.infer<typeof backupSetSchema>;

/**
 * Up to PAGE_SIZE items of one policy type of a set (`kind: 'backupPage'`); a large type is read in
 * segments (one activity each), and each segment writes its own pages.
 */
export const backupPageSchema = z.object({
  id: z.string(),
  kind: z.literal('backupPage'),
  tenantId: z.string(),
  setId: z.string(),
  policyType: z.string(),
  segment: z.number().int(),
  page: z.number().int(),
  items: z.array(backupItemSchema.omit({ policyType: true })),
});
export type BackupPage = z.infer<typeof backupPageSchema>;

/** Items per manifest page: ~150 bytes each, so a page stays around 75 KB. */
export const PAGE_SIZE = 500;

export function pageId(setId: string, policyType: string, segment: number, page: number): string {
  // Zero-padded, so ordering by id lists pages in order.
  return `${setId}:${policyType}:${String(segment).padStart(4, '0')}:${String(page).padStart(4, '0')}`;
}

export const backupSetView = backupSetSchema.omit({ kind: true });
export type BackupSetView = z.infer<typeof backupSetView>;
