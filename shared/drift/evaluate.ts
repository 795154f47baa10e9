import type { Clock } from '../clock';
import type { GroupDirectory } from '../directory';
import { getContract } from '../graph';
import { itemIdOf, type PolicyVersion, type VersionContent } from '../inventory/model';
import {
  evaluatedKeyOf,
  extraKeyOf,
  findingIdOf,
  hashOf,
  type Baseline,
  type BaselineObject,
  type BaselineTenant,
  type Finding,
  type PairMatches,
} from './model';
import { latest, merge, same, summarize, type Comparison } from './episode';
import { namesOf } from './names';
import { comparable, differencesOf, hashComparable, type Comparable, type NameLookup } from './normalize';
import type { DriftStore } from './store';
import type { TenantObject, TenantObjects } from './tenant-objects';

export interface EvaluationDeps {
  store: DriftStore;
  objects: TenantObjects;
  groups: Pick<GroupDirectory, 'groupsById'>;
  readVersion(
    tenantId: string,
    versionId: string,
  ): Promise<(PolicyVersion & { content: VersionContent }) | undefined>;
  clock: Clock;
}

/** What one evaluation changed: the findings it opened (new drift) and resolved, by id. */
export interface EvaluationResult {
  evaluated: number;
  written: number;
  opened: string[];
  resolved: string[];
}

/**
 * Which of a pair's findings to evaluate: all of them, or those a few changed tenant objects touch, plus
 * (`objectKeys`) baseline objects whose expected value changed without a new version (a golden tenant's
 * group renamed).
 */
export type EvaluationScope =
  { kind: 'all' } | { kind: 'items'; items: readonly TenantObject[]; objectKeys?: readonly string[] };

const MISSING = 'missing';

/**
 * Evaluates one (baseline, tenant) from Cosmos DB only: the baseline's objects against the tenant's
 * inventory, then each finding merged with what it said before and written only when it changed
 * (ETag-guarded, evaluated again on a conflict). Deterministic: running it twice on the same data writes
 * nothing the second time (at-least-once execution).
 */
export async function evaluatePair(
  deps: EvaluationDeps,
  baseline: Baseline,
  tenant: BaselineTenant,
  scope: EvaluationScope,
): Promise<EvaluationResult> {
  const result: EvaluationResult = { evaluated: 0, written: 0, opened: [], resolved: [] };
  for (let attempt = 0; attempt < 5; attempt++) {
    // Read again after a conflict: the evaluation that won may have changed the pair's matches.
    const targets = await targetsOf(deps, baseline, tenant, scope);
    if (scope.kind === 'items' && targets.objects.length === 0 && targets.extras.length === 0) return result;
    // A few changed items: the targets' findings by id (point reads), read first because they say
    // which tenant item each matched; a full evaluation: the pair's findings. (Read before or after the
    // comparison alike: each write is ETag-guarded.)
    const targetIds = [
      ...targets.objects.map((o) => o.key),
      ...targets.extras.map((item) => extraKeyOf(item.id)),
    ].map((key) => findingIdOf(baseline.id, tenant.tenantId, key));
    const previous =
      scope.kind === 'items' ? await deps.store.findingsByIds(baseline.workspaceId, targetIds) : undefined;
    const comparisons = await compare(deps, baseline, tenant, scope, targets, previous);
    const existing = new Map(
      (previous ?? (await deps.store.findingsOfPair(baseline.workspaceId, baseline.id, tenant.tenantId))).map(
        (finding) => [finding.id, finding],
      ),
    );
    const now = deps.clock.now().toISOString();
    const evaluatedKey = evaluatedKeyOf(baseline, tenant);
    /** Every finding as this evaluation leaves it (written or already so): the summary is set from them. */
    const current: Finding[] = [];
    let conflict = false;
    for (const comparison of comparisons) {
      const id = findingIdOf(baseline.id, tenant.tenantId, comparison.key);
      const before = existing.get(id);
      existing.delete(id);
      const next = merge(baseline, tenant.tenantId, id, comparison, before, now);
      result.evaluated++;
      if (before && same(before, next)) {
        current.push(next);
        continue;
      }
      // An extra that never drifted needs no document: it is not an object of the baseline.
      if (!before && next.outcome === 'absent') continue;
      if (!(await deps.store.writeFinding(next, before?._etag))) {
        conflict = true;
        continue;
      }
      result.written++;
      current.push(next);
      const wasDrift = before?.state === 'open' || before?.state === 'accepted';
      if (next.state === 'open' && !wasDrift) result.opened.push(id);
      if (next.state === 'resolved' && wasDrift) result.resolved.push(id);
    }
    // A full evaluation owns the pair: findings of objects the baseline no longer has go.
    const removed = scope.kind === 'all' ? [...existing.values()] : [];
    // Set from every evaluated finding, not only the written ones: a summary update lost after the
    // findings were written (a crash, a retried activity) is made good by the next evaluation.
    await deps.store.deleteDocuments(
      baseline.workspaceId,
      removed.map((f) => f.id),
    );
    await deps.store.updateSummary(baseline.workspaceId, baseline.id, tenant.tenantId, (summary) =>
      summarize(
        summary,
        baseline,
        current,
        removed,
        scope.kind === 'all' && !conflict ? { evaluatedKey, now } : undefined,
      ),
    );
    // Which item each finding matched: a full evaluation sets them all (once it saw every finding), a
    // partial one the entries it evaluated. Set from every evaluated finding, like the summary.
    if (scope.kind === 'all' ? !conflict : targets.matches) {
      const namesakes = new Map(comparisons.map((c) => [c.key, c.namesakes]));
      await deps.store.updatePairMatches(
        baseline.workspaceId,
        baseline.id,
        tenant.tenantId,
        Object.fromEntries(
          current.map((f) => [
            f.objectKey,
            { itemId: f.tenantItemId, namesakes: namesakes.get(f.objectKey) ?? [] },
          ]),
        ),
        scope.kind === 'all',
      );
    }
    if (!conflict) return result;
  }
  return result;
}

