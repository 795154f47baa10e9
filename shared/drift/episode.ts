import { stableStringify } from '../inventory';
import { isDrift, type Baseline, type Finding, type Outcome, type PairSummary } from './model';
import type { TenantObject } from './tenant-objects';

/**
 * How a finding moves from one evaluation to the next: a drift episode begins, goes on, ends; an
 * acceptance holds while the value's hash stays. Pure functions of the stored finding and the new
 * comparison, so an evaluation that runs twice computes the same documents.
 */

/** A finding's new comparison, before it is merged with what the finding said so far. */
export interface Comparison {
  key: string;
  policyType: string;
  displayName: string;
  outcome: Outcome;
  tenantItem: TenantObject | undefined;
  matchedBy: 'name' | 'pairing' | null;
  differences: Finding['differences'];
  differenceCount: number;
  actualHash: string;
  expectedVersionId: string | null;
  /** When the inputs of this comparison last changed: the finding's time, the same however often it runs. */
  at: string;
  /** The other present tenant items of the object's name (matched by name only): kept in the pair's matches. */
  namesakes: string[];
}

/** The latest of these ISO times. */
export const latest = (...times: Array<string | null | undefined>) =>
  times
    .filter((t): t is string => typeof t === 'string')
    .sort()
    .at(-1)!;

/** The finding after this comparison: a new drift episode, its continuation, its end, or no drift. */
export function merge(
  baseline: Baseline,
  tenantId: string,
  id: string,
  c: Comparison,
  before: Finding | undefined,
  now: string,
): Finding {
  const drift = isDrift(c.outcome);
  const wasDrift = before?.state === 'open' || before?.state === 'accepted';
  const versionId = c.tenantItem?.currentVersionId ?? null;
  const acceptance =
    drift &&
    wasDrift &&
    before?.acceptance &&
    before.acceptance.actualHash === c.actualHash &&
    (!before.acceptance.expiresAt || before.acceptance.expiresAt > now)
      ? before.acceptance
      : null;
  const episode = drift
    ? wasDrift
      ? {
          firstSeenAt: before!.firstSeenAt,
          lastSeenAt: latest(before!.lastSeenAt, c.at),
          resolvedAt: null,
          raisedByVersion: before!.raisedByVersion,
          resolvedByVersion: null,
        }
      : {
          firstSeenAt: c.at,
          lastSeenAt: c.at,
          resolvedAt: null,
          raisedByVersion: versionId,
          resolvedByVersion: null,
        }
    : wasDrift
      ? {
          firstSeenAt: before!.firstSeenAt,
          lastSeenAt: before!.lastSeenAt,
          resolvedAt: latest(before!.lastSeenAt, c.at),
          raisedByVersion: before!.raisedByVersion,
          resolvedByVersion: versionId,
        }
      : {
          firstSeenAt: before?.firstSeenAt ?? null,
          lastSeenAt: before?.lastSeenAt ?? null,
          resolvedAt: before?.resolvedAt ?? null,
          raisedByVersion: before?.raisedByVersion ?? null,
          resolvedByVersion: before?.resolvedByVersion ?? null,
        };
  const state = drift
    ? acceptance
      ? 'accepted'
      : 'open'
    : wasDrift || before?.state === 'resolved'
      ? 'resolved'
      : 'matching';
  return {
    id,
    workspaceId: baseline.workspaceId,
    docType: 'finding',
    baselineId: baseline.id,
    tenantId,
    objectKey: c.key,
    policyType: c.policyType,
    displayName: c.tenantItem && c.key.startsWith('extra:') ? c.tenantItem.displayName : c.displayName,
    outcome: c.outcome,
    state,
    tenantItemId: c.tenantItem?.id ?? null,
    matchedBy: c.matchedBy,
    differences: c.differences,
    differenceCount: c.differenceCount,
    actualHash: c.actualHash,
    expectedVersionId: c.expectedVersionId,
    actualVersionId: versionId,
    ...episode,
    acceptance,
  };
}

/** The same document (a re-evaluation that found the same writes nothing). */
export function same(a: Finding, b: Finding): boolean {
  const strip = (finding: Finding & { _etag?: string }) => {
    const { _etag: _e, ...plain } = finding;
    return stableStringify(plain);
  };
  return strip(a) === strip(b);
}

export function summarize(
  summary: PairSummary,
  baseline: Baseline,
  current: readonly Finding[],
  removed: readonly Finding[],
  full: { evaluatedKey: string; now: string } | undefined,
): PairSummary {
  // A complete full evaluation saw every finding of the pair: the map starts empty.
  const drift = full ? {} : { ...summary.drift };
  for (const finding of removed) delete drift[finding.id];
  for (const finding of current) {
    if (finding.state === 'open' || finding.state === 'accepted')
      drift[finding.id] = {
        outcome: finding.outcome,
        accepted: finding.state === 'accepted',
        expiresAt: finding.acceptance?.expiresAt ?? null,
        firstSeenAt: finding.firstSeenAt,
      };
    else delete drift[finding.id];
  }
  return {
    ...summary,
    objects: baseline.objects.length,
    drift,
    ...(full && { evaluatedKey: full.evaluatedKey, evaluatedAt: full.now }),
  };
}
