import type { Container, SqlParameter } from '@azure/cosmos';
import { stableStringify } from '../inventory';
import { readItem, updateWithEtag, withoutSystemFields } from '../store/documents';
import {
  baselineSchema,
  findingSchema,
  pairSummarySchema,
  pairMatchesIdOf,
  pairMatchesSchema,
  summaryIdOf,
  tenantBaselinesIdOf,
  tenantBaselinesSchema,
  type Baseline,
  type Finding,
  type PairMatch,
  type PairMatches,
  type PairSummary,
  type TenantBaselines,
} from './model';

type Parameter = SqlParameter & { value: string | number | boolean | string[] };

/**
 * Drift's documents, in the workspace's partition of two containers: `drift` (baselines, findings, the
 * pairs' matches, the tenants' baseline indexes) and `driftSummaries` (one summary per (baseline, tenant),
 * kept apart so the workspace's summary never reads the findings; decision 0077).
 */
export class DriftStore {
  constructor(
    readonly container: Container,
    readonly summaryContainer: Container,
  ) {}

  async baseline(workspaceId: string, id: string): Promise<Baseline | undefined> {
    const doc = await readItem<Baseline>(this.container, id, workspaceId);
    return doc?.docType === 'baseline' ? baselineSchema.parse(withoutSystemFields(doc)) : undefined;
  }

  async createBaseline(baseline: Baseline): Promise<void> {
    await this.container.items.create(baseline);
  }

  /** Read-modify-write with the ETag; `mutate` returns undefined to leave it as it is. */
  async updateBaseline(
    workspaceId: string,
    id: string,
    mutate: (current: Baseline) => Baseline | undefined,
  ): Promise<Baseline> {
    const updated = await updateWithEtag<Baseline>(
      this.container,
      id,
      workspaceId,
      (current) => (current.docType === 'baseline' && !current.deletedAt ? mutate(current) : undefined),
      'The baseline',
    );
    return baselineSchema.parse(withoutSystemFields(updated));
  }

  async deleteBaselineDocument(workspaceId: string, id: string): Promise<void> {
    await this.container
      .item(id, workspaceId)
      .delete()
      .catch((error: { code?: number }) => {
        if (error.code !== 404) throw error;
      });
  }

  async listBaselines(
    workspaceId: string,
    page: { limit: number; continuationToken?: string },
  ): Promise<{ items: Baseline[]; continuationToken?: string }> {
    const result = await this.container.items
      .query<Baseline>(
        {
          query:
            "SELECT * FROM c WHERE c.workspaceId = @w AND c.docType = 'baseline' AND IS_NULL(c.deletedAt) ORDER BY c.createdAt DESC",
          parameters: [{ name: '@w', value: workspaceId }],
        },
        { partitionKey: workspaceId, maxItemCount: page.limit, continuationToken: page.continuationToken },
      )
      .fetchNext();
    return {
      items: result.resources.map((doc) => baselineSchema.parse(withoutSystemFields(doc))),
      ...(result.continuationToken && { continuationToken: result.continuationToken }),
    };
  }

  /** The (live) baselines a tenant is assigned to. */
  baselinesOfTenant(workspaceId: string, tenantId: string): Promise<Baseline[]> {
    return this.liveBaselines(workspaceId, 'ARRAY_CONTAINS(c.tenantIds, @t)', tenantId);
  }

  /** The (live) baselines built from a golden tenant (`source.tenantId`): one query in the partition. */
  baselinesFromSource(workspaceId: string, tenantId: string): Promise<Baseline[]> {
    return this.liveBaselines(workspaceId, 'c.source.tenantId = @t', tenantId);
  }

