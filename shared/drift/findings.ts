import { z } from 'zod';
import type { AuditLog } from '../audit/audit';
import type { Principal } from '../auth/token-verifier';
import { idSchema, pageQuery } from '../api/schemas';
import type { Clock } from '../clock';
import { ConcurrencyError, ConflictError, NotFoundError, ValidationError } from '../errors';
import {
  evaluatedKeyOf,
  isDrift,
  type AcceptBody,
  type Finding,
  type FindingView,
  type PairSummary,
  type SummaryRowView,
} from './model';
import type { DriftStore } from './store';

export const driftListQuery = pageQuery.extend({
  baselineId: idSchema.optional(),
  tenantId: idSchema.optional(),
  state: z
    .enum(['open', 'accepted', 'resolved', 'matching', 'all'])
    .default('open')
    .describe('`open` (default): drift not accepted, or whose acceptance expired; `all`: every finding'),
});
export type DriftListQuery = z.infer<typeof driftListQuery>;

export const driftSummaryQuery = z.object({
  baselineId: idSchema.optional(),
  tenantId: idSchema.optional(),
});

const expired = (finding: Pick<Finding, 'acceptance'>, now: string) =>
  !!finding.acceptance?.expiresAt && finding.acceptance.expiresAt <= now;

/** A finding as readers see it at `now`: an acceptance that expired no longer hides it. */
export function toFindingView(finding: Finding, now: string): FindingView {
  const { docType: _d, ...rest } = finding;
  const lapsed = finding.state === 'accepted' && expired(finding, now);
  return {
    ...rest,
    state: lapsed ? 'open' : finding.state,
    acceptance: finding.acceptance && { ...finding.acceptance, expired: expired(finding, now) },
  };
}

/** One row of the summary from the pair's counters (no finding is read). */
export function toSummaryRow(
  summary: PairSummary,
  baselineName: string,
  current: boolean,
  now: string,
): SummaryRowView {
  const row = {
    drifted: 0,
    missing: 0,
    extra: 0,
    accepted: 0,
    objectsWithDrift: 0,
    oldest: null as string | null,
  };
  for (const entry of Object.values(summary.drift)) {
    const hidden = entry.accepted && !(entry.expiresAt && entry.expiresAt <= now);
    if (entry.outcome !== 'extra') row.objectsWithDrift++;
    if (hidden) {
      row.accepted++;
      continue;
    }
    if (entry.outcome === 'different') row.drifted++;
    if (entry.outcome === 'missing') row.missing++;
    if (entry.outcome === 'extra') row.extra++;
    if (entry.firstSeenAt && (!row.oldest || entry.firstSeenAt < row.oldest)) row.oldest = entry.firstSeenAt;
  }
  return {
    baselineId: summary.baselineId,
    baselineName,
    tenantId: summary.tenantId,
    objects: summary.objects,
    matching: Math.max(0, summary.objects - row.objectsWithDrift),
    drifted: row.drifted,
    missing: row.missing,
    extra: row.extra,
    accepted: row.accepted,
    oldestOpenFindingAt: row.oldest,
    evaluated: current,
  };
}

/** Reading drift and accepting deviations; Cosmos only. */
export class DriftFindings {
  constructor(private readonly deps: { store: DriftStore; audit: AuditLog; clock: Clock }) {}

  async list(workspaceId: string, query: DriftListQuery) {
    const now = this.deps.clock.now().toISOString();
    const page = await this.deps.store.listFindings({ workspaceId, ...query, now });
    return {
      items: page.items.map((finding) => toFindingView(finding, now)),
      ...(page.continuationToken && { continuationToken: page.continuationToken }),
    };
  }

  async get(workspaceId: string, findingId: string): Promise<FindingView> {
    const finding = await this.deps.store.finding(workspaceId, findingId);
    if (!finding) throw new NotFoundError('The finding');
    const { _etag: _e, ...plain } = finding;
    return toFindingView(plain, this.deps.clock.now().toISOString());
  }