interface Targets {
  objects: BaselineObject[];
  /** Tenant items to check for being extras (reportExtras only). */
  extras: TenantObject[];
  /** The pair's matches: which items the findings matched, and their namesakes (partial scope). */
  matches?: PairMatches;
}

/**
 * What to evaluate: every object (and, with reportExtras, every object of the baseline's types), or for
 * a few changed items the baseline objects they can match (same type and name, or paired), those they
 * matched before (a renamed object), and the items themselves as possible extras.
 */
async function targetsOf(
  deps: EvaluationDeps,
  baseline: Baseline,
  tenant: BaselineTenant,
  scope: EvaluationScope,
): Promise<Targets> {
  if (scope.kind === 'all') return { objects: baseline.objects, extras: [] };
  const types = new Set(baseline.objects.map((o) => o.policyType));
  const items = scope.items.filter((item) => types.has(item.policyType));
  const keys = new Set(scope.objectKeys ?? []);
  if (items.length === 0 && keys.size === 0) return { objects: [], extras: [] };
  // The findings these items matched before (a renamed object): from the pair's matches (a point
  // read), else (not fully evaluated since they were kept) by a query.
  const itemIds = new Set(items.map((item) => item.id));
  const matches = await deps.store.pairMatches(baseline.workspaceId, baseline.id, tenant.tenantId);
  const before = new Set(
    matches
      ? Object.entries(matches.items).flatMap(([key, itemId]) => (itemIds.has(itemId) ? [key] : []))
      : itemIds.size === 0
        ? []
        : (
            await deps.store.findingsOfPair(baseline.workspaceId, baseline.id, tenant.tenantId, {
              tenantItemIds: [...itemIds],
            })
          ).map((finding) => finding.objectKey),
  );
  const objects = baseline.objects.filter(
    (object) =>
      keys.has(object.key) ||
      before.has(object.key) ||
      items.some(
        (item) =>
          item.policyType === object.policyType &&
          (tenant.pairings[object.key]
            ? tenant.pairings[object.key] === item.graphId
            : item.searchName === object.displayName.toLowerCase()),
      ),
  );
  const extras = baseline.reportExtras || [...before].some((key) => key.startsWith('extra:')) ? items : [];
  return { objects, extras, ...(matches && { matches }) };
}

/**
 * Compares the targets. For a few changed items, the candidates are the items, the paired objects and
 * the items the targets' findings vouch for (point reads, no query): the item each compared and its
 * other namesakes at that evaluation. Namesakes looked up by a query only when they are not on record.
 */
async function compare(
  deps: EvaluationDeps,
  baseline: Baseline,
  tenant: BaselineTenant,
  scope: EvaluationScope,
  targets: Targets,
  previous: ReadonlyArray<Finding> | undefined,
): Promise<Comparison[]> {
  const known =
    scope.kind === 'items' && previous ? namesakesOnRecord(tenant, scope, targets, previous) : undefined;
  return compareWith(deps, baseline, tenant, scope, targets, known);
}

/**
 * Every present tenant item a name-matched target can match, from the record: the item its finding
 * compared, the one the pair's matches name, and the other namesakes it had then. A namesake that appeared
 * since is a changed item of its own (its change evaluates the target), and one that left is dropped
 * when read, so these plus the changed items are all the candidates. Undefined when not on record: a
 * target never evaluated, or matches kept before namesakes were.
 */