  private async liveBaselines(workspaceId: string, condition: string, tenantId: string): Promise<Baseline[]> {
    const { resources } = await this.container.items
      .query<Baseline>(
        {
          query: `SELECT * FROM c WHERE c.workspaceId = @w AND c.docType = 'baseline' AND IS_NULL(c.deletedAt) AND ${condition}`,
          parameters: [
            { name: '@w', value: workspaceId },
            { name: '@t', value: tenantId },
          ],
        },
        { partitionKey: workspaceId },
      )
      .fetchAll();
    return resources.map((doc) => baselineSchema.parse(withoutSystemFields(doc)));
  }

  /**
   * The baselines a tenant is assigned to, without a query: its index document (a point read), then each
   * baseline by id, keeping those that list the tenant. Ids of baselines gone or deleted leave the index.
   * No index yet (assignments made before it existed): one query, whose answer becomes the index.
   */
  async assignedBaselines(workspaceId: string, tenantId: string): Promise<Baseline[]> {
    const index = await readItem<TenantBaselines>(this.container, tenantBaselinesIdOf(tenantId), workspaceId);
    if (index?.docType !== 'tenantBaselines') {
      const found = await this.baselinesOfTenant(workspaceId, tenantId);
      await this.indexTenantBaselines(
        workspaceId,
        tenantId,
        found.map((b) => b.id),
        [],
      );
      return found;
    }
    const read = await Promise.all(
      index.baselineIds.map(async (id) => ({ id, baseline: await this.baseline(workspaceId, id) })),
    );
    const gone = read.filter((r) => !r.baseline || r.baseline.deletedAt).map((r) => r.id);
    if (gone.length > 0) await this.indexTenantBaselines(workspaceId, tenantId, [], gone);
    return read.flatMap(({ baseline }) =>
      baseline && !baseline.deletedAt && baseline.tenantIds.includes(tenantId) ? [baseline] : [],
    );
  }

  /** Adds and removes baseline ids in a tenant's index (created on first use); idempotent. */
  async indexTenantBaselines(
    workspaceId: string,
    tenantId: string,
    add: readonly string[],
    remove: readonly string[],
  ): Promise<void> {
    const id = tenantBaselinesIdOf(tenantId);
    const empty: TenantBaselines = { id, workspaceId, docType: 'tenantBaselines', tenantId, baselineIds: [] };
    if (!(await readItem<TenantBaselines>(this.container, id, workspaceId)))
      await this.container.items.create(empty).catch((error: { code?: number }) => {
        if (error.code !== 409) throw error;
      });
    await updateWithEtag<TenantBaselines>(this.container, id, workspaceId, (current) => {
      const ids = new Set(current.baselineIds);
      for (const baselineId of add) ids.add(baselineId);
      for (const baselineId of remove) ids.delete(baselineId);
      const next = [...ids].sort();
      return JSON.stringify(next) === JSON.stringify(current.baselineIds)
        ? undefined
        : { ...tenantBaselinesSchema.parse(withoutSystemFields(current)), baselineIds: next };
    });
  }

  async finding(workspaceId: string, id: string): Promise<(Finding & { _etag?: string }) | undefined> {
    const doc = await readItem<Finding & { _etag: string }>(this.container, id, workspaceId);
    if (doc?.docType !== 'finding') return undefined;
    return { ...findingSchema.parse(withoutSystemFields(doc)), _etag: doc._etag };
  }

  /** These findings (ids derived with findingIdOf): point reads, no query; missing ones are left out. */
  async findingsByIds(
    workspaceId: string,
    ids: readonly string[],
  ): Promise<Array<Finding & { _etag: string }>> {
    const found = await Promise.all([...new Set(ids)].map((id) => this.finding(workspaceId, id)));
    return found.flatMap((finding) => (finding?._etag ? [{ ...finding, _etag: finding._etag }] : []));
  }

