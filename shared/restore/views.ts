import { z } from 'zod';
import { pageQuery } from '../api/schemas';
import { ITEM_OUTCOMES, PLAN_ACTIONS, type PlanItem, type RestorePlan } from './model';

const referenceView = z.object({
  target: z.string(),
  sourceId: z.string(),
  sourceName: z.string().nullable(),
  how: z.enum(['same_id', 'by_name', 'created_by_restore', 'missing', 'ambiguous', 'kept']),
  targetId: z.string().nullable(),
});

export const planItemView = z.object({
  id: z.string(),
  phase: z.number().int(),
  policyType: z.string(),
  displayName: z.string(),
  sourceGraphId: z.string(),
  sourceVersionId: z.string(),
  action: z.enum(PLAN_ACTIONS),
  reasonCode: z.string().nullable(),
  message: z.string().nullable(),
  targetGraphId: z.string().nullable(),
  diff: z.array(
    z.object({
      op: z.enum(['add', 'remove', 'replace']),
      path: z.string(),
      before: z.unknown().optional(),
      after: z.unknown().optional(),
    }),
  ),
  references: z.array(referenceView),
  skippedAssignments: z.number().int(),
  /** What the execute did with the item; null before it ran. */
  result: z
    .object({
      outcome: z.enum(ITEM_OUTCOMES).nullable(),
      reasonCode: z.string().nullable(),
      message: z.string().nullable(),
      targetGraphId: z.string().nullable(),
    })
    .nullable(),
});

export const planView = z.object({
  id: z.string(),
  tenantId: z.string(),
  source: z.record(z.string(), z.unknown()),
  options: z.record(z.string(), z.unknown()),
  sameTenant: z.boolean(),
  counts: z.record(z.string(), z.number().int()),
  hash: z.string(),
  expiresAt: z.string(),
  executedBy: z.string().nullable(),
  items: z.array(planItemView),
  continuationToken: z.string().optional(),
});

export const planQuery = pageQuery;

export function planItemViewOf(item: PlanItem): z.infer<typeof planItemView> {
  const { execution } = item;
  return {
    id: item.id,
    phase: item.phase,
    policyType: item.policyType,
    displayName: item.displayName,
    sourceGraphId: item.sourceGraphId,
    sourceVersionId: item.sourceVersionId,
    action: item.action,
    reasonCode: item.reasonCode,
    message: item.message,
    targetGraphId: item.targetGraphId,
    diff: item.diff,
    references: item.references,
    skippedAssignments: item.skippedAssignments,
    result: execution
      ? {
          outcome: execution.outcome ?? null,
          reasonCode: execution.reasonCode ?? null,
          message: execution.message ?? null,
          targetGraphId: execution.targetGraphId ?? null,
        }
      : null,
  };
}

export function planViewOf(
  plan: RestorePlan,
  page: { items: PlanItem[]; continuationToken?: string },
): z.infer<typeof planView> {
  return {
    id: plan.id,
    tenantId: plan.tenantId,
    source: plan.source,
    options: plan.options,
    sameTenant: plan.sameTenant,
    counts: plan.counts,
    hash: plan.hash,
    expiresAt: plan.expiresAt,
    executedBy: plan.executedBy,
    items: page.items.map(planItemViewOf),
    ...(page.continuationToken && { continuationToken: page.continuationToken }),
  };
}