function namesakesOnRecord(
  tenant: BaselineTenant,
  scope: Extract<EvaluationScope, { kind: 'items' }>,
  targets: Targets,
  previous: ReadonlyArray<Finding>,
): string[] | undefined {
  const namesakes = targets.matches?.namesakes;
  if (!namesakes) return undefined;
  const findings = new Map(previous.map((finding) => [finding.objectKey, finding]));
  const changed = new Set(scope.items.map((item) => item.id));
  const ids: string[] = [];
  for (const object of targets.objects) {
    if (tenant.pairings[object.key]) continue;
    const finding = findings.get(object.key);
    if (!finding) return undefined;
    const matched = [finding.tenantItemId, targets.matches?.items[object.key]];
    ids.push(...matched.filter((id): id is string => !!id), ...(namesakes[object.key] ?? []));
  }
  return [...new Set(ids)].filter((id) => !changed.has(id));
}

async function compareWith(
  deps: EvaluationDeps,
  baseline: Baseline,
  tenant: BaselineTenant,
  scope: EvaluationScope,
  targets: Targets,
  /** The items on record (namesakes included), or undefined: look the namesakes up by their names. */
  known: readonly string[] | undefined,
): Promise<Comparison[]> {
  const tenantId = tenant.tenantId;
  const sourceTenantId = baseline.source.tenantId;
  const types = [...new Set(baseline.objects.map((o) => o.policyType))];
  // The tenant's objects the targets can match: every object of the baseline's types, or (for a few
  // changed items) the objects named like the targets, paired with them, or found by them before.
  const objects = targets.objects;
  let candidates: TenantObject[];
  if (scope.kind === 'all') candidates = await deps.objects.find(tenantId, { policyTypes: types });
  else {
    const names = [...new Set(objects.map((o) => o.displayName.toLowerCase()))];
    const paired = objects.flatMap((o) =>
      tenant.pairings[o.key] ? [itemIdOf(o.policyType, tenant.pairings[o.key]!)] : [],
    );
    const [byName, byId] = await Promise.all([
      !known && names.length > 0 ? deps.objects.find(tenantId, { policyTypes: types, names }) : [],
      deps.objects.byIds(tenantId, [...paired, ...(known ?? [])]),
    ]);
    // The changed items as stored last (the feed's image may be older than a namesake read by id).
    candidates = dedupe([...byName, ...byId, ...scope.items]);
  }
  const matchesOf = (object: BaselineObject) => {
    const paired = tenant.pairings[object.key];
    const all = candidates.filter(
      (item) =>
        item.policyType === object.policyType &&
        (paired ? item.graphId === paired : item.searchName === object.displayName.toLowerCase()),
    );
    return {
      all,
      present: all.filter((item) => !item.removedAt),
      by: paired ? ('pairing' as const) : ('name' as const),
    };
  };
  const matched = objects.map((object) => ({ object, ...matchesOf(object) }));
  // Versions: the baseline's (source tenant) and the tenant's candidates; names of both tenants.
  const expected = await readAll(
    deps,
    sourceTenantId,
    objects.map((o) => o.versionId),
  );
  const actualIds = matched.flatMap((m) => m.present.map((item) => item.currentVersionId));
  const extraItems = scope.kind === 'all' ? (baseline.reportExtras ? candidates : []) : targets.extras;
  const extras = extraItems.filter((item) => !item.removedAt && !isMatched(baseline, tenant, item));
  const actual = await readAll(deps, tenantId, [
    ...actualIds,
    ...extras.map((item) => item.currentVersionId),
  ]);
  const typed = (
    versions: Map<string, VersionContent>,
    of: Array<{ policyType: string; versionId: string }>,
  ) =>
    of.flatMap(({ policyType, versionId }) => {
      const content = versions.get(versionId);
      return content ? [{ policyType, content }] : [];
    });
  const [sourceNames, tenantNames] = await Promise.all([
    namesOf(deps, sourceTenantId, typed(expected, objects)),
    namesOf(
      deps,
      tenantId,
      typed(
        actual,
        [...matched.flatMap((m) => m.present), ...extras].map((item) => ({
          policyType: item.policyType,
          versionId: item.currentVersionId,
        })),
      ),
    ),
  ]);
  const baselineAt = latest(baseline.updatedAt, tenant.assignedAt);
  const comparisons: Comparison[] = [];
  for (const { object, all, present, by } of matched) {
    const contract = getContract(object.policyType);
    const base = {
      key: object.key,
      policyType: object.policyType,
      displayName: object.displayName,
      expectedVersionId: object.versionId,
      at: latest(baselineAt, ...all.map((item) => item.changedAt)),
    };
    const expectedContent = expected.get(object.versionId);
    if (present.length === 0 || !expectedContent) {
      comparisons.push({
        ...base,
        outcome: 'missing',
        tenantItem: undefined,
        matchedBy: null,
        differences: [],
        differenceCount: 0,
        actualHash: MISSING,
        namesakes: by === 'name' ? present.map((item) => item.id) : [],
      });
      continue;
    }
    const want = comparable(contract, expectedContent, sourceNames);
    const expectedRenamedAt = sourceNames.renamedAt({
      policyType: object.policyType,
      content: expectedContent,
    });
    const best = present
      .map((item) => {
        const have = comparableOf(contract, actual.get(item.currentVersionId), tenantNames);
        return { item, have, diff: differencesOf(want, have) };
      })
      .sort((a, b) => a.diff.count - b.diff.count || a.item.graphId.localeCompare(b.item.graphId))[0]!;
    const actualContent = actual.get(best.item.currentVersionId);
    const actualRenamedAt = actualContent
      ? tenantNames.renamedAt({ policyType: object.policyType, content: actualContent })
      : [];
    comparisons.push({
      ...base,
      // A group renamed in either tenant is an input too: drift it raises or ends dates from the rename.
      at: latest(base.at, ...expectedRenamedAt, ...actualRenamedAt),
      outcome: best.diff.count === 0 ? 'matching' : 'different',
      tenantItem: best.item,
      matchedBy: by,
      differences: best.diff.list,
      differenceCount: best.diff.count,
      actualHash: hashOf(hashComparable(best.have)),
      namesakes: by === 'name' ? present.filter((item) => item !== best.item).map((item) => item.id) : [],
    });
  }
  for (const item of extraItems) {
    const isExtra = extras.includes(item);
    const have = isExtra
      ? comparableOf(getContract(item.policyType), actual.get(item.currentVersionId), tenantNames)
      : undefined;
    comparisons.push({
      key: extraKeyOf(item.id),
      policyType: item.policyType,
      displayName: item.displayName,
      outcome: isExtra ? 'extra' : 'absent',
      tenantItem: isExtra ? item : undefined,
      matchedBy: null,
      differences: [],
      differenceCount: 0,
      actualHash: have ? hashOf(hashComparable(have)) : MISSING,
      expectedVersionId: null,
      at: latest(baselineAt, item.changedAt),
      namesakes: [],
    });
  }
  return comparisons;
}