  /** Findings of one (baseline, tenant), optionally only these ids or only those about these items. */
  async findingsOfPair(
    workspaceId: string,
    baselineId: string,
    tenantId: string,
    filter: { ids?: readonly string[]; tenantItemIds?: readonly string[] } = {},
  ): Promise<Array<Finding & { _etag: string }>> {
    const conditions = [
      'c.workspaceId = @w',
      "c.docType = 'finding'",
      'c.baselineId = @b',
      'c.tenantId = @t',
    ];
    const parameters: Parameter[] = [
      { name: '@w', value: workspaceId },
      { name: '@b', value: baselineId },
      { name: '@t', value: tenantId },
    ];
    const ors: string[] = [];
    if (filter.ids) {
      ors.push('ARRAY_CONTAINS(@ids, c.id)');
      parameters.push({ name: '@ids', value: [...filter.ids] });
    }
    if (filter.tenantItemIds) {
      ors.push('ARRAY_CONTAINS(@items, c.tenantItemId)');
      parameters.push({ name: '@items', value: [...filter.tenantItemIds] });
    }
    if (ors.length > 0) conditions.push(`(${ors.join(' OR ')})`);
    const { resources } = await this.container.items
      .query<Finding & { _etag: string }>(
        { query: `SELECT * FROM c WHERE ${conditions.join(' AND ')}`, parameters },
        { partitionKey: workspaceId },
      )
      .fetchAll();
    return resources.map((doc) => ({ ...findingSchema.parse(withoutSystemFields(doc)), _etag: doc._etag }));
  }

  /**
   * Writes a finding unless someone else changed it since `etag` was read (412 → false, the caller
   * evaluates again). No etag: create, failing with false when it exists already.
   */
  async writeFinding(finding: Finding, etag: string | undefined): Promise<boolean> {
    try {
      if (etag)
        await this.container
          .item(finding.id, finding.workspaceId)
          .replace(finding, { accessCondition: { type: 'IfMatch', condition: etag } });
      else await this.container.items.create(finding);
      return true;
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (code === 412 || code === 409) return false;
      throw error;
    }
  }

  async deleteDocuments(workspaceId: string, ids: readonly string[]): Promise<void> {
    await deleteAll(this.container, workspaceId, ids);
  }

  /**
   * Deletes every document of a baseline's pairs (optionally of one tenant's): findings, matches and the
   * pending markers in `drift`, summaries and signal ledgers in `driftSummaries`. Safe to repeat.
   */
  async deletePairDocuments(workspaceId: string, baselineId: string, tenantId?: string): Promise<void> {
    const query = (where: string) => ({
      query: `SELECT c.id FROM c WHERE c.workspaceId = @w AND c.baselineId = @b${where}${tenantId ? ' AND c.tenantId = @t' : ''}`,
      parameters: [
        { name: '@w', value: workspaceId },
        { name: '@b', value: baselineId },
        ...(tenantId ? [{ name: '@t', value: tenantId }] : []),
      ],
    });
    for (const [container, where] of [
      [
        this.container,
        " AND (c.docType = 'finding' OR c.docType = 'pairMatches' OR c.docType = 'evaluationPending'" +
          " OR c.docType = 'goldenRenamePending')",
      ],
      [this.summaryContainer, ''],
    ] as const) {
      const { resources } = await container.items
        .query<{ id: string }>(query(where), { partitionKey: workspaceId })
        .fetchAll();
      await deleteAll(
        container,
        workspaceId,
        resources.map((doc) => doc.id),
      );
    }
  }

  /** The pair's matches (undefined: not fully evaluated since they were kept). */
  async pairMatches(
    workspaceId: string,
    baselineId: string,
    tenantId: string,
  ): Promise<PairMatches | undefined> {
    const doc = await readItem<PairMatches>(
      this.container,
      pairMatchesIdOf(baselineId, tenantId),
      workspaceId,
    );
    return doc?.docType === 'pairMatches' ? pairMatchesSchema.parse(withoutSystemFields(doc)) : undefined;
  }

