import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Principal } from '../auth/token-verifier';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';
import { stableStringify } from '../inventory';
import type { Run } from '../operations/model';
import type { RestoreDeps } from './deps';
import { PLAN_ACTIONS, type PlanAction, type PlanItem, type RestorePlan, type RestoreSource } from './model';
import { previewInputSchema } from './preview';
import { sourceTenantOf } from './source';

/** The plan's content hash: every decision, reference and target state the execute relies on. */
export function planHash(items: readonly PlanItem[]): string {
  const hash = createHash('sha256');
  for (const item of [...items].sort((a, b) => a.id.localeCompare(b.id)))
    hash.update(
      stableStringify({
        id: item.id,
        action: item.action,
        version: item.sourceVersionId,
        target: item.targetGraphId,
        targetHash: item.targetHash,
        references: item.references,
      }),
    );
  return hash.digest('hex');
}

/**
 * Closes a preview: the plan document with its counts and hash, and the confirmation token bound to the
 * plan, the target, the initiator and the expiry. A retried call writes the same plan (the expiry counts
 * from the first call's).
 */
export async function finishPreview(deps: RestoreDeps, run: Run) {
  const input = previewInputSchema.parse(run.context);
  const items = await deps.store.items(run.tenantId, run.id);
  const counts = Object.fromEntries(PLAN_ACTIONS.map((a) => [a, 0])) as Record<PlanAction, number>;
  for (const item of items) counts[item.action]++;
  const existing = await deps.store.getPlan(run.tenantId, run.id);
  const expiresAt =
    existing?.expiresAt ??
    new Date(deps.clock.now().getTime() + deps.confirmationMinutes * 60_000).toISOString();
  const userId = run.initiator.kind === 'user' ? run.initiator.userId : 'system';
  const sourceTenantId =
    existing?.sourceTenantId ?? (await sourceTenantOf(deps, run.workspaceId, run.tenantId, input.source));
  const plan: RestorePlan = {
    id: run.id,
    kind: 'restorePlan',
    tenantId: run.tenantId,
    workspaceId: run.workspaceId,
    source: input.source,
    sourceTenantId,
    options: input.options,
    sameTenant: sourceTenantId === run.tenantId,
    counts,
    hash: planHash(items),
    initiatorUserId: userId,
    expiresAt,
    executedBy: existing?.executedBy ?? null,
    createdAt: existing?.createdAt ?? deps.clock.now().toISOString(),
  };
  await deps.store.savePlan(plan);
  const confirmationToken = deps.tokens.issue({
    planId: plan.id,
    planHash: plan.hash,
    tenantId: plan.tenantId,
    userId,
    expiresAt,
  });
  return {
    outcome: 'succeeded' as const,
    result: {
      items: items.length,
      ...counts,
      planHash: plan.hash,
      confirmationToken,
      expiresAt,
      plan: `/api/operations/${run.id}/plan`,
    },
  };
}

export const executeInputSchema = z
  .object({
    previewRunId: z.uuid(),
    confirmationToken: z.string().min(1).max(512),
  })
  .strict();
export type ExecuteInput = z.infer<typeof executeInputSchema>;

/**
 * Refuses an execute before anything is written: the plan must be this tenant's, from a preview that
 * succeeded, not executed yet, and the token the one issued for it to this caller, still current.
 */
export async function checkExecute(
  deps: RestoreDeps,
  principal: Principal,
  tenantId: string,
  input: ExecuteInput,
): Promise<RestorePlan> {
  const preview = await deps.runs.get(input.previewRunId);
  if (!preview || preview.tenantId !== tenantId || preview.type !== 'restore.preview')
    throw new NotFoundError('The restore preview');
  const plan = await deps.store.getPlan(tenantId, input.previewRunId);
  if (!plan || preview.outcome !== 'succeeded')
    throw new ConflictError('restore_plan_stale', 'The preview has not produced a plan; preview again.');
  if (plan.executedBy)
    throw new ConflictError(
      'restore_plan_stale',
      `This restore plan was executed already by run ${plan.executedBy}.`,
    );
  const check = deps.tokens.check(
    input.confirmationToken,
    { planId: plan.id, planHash: plan.hash, tenantId, userId: principal.userId },
    deps.clock.now(),
  );
  if (!check.ok && check.reason === 'expired')
    throw new ConflictError('restore_token_expired', `The confirmation token expired at ${plan.expiresAt}.`);
  if (!check.ok)
    throw new BadRequestError(
      'restore_token_invalid',
      'The confirmation token does not match this restore plan, tenant and caller.',
    );
  return plan;
}

/**
 * A preview may read the source tenant only where the caller can view it: a tenant of the same
 * workspace (membership is per workspace), else it does not exist for them. A remediation reads a
 * baseline of the workspace (every member views it) and findings of it about the target tenant.
 */
export async function checkPreview(
  deps: RestoreDeps,
  workspaceId: string,
  targetTenantId: string,
  source: RestoreSource,
): Promise<void> {
  let sourceTenantId: string;
  if ('baselineId' in source) {
    const found = await deps.remediation?.source(
      workspaceId,
      source.baselineId,
      source.findingIds,
      targetTenantId,
    );
    if (!found) throw new NotFoundError('The baseline or a finding of it about this tenant');
    if ('problem' in found) throw new BadRequestError('validation_failed', found.problem);
    sourceTenantId = found.tenantId;
  } else sourceTenantId = source.tenantId;
  const tenant = await deps.workspaces.getTenant(workspaceId, sourceTenantId);
  if (!tenant) throw new NotFoundError('The source tenant');
}