function comparableOf(
  contract: ReturnType<typeof getContract>,
  content: VersionContent | undefined,
  names: NameLookup,
): Comparable {
  return content ? comparable(contract, content, names) : { object: {}, subResources: {}, assignments: [] };
}

/** Whether a baseline object matches this tenant item (by its name, or a pairing). */
function isMatched(baseline: Baseline, tenant: BaselineTenant, item: TenantObject): boolean {
  return baseline.objects.some(
    (object) =>
      object.policyType === item.policyType &&
      (tenant.pairings[object.key]
        ? tenant.pairings[object.key] === item.graphId
        : object.displayName.toLowerCase() === item.searchName),
  );
}

function dedupe(items: TenantObject[]): TenantObject[] {
  return [...new Map(items.map((item) => [item.id, item])).values()];
}

/**
 * Versions are immutable: each read once per process (bounded), the rest from Cosmos. Least recently
 * used first out: the golden tenant's versions, read by every tenant's evaluation, stay while each
 * checked tenant's own pass through (first in, first out evicted them after a few tenants, so a full
 * evaluation of a baseline read the golden versions again for every tenant).
 */
const versionCache = new Map<string, VersionContent>();
const VERSION_CACHE_LIMIT = 2000;

export async function readAll(
  deps: Pick<EvaluationDeps, 'readVersion'>,
  tenantId: string,
  versionIds: readonly string[],
) {
  const out = new Map<string, VersionContent>();
  await Promise.all(
    [...new Set(versionIds)].map(async (versionId) => {
      const cacheKey = `${tenantId}/${versionId}`;
      const cached = versionCache.get(cacheKey);
      if (cached) {
        // Moved to the end of the map's order: the most recently used.
        versionCache.delete(cacheKey);
        versionCache.set(cacheKey, cached);
        return out.set(versionId, cached);
      }
      const version = await deps.readVersion(tenantId, versionId);
      if (!version) return;
      if (versionCache.size >= VERSION_CACHE_LIMIT) versionCache.delete(versionCache.keys().next().value!);
      versionCache.set(cacheKey, version.content);
      out.set(versionId, version.content);
    }),
  );
  return out;
}