  /**
   * Sets these entries of the pair's matches (item null: none); `replace` sets them all (a full
   * evaluation, which creates the document), otherwise a missing document stays missing, and namesakes a
   * document does not keep yet stay unknown (only a full evaluation knows them all).
   */
  async updatePairMatches(
    workspaceId: string,
    baselineId: string,
    tenantId: string,
    entries: Record<string, PairMatch>,
    replace: boolean,
  ): Promise<void> {
    const id = pairMatchesIdOf(baselineId, tenantId);
    const apply = (base: Pick<PairMatches, 'items' | 'namesakes'>) => {
      const items = { ...base.items };
      const namesakes = base.namesakes && { ...base.namesakes };
      for (const [key, entry] of Object.entries(entries)) {
        if (entry.itemId) items[key] = entry.itemId;
        else delete items[key];
        if (!namesakes) continue;
        if (entry.namesakes.length > 0) namesakes[key] = [...entry.namesakes].sort();
        else delete namesakes[key];
      }
      return { items, ...(namesakes && { namesakes }) };
    };
    const complete = { items: {}, namesakes: {} };
    if (replace && !(await readItem<PairMatches>(this.container, id, workspaceId))) {
      const created = await this.container.items
        .create({ id, workspaceId, docType: 'pairMatches', baselineId, tenantId, ...apply(complete) })
        .then(() => true)
        .catch((error: { code?: number }) => {
          if (error.code !== 409) throw error;
          return false;
        });
      if (created) return;
    }
    if (!replace && !(await readItem<PairMatches>(this.container, id, workspaceId))) return;
    await updateWithEtag<PairMatches>(this.container, id, workspaceId, (stored) => {
      const current = pairMatchesSchema.parse(withoutSystemFields(stored));
      const next = apply(replace ? complete : current);
      return stableStringify(next) === stableStringify({ items: current.items, namesakes: current.namesakes })
        ? undefined
        : { ...current, ...next };
    });
  }

  async summary(workspaceId: string, baselineId: string, tenantId: string): Promise<PairSummary | undefined> {
    const doc = await readItem<PairSummary>(
      this.summaryContainer,
      summaryIdOf(baselineId, tenantId),
      workspaceId,
    );
    return doc?.docType === 'summary' ? pairSummarySchema.parse(withoutSystemFields(doc)) : undefined;
  }

  /** Changes the pair's summary (created empty first); `mutate` returns undefined for no change. */
  async updateSummary(
    workspaceId: string,
    baselineId: string,
    tenantId: string,
    mutate: (current: PairSummary) => PairSummary | undefined,
  ): Promise<void> {
    const id = summaryIdOf(baselineId, tenantId);
    const empty: PairSummary = {
      id,
      workspaceId,
      docType: 'summary',
      baselineId,
      tenantId,
      objects: 0,
      drift: {},
      evaluatedKey: null,
      evaluatedAt: null,
    };
    // Created on first use (a point read first: most pairs have one, and a failed create costs a request).
    if (!(await readItem<PairSummary>(this.summaryContainer, id, workspaceId)))
      await this.summaryContainer.items.create(empty).catch((error: { code?: number }) => {
        if (error.code !== 409) throw error;
      });
    await updateWithEtag<PairSummary>(this.summaryContainer, id, workspaceId, (current) => {
      const next = mutate(pairSummarySchema.parse(withoutSystemFields(current)));
      return next && JSON.stringify(next) !== JSON.stringify(pairSummarySchema.parse(current))
        ? next
        : undefined;
    });
  }

  /** Each assigned tenant's last full evaluation key of a baseline (one projection query). */
  async evaluatedKeys(workspaceId: string, baselineId: string): Promise<Map<string, string | null>> {
    const { resources } = await this.summaryContainer.items
      .query<{ tenantId: string; evaluatedKey: string | null }>(
        {
          query:
            "SELECT c.tenantId, c.evaluatedKey FROM c WHERE c.workspaceId = @w AND c.docType = 'summary' AND c.baselineId = @b",
          parameters: [
            { name: '@w', value: workspaceId },
            { name: '@b', value: baselineId },
          ],
        },
        { partitionKey: workspaceId },
      )
      .fetchAll();
    return new Map(resources.map((doc) => [doc.tenantId, doc.evaluatedKey ?? null]));
  }

