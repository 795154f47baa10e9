import { z } from 'zod';
import { idSchema, longIdSchema } from '../api/schemas';

/**
 * Where a restore reads from: a backup set, or chosen policy versions, of a tenant of the workspace — or,
 * to remediate drift, a baseline's expected objects behind chosen findings of the target tenant.
 */
export const restoreSourceSchema = z.union([
  z.object({ tenantId: idSchema, backupSetId: idSchema }).strict(),
  z
    .object({
      tenantId: idSchema,
      versions: z
        .array(z.string().regex(/^[0-9a-f]{64}$/))
        .min(1)
        .max(1000),
    })
    .strict(),
  z
    .object({
      baselineId: idSchema,
      findingIds: z.array(longIdSchema).min(1).max(1000),
    })
    .strict(),
]);
export type RestoreSource = z.infer<typeof restoreSourceSchema>;

export const restoreOptionsSchema = z
  .object({
    /** An assignment whose group cannot be mapped blocks its object (default) or is left out. */
    unmappedAssignments: z.enum(['block', 'skip']).default('block'),
    /** Conditional Access is created report-only unless the caller asks for the state it was backed up with. */
    conditionalAccessState: z.enum(['reportOnly', 'asBackedUp']).default('reportOnly'),
  })
  .strict();
export type RestoreOptions = z.infer<typeof restoreOptionsSchema>;

/** What the preview decided for one object. */
export const PLAN_ACTIONS = ['create', 'update', 'unchanged', 'blocked'] as const;
export type PlanAction = (typeof PLAN_ACTIONS)[number];

/** How the execute run ended for one object. */
export const ITEM_OUTCOMES = ['created', 'updated', 'unchanged', 'skipped', 'failed'] as const;
export type ItemOutcome = (typeof ITEM_OUTCOMES)[number];

/**
 * How one reference (a group, a scope tag, a filter, a named location, …) maps into the target:
 * `same_id` the target has that id; `by_name` matched by display name; `created_by_restore` an object
 * this plan creates first; `missing` / `ambiguous` nothing or several matched (the item is blocked,
 * or the assignment skipped when the caller chose so).
 */
export interface ReferenceMapping {
  target: string;
  sourceId: string;
  sourceName: string | null;
  how: 'same_id' | 'by_name' | 'created_by_restore' | 'missing' | 'ambiguous' | 'kept';
  targetId: string | null;
  /**
   * The reason code a `missing` reference blocks its item with, where it is not the default
   * (`group_missing` / `dependency_missing`): `directory_not_synced` (a directory cache never synced, so a
   * group could not be looked up at all), or the reference rule's `missingReason` (`template_missing`).
   */
  reason?: string;
}

export interface PropertyChange {
  op: 'add' | 'remove' | 'replace';
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface ItemExecution {
  /** `writing`: the create was sent (the intent, recorded first); `done`: the outcome is final. */
  state: 'writing' | 'done';
  outcome?: ItemOutcome;
  reasonCode?: string | null;
  message?: string | null;
  targetGraphId?: string | null;
  at: string;
}

/** One object of a plan (`kind: 'restorePlanItem'` in `backups`, partition = the target tenant). */
export interface PlanItem {
  id: string;
  kind: 'restorePlanItem';
  tenantId: string;
  planId: string;
  /** Dependency rank: phase 0 is written first. */
  phase: number;
  policyType: string;
  sourceGraphId: string;
  sourceVersionId: string;
  displayName: string;
  action: PlanAction;
  reasonCode: string | null;
  message: string | null;
  targetGraphId: string | null;
  /** The target object's content hash at preview time: a different one at execute means it changed. */
  targetHash: string | null;
  diff: PropertyChange[];
  references: ReferenceMapping[];
  /** Assignments left out because their group could not be mapped (`unmappedAssignments: skip`). */
  skippedAssignments: number;
  execution: ItemExecution | null;
}

/** The plan's own document: its hash, counts and confirmation (`kind: 'restorePlan'`, id = preview run id). */
export interface RestorePlan {
  id: string;
  kind: 'restorePlan';
  tenantId: string;
  workspaceId: string;
  source: RestoreSource;
  /** The tenant whose versions are written (a baseline's golden tenant); absent in older plans. */
  sourceTenantId?: string;
  options: RestoreOptions;
  sameTenant: boolean;
  counts: Record<PlanAction, number>;
  /** sha256 over every item's decision, body-relevant references and target hash. */
  hash: string;
  initiatorUserId: string;
  expiresAt: string;
  /** The execute run that consumed the plan (one execution per plan). */
  executedBy: string | null;
  createdAt: string;
}

/** The plan's items in write order. */
export function byPhase(a: PlanItem, b: PlanItem): number {
  return a.phase - b.phase || a.id.localeCompare(b.id);
}

/** One object to restore: the version of it the source holds. */
export interface SourceItem {
  policyType: string;
  graphId: string;
  itemId: string;
  versionId: string;
  displayName: string;
  /** The target's object to write it to, where the source knows it (a drift finding's pairing or match). */
  targetGraphId?: string;
}