  async summary(workspaceId: string, filter: z.infer<typeof driftSummaryQuery>) {
    const now = this.deps.clock.now().toISOString();
    // The pairs' summaries (their own container: no finding is read), then the baselines they name by
    // id: a row for each pair whose baseline is live and still lists the tenant.
    const summaries = await this.deps.store.summaries(workspaceId, filter);
    const baselines = await Promise.all(
      [...new Set(summaries.map((summary) => summary.baselineId))].map((id) =>
        this.deps.store.baseline(workspaceId, id),
      ),
    );
    const keys = new Map(
      baselines.flatMap((baseline) =>
        baseline && !baseline.deletedAt
          ? [[baseline.id, new Map(baseline.tenants.map((t) => [t.tenantId, evaluatedKeyOf(baseline, t)]))]]
          : [],
      ),
    );
    const names = new Map(baselines.flatMap((baseline) => (baseline ? [[baseline.id, baseline.name]] : [])));
    const rows = summaries
      .filter((summary) => keys.get(summary.baselineId)?.has(summary.tenantId))
      .map((summary) => {
        const current = keys.get(summary.baselineId)!.get(summary.tenantId) === summary.evaluatedKey;
        return toSummaryRow(summary, names.get(summary.baselineId)!, current, now);
      })
      .sort((a, b) => a.baselineName.localeCompare(b.baselineName) || a.tenantId.localeCompare(b.tenantId));
    const totals = rows.reduce(
      (sum, row) => ({
        drifted: sum.drifted + row.drifted,
        missing: sum.missing + row.missing,
        extra: sum.extra + row.extra,
        accepted: sum.accepted + row.accepted,
        tenantsWithDrift: sum.tenantsWithDrift + (row.drifted + row.missing + row.extra > 0 ? 1 : 0),
      }),
      { drifted: 0, missing: 0, extra: 0, accepted: 0, tenantsWithDrift: 0 },
    );
    return { items: rows, totals };
  }

  /** Accepts the finding's current actual value: hidden while the tenant keeps it, until `expiresAt`. */
  async accept(
    principal: Principal,
    workspaceId: string,
    findingId: string,
    body: AcceptBody,
  ): Promise<FindingView> {
    const now = this.deps.clock.now().toISOString();
    const expiresAt = body.expiresAt ? new Date(body.expiresAt).toISOString() : null;
    if (expiresAt && expiresAt <= now)
      throw new ValidationError('The request body is invalid.', [
        { path: 'body.expiresAt', message: 'must be in the future' },
      ]);
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.deps.store.finding(workspaceId, findingId);
      if (!current) throw new NotFoundError('The finding');
      const { _etag, ...finding } = current;
      if (!isDrift(finding.outcome) || (finding.state !== 'open' && finding.state !== 'accepted'))
        throw new ConflictError('finding_not_open', 'The finding matches its baseline: nothing to accept.', {
          state: finding.state,
        });
      const accepted: Finding = {
        ...finding,
        state: 'accepted',
        acceptance: {
          reason: body.reason,
          acceptedAt: now,
          acceptedBy: { userId: principal.userId, displayName: principal.displayName },
          expiresAt,
          actualHash: finding.actualHash,
        },
      };
      if (!(await this.deps.store.writeFinding(accepted, _etag))) continue;
      await this.deps.store.updateSummary(workspaceId, finding.baselineId, finding.tenantId, (summary) => ({
        ...summary,
        drift: {
          ...summary.drift,
          [finding.id]: {
            outcome: finding.outcome,
            accepted: true,
            expiresAt,
            firstSeenAt: finding.firstSeenAt,
          },
        },
      }));
      await this.deps.audit.record({
        workspaceId,
        tenantId: finding.tenantId,
        actor: { kind: 'user', userId: principal.userId, displayName: principal.displayName },
        action: 'drift.accepted',
        target: { type: 'drift_finding', id: finding.id },
        outcome: 'success',
        metadata: {
          baselineId: finding.baselineId,
          outcome: finding.outcome,
          objectKey: finding.objectKey,
          reason: body.reason,
          expiresAt,
        },
      });
      return toFindingView(accepted, now);
    }
    throw new ConcurrencyError('The finding');
  }
}
