import { createHash } from 'node:crypto';
import { z } from 'zod';
import { idSchema, longIdSchema } from '../api/schemas';
import { nameText } from '../api/text';

/**
 * Baselines and drift findings (docs/drift.md). Every document lives in the `drift` container, in the
 * partition of its workspace: a baseline, one finding per (baseline object or extra, tenant), and one
 * summary per (baseline, tenant).
 */

/** One object of a baseline: the version of a golden tenant's object that tenants are compared with. */
export const baselineObjectSchema = z.object({
  /** Stable within the baseline: the golden tenant's inventory item id (`policyType:graphId`). */
  key: z.string(),
  policyType: z.string(),
  graphId: z.string(),
  displayName: z.string(),
  /** The expected content: a policy version of `sourceTenantId`. */
  versionId: z.string(),
});
export type BaselineObject = z.infer<typeof baselineObjectSchema>;

const whoSchema = z.object({ userId: z.string(), displayName: z.string() });

/** A tenant the baseline applies to, with the pairings the user set for objects whose names differ. */
export const baselineTenantSchema = z.object({
  tenantId: z.string(),
  /** Baseline object key → the Graph id of the tenant's object it is compared with. */
  pairings: z.record(z.string(), z.string()),
  assignedAt: z.string(),
  assignedBy: whoSchema,
  /** Grows with every PUT: a change of pairings re-evaluates the tenant. */
  revision: z.number().int(),
});
export type BaselineTenant = z.infer<typeof baselineTenantSchema>;

export const baselineSourceSchema = z.union([
  z.object({ tenantId: idSchema, backupSetId: idSchema }).strict(),
  z.object({ tenantId: idSchema, itemIds: z.array(longIdSchema).min(1).max(1000) }).strict(),
]);
export type BaselineSource = z.infer<typeof baselineSourceSchema>;

export const baselineSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  docType: z.literal('baseline'),
  name: z.string(),
  description: z.string(),
  source: baselineSourceSchema,
  /** Narrowing applied to the source when the baseline was built (empty = none). */
  policyTypes: z.array(z.string()),
  itemIds: z.array(z.string()),
  /** Report the tenant's objects of the baseline's types that no baseline object matches. */
  reportExtras: z.boolean(),
  objects: z.array(baselineObjectSchema),
  tenants: z.array(baselineTenantSchema),
  /** Tenant ids of `tenants`, for the query "baselines of a tenant". */
  tenantIds: z.array(z.string()),
  /** Grows whenever objects or options change: every tenant is then evaluated again. */
  revision: z.number().int(),
  createdAt: z.string(),
  createdBy: whoSchema,
  updatedAt: z.string(),
  updatedBy: whoSchema,
  /** Set by DELETE: the evaluator removes the findings, then the baseline. */
  deletedAt: z.string().nullable(),
});
export type Baseline = z.infer<typeof baselineSchema>;

export const createBaselineBody = z
  .object({
    name: nameText(200),
    description: z.string().max(2000).default(''),
    source: baselineSourceSchema,
    /** Only these policy types of the source (contract keys). */
    policyTypes: z.array(z.string().min(1).max(100)).max(100).default([]),
    /** Only these items of a backup set source (inventory item ids). */
    itemIds: z.array(longIdSchema).max(1000).default([]),
    reportExtras: z.boolean().default(false),
  })
  .strict();
export type CreateBaselineBody = z.infer<typeof createBaselineBody>;

export const updateBaselineBody = z
  .object({
    name: nameText(200).optional(),
    description: z.string().max(2000).optional(),
    reportExtras: z.boolean().optional(),
    /** Rebuild the objects from this source (and narrowing); leave out to keep the objects. */
    source: baselineSourceSchema.optional(),
    policyTypes: z.array(z.string().min(1).max(100)).max(100).optional(),
    itemIds: z.array(longIdSchema).max(1000).optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change' });
export type UpdateBaselineBody = z.infer<typeof updateBaselineBody>;

export const assignTenantBody = z
  .object({ pairings: z.record(longIdSchema, z.string().min(1).max(300)).default({}) })
  .strict();
export type AssignTenantBody = z.infer<typeof assignTenantBody>;

export const baselineView = baselineSchema.omit({ docType: true, tenantIds: true, deletedAt: true });
export type BaselineView = z.infer<typeof baselineView>;

/** The list shows what a baseline is, not its objects. */
export const baselineListView = baselineView
  .omit({ objects: true, tenants: true })
  .extend({ objectCount: z.number().int(), tenantCount: z.number().int() });

/** `missing` / `different` / `extra` are drift; `matching` is not; `absent`: an extra that is gone. */
export const outcomeSchema = z.enum(['matching', 'missing', 'different', 'extra', 'absent']);
export type Outcome = z.infer<typeof outcomeSchema>;

/**
 * `open`: drift; `accepted`: drift hidden by an acceptance of the very value the tenant has; `resolved`:
 * drift that went away; `matching`: never drifted.
 */
export const findingStateSchema = z.enum(['open', 'accepted', 'resolved', 'matching']);
export type FindingState = z.infer<typeof findingStateSchema>;

export const differenceSchema = z.object({
  /** Where: `object.passwordMinimumLength`, `settings[<setting id>].…`, `assignments`. */
  path: z.string(),
  expected: z.unknown(),
  actual: z.unknown(),
});
export type Difference = z.infer<typeof differenceSchema>;

export const acceptanceSchema = z.object({
  reason: z.string(),
  acceptedAt: z.string(),
  acceptedBy: whoSchema,
  expiresAt: z.string().nullable(),
  /** The accepted actual value (its hash): a different value brings the finding back. */
  actualHash: z.string(),
});
export type Acceptance = z.infer<typeof acceptanceSchema>;

export const findingSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  docType: z.literal('finding'),
  baselineId: z.string(),
  tenantId: z.string(),
  /** The baseline object's key, or `extra:{itemId}` for a tenant object the baseline does not have. */
  objectKey: z.string(),
  policyType: z.string(),
  displayName: z.string(),
  outcome: outcomeSchema,
  state: findingStateSchema,
  /** The tenant's object it was compared with (null: none). */
  tenantItemId: z.string().nullable(),
  matchedBy: z.enum(['name', 'pairing']).nullable(),
  differences: z.array(differenceSchema),
  /** How many differences there are (`differences` keeps the first 50). */
  differenceCount: z.number().int(),
  /** Hash of the tenant's normalized value (`missing` when it has none): what an acceptance accepts. */
  actualHash: z.string(),
  expectedVersionId: z.string().nullable(),
  actualVersionId: z.string().nullable(),
  /** When the current drift episode began, was last confirmed, and ended (null while open). */
  firstSeenAt: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  raisedByVersion: z.string().nullable(),
  resolvedByVersion: z.string().nullable(),
  acceptance: acceptanceSchema.nullable(),
});
export type Finding = z.infer<typeof findingSchema>;