  /**
   * Records that a baseline still has tenants to evaluate: the write comes back through the change feed
   * and the next invocation goes on (each invocation evaluates a bounded number of tenants).
   */
  async markPending(workspaceId: string, baselineId: string, remaining: number, at: string): Promise<void> {
    await this.container.items.upsert({
      id: `pending-${baselineId}`,
      workspaceId,
      docType: 'evaluationPending',
      baselineId,
      remaining,
      at,
    });
  }

  /** Every (baseline, tenant) summary of the workspace: one document per pair. */
  async summaries(workspaceId: string, filter: { baselineId?: string; tenantId?: string }) {
    const conditions = ['c.workspaceId = @w', "c.docType = 'summary'"];
    const parameters: Parameter[] = [{ name: '@w', value: workspaceId }];
    if (filter.baselineId) {
      conditions.push('c.baselineId = @b');
      parameters.push({ name: '@b', value: filter.baselineId });
    }
    if (filter.tenantId) {
      conditions.push('c.tenantId = @t');
      parameters.push({ name: '@t', value: filter.tenantId });
    }
    const { resources } = await this.summaryContainer.items
      .query<PairSummary>(
        { query: `SELECT * FROM c WHERE ${conditions.join(' AND ')}`, parameters },
        { partitionKey: workspaceId },
      )
      .fetchAll();
    return resources.map((doc) => pairSummarySchema.parse(withoutSystemFields(doc)));
  }

  /** A page of findings in id order (stable pages); `state` filters by the state as readers see it at `now`. */
  async listFindings(query: {
    workspaceId: string;
    baselineId?: string;
    tenantId?: string;
    state: 'open' | 'accepted' | 'resolved' | 'matching' | 'all';
    now: string;
    limit: number;
    continuationToken?: string;
  }): Promise<{ items: Finding[]; continuationToken?: string }> {
    const conditions = ['c.workspaceId = @w', "c.docType = 'finding'"];
    const parameters: Parameter[] = [{ name: '@w', value: query.workspaceId }];
    if (query.baselineId) {
      conditions.push('c.baselineId = @b');
      parameters.push({ name: '@b', value: query.baselineId });
    }
    if (query.tenantId) {
      conditions.push('c.tenantId = @t');
      parameters.push({ name: '@t', value: query.tenantId });
    }
    // An acceptance that expired shows its finding as open again, before any evaluation rewrites it.
    const expired =
      "(c.state = 'accepted' AND IS_STRING(c.acceptance.expiresAt) AND c.acceptance.expiresAt <= @now)";
    if (query.state === 'open') conditions.push(`(c.state = 'open' OR ${expired})`);
    if (query.state === 'accepted') conditions.push(`(c.state = 'accepted' AND NOT ${expired})`);
    if (query.state === 'resolved' || query.state === 'matching') {
      conditions.push('c.state = @state');
      parameters.push({ name: '@state', value: query.state });
    }
    if (query.state === 'open' || query.state === 'accepted')
      parameters.push({ name: '@now', value: query.now });
    const page = await this.container.items
      .query<Finding>(
        {
          query: `SELECT * FROM c WHERE ${conditions.join(' AND ')} ORDER BY c.id`,
          parameters,
        },
        {
          partitionKey: query.workspaceId,
          maxItemCount: query.limit,
          continuationToken: query.continuationToken,
        },
      )
      .fetchNext();
    return {
      items: page.resources.map((doc) => findingSchema.parse(withoutSystemFields(doc))),
      ...(page.continuationToken && { continuationToken: page.continuationToken }),
    };
  }
}

async function deleteAll(container: Container, workspaceId: string, ids: readonly string[]): Promise<void> {
  for (const id of ids)
    await container
      .item(id, workspaceId)
      .delete()
      .catch((error: { code?: number }) => {
        if (error.code !== 404) throw error;
      });
}