export const findingView = findingSchema.omit({ docType: true }).extend({
  acceptance: acceptanceSchema.extend({ expired: z.boolean() }).nullable(),
});
export type FindingView = z.infer<typeof findingView>;

export const acceptBody = z
  .object({
    reason: nameText(1000),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type AcceptBody = z.infer<typeof acceptBody>;

/** What the summary keeps of a finding that is drift (open or accepted). */
export const summaryEntrySchema = z.object({
  outcome: outcomeSchema,
  accepted: z.boolean(),
  expiresAt: z.string().nullable(),
  firstSeenAt: z.string().nullable(),
});
export type SummaryEntry = z.infer<typeof summaryEntrySchema>;

/**
 * The counters of one (baseline, tenant): its drift findings by id, so evaluation updates one entry
 * per finding it changes and the workspace summary reads one document per pair, never the findings.
 */
export const pairSummarySchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  docType: z.literal('summary'),
  baselineId: z.string(),
  tenantId: z.string(),
  objects: z.number().int(),
  drift: z.record(z.string(), summaryEntrySchema),
  /** The `evaluatedKey` of the pair's last full evaluation (null: never fully evaluated). */
  evaluatedKey: z.string().nullable(),
  evaluatedAt: z.string().nullable(),
});
export type PairSummary = z.infer<typeof pairSummarySchema>;

export const summaryRowView = z.object({
  baselineId: z.string(),
  baselineName: z.string(),
  tenantId: z.string(),
  objects: z.number().int(),
  matching: z.number().int(),
  drifted: z.number().int().describe('Objects that differ from the baseline (open findings)'),
  missing: z.number().int(),
  extra: z.number().int(),
  accepted: z.number().int(),
  oldestOpenFindingAt: z.string().nullable(),
  evaluated: z.boolean().describe('Whether the tenant was evaluated against the current baseline yet'),
});
export type SummaryRowView = z.infer<typeof summaryRowView>;

const digest = (text: string, length = 40) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

export const findingIdOf = (baselineId: string, tenantId: string, objectKey: string) =>
  `finding-${digest(JSON.stringify([baselineId, tenantId, objectKey]))}`;

/**
 * The baselines a tenant is assigned to (a hint kept by the baseline service: it may name a baseline
 * that no longer lists the tenant, never miss one that does), read by point read when an object changes.
 */
export const tenantBaselinesSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  docType: z.literal('tenantBaselines'),
  tenantId: z.string(),
  baselineIds: z.array(z.string()),
});
export type TenantBaselines = z.infer<typeof tenantBaselinesSchema>;

/**
 * Which tenant item each finding of one (baseline, tenant) was compared with (object key → item id;
 * findings with none are left out), and which other items of its name it had: the findings a changed
 * item touches and their candidates, found by point read. Set by a full evaluation; a partial one changes
 * only the entries it evaluated.
 */
export const pairMatchesSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  docType: z.literal('pairMatches'),
  baselineId: z.string(),
  tenantId: z.string(),
  items: z.record(z.string(), z.string()),
  /**
   * Object key → the other present tenant items of its name at its last evaluation (objects matched by
   * name that had any): with `items`, every candidate a changed item's evaluation must compare, read by
   * id. Missing on a document written before they were kept: unknown, looked up by a query.
   */
  namesakes: z.record(z.string(), z.array(z.string())).optional(),
});
export type PairMatches = z.infer<typeof pairMatchesSchema>;

/** What a finding's evaluation leaves in the pair's matches: the item it matched and the other namesakes. */
export interface PairMatch {
  itemId: string | null;
  namesakes: readonly string[];
}

export const pairMatchesIdOf = (baselineId: string, tenantId: string) => `matches-${baselineId}-${tenantId}`;

export const tenantBaselinesIdOf = (tenantId: string) => `tenant-baselines-${tenantId}`;

export const summaryIdOf = (baselineId: string, tenantId: string) => `summary-${baselineId}-${tenantId}`;

export const extraKeyOf = (itemId: string) => `extra:${itemId}`;

export const hashOf = (text: string) => digest(text, 64);

/** An evaluation's key: the baseline's revision and the tenant's (its pairings). */
export const evaluatedKeyOf = (baseline: Baseline, tenant: BaselineTenant) =>
  `${baseline.revision}.${tenant.revision}`;

export const DRIFT_OUTCOMES: readonly Outcome[] = ['missing', 'different', 'extra'];
export const isDrift = (outcome: Outcome) => DRIFT_OUTCOMES.includes(outcome);
