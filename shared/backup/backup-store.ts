import type { Container } from '@azure/cosmos';
import { isConflict, readItem, updateWithEtag, withoutSystemFields } from '../store/documents';
import { PAGE_SIZE, pageId, type BackupItem, type BackupPage, type BackupSet } from './model';

export interface BackupSetQuery {
  workspaceId: string;
  tenantId: string;
  scheduleId?: string;
  limit: number;
  continuationToken?: string;
}

/** Backup sets and their manifest pages (container `backups`, partition `/tenantId`). */
export class BackupStore {
  constructor(private readonly backups: Container) {}

  /** Creates the set, or returns the one already there (an activity may run twice). */
  async createSet(set: BackupSet): Promise<BackupSet> {
    try {
      await this.backups.items.create(set);
      return set;
    } catch (error) {
      if (!isConflict(error)) throw error;
      return (await this.getSet(set.tenantId, set.id))!;
    }
  }

  async getSet(tenantId: string, id: string): Promise<BackupSet | undefined> {
    const doc = await readItem<BackupSet>(this.backups, id, tenantId);
    return doc?.kind === 'backupSet' ? withoutSystemFields(doc) : undefined;
  }

  async updateSet(tenantId: string, id: string, mutate: (set: BackupSet) => BackupSet | undefined) {
    const updated = await updateWithEtag<BackupSet>(
      this.backups,
      id,
      tenantId,
      (current) => (current.kind === 'backupSet' ? mutate(current) : undefined),
      'The backup set',
    );
    return withoutSystemFields(updated);
  }

  async listSets(query: BackupSetQuery): Promise<{ items: BackupSet[]; continuationToken?: string }> {
    const parameters = [
      { name: '@tenantId', value: query.tenantId },
      { name: '@workspaceId', value: query.workspaceId },
      ...(query.scheduleId ? [{ name: '@scheduleId', value: query.scheduleId }] : []),
    ];
    const page = await this.backups.items
      .query<BackupSet>(
        {
          query: `SELECT * FROM c WHERE c.tenantId = @tenantId AND c.kind = 'backupSet' AND c.workspaceId = @workspaceId${
            query.scheduleId ? ' AND c.scheduleId = @scheduleId' : ''
          } ORDER BY c.createdAt DESC`,
          parameters,
        },
        {
          partitionKey: query.tenantId,
          maxItemCount: query.limit,
          continuationToken: query.continuationToken,
        },
      )
      .fetchNext();
    return {
      items: page.resources.map((doc) => withoutSystemFields(doc)),
      ...(page.continuationToken && { continuationToken: page.continuationToken }),
    };
  }

  /** Every set of a tenant, or of one schedule, without items (retention and GC read these). */
  async allSets(tenantId: string, scheduleId?: string): Promise<BackupSet[]> {
    const { resources } = await this.backups.items
      .query<BackupSet>(
        {
          query: `SELECT * FROM c WHERE c.tenantId = @tenantId AND c.kind = 'backupSet'${
            scheduleId ? ' AND c.scheduleId = @scheduleId' : ''
          }`,
          parameters: [
            { name: '@tenantId', value: tenantId },
            ...(scheduleId ? [{ name: '@scheduleId', value: scheduleId }] : []),
          ],
        },
        { partitionKey: tenantId },
      )
      .fetchAll();
    return resources.map((doc) => withoutSystemFields(doc));
  }

  /**
   * Writes one type's items as pages with deterministic ids (upserts, so a retried activity rewrites the
   * same pages) and removes pages left over from an earlier attempt that saw more objects.
   */
  async writeItems(
    set: Pick<BackupSet, 'id' | 'tenantId'>,
    policyType: string,
    segment: number,
    items: BackupItem[],
  ) {
    const pages = Math.ceil(items.length / PAGE_SIZE);
    for (let page = 0; page < pages; page++) {
      const doc: BackupPage = {
        id: pageId(set.id, policyType, segment, page),
        kind: 'backupPage',
        tenantId: set.tenantId,
        setId: set.id,
        policyType,
        segment,
        page,
        items: items
          .slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE)
          .map(({ policyType: _type, ...item }) => item),
      };
      await this.backups.items.upsert(doc);
    }
    const stale = await this.pageIds(set.tenantId, set.id, { policyType, segment, fromPage: pages });
    for (const id of stale) await this.deleteDoc(set.tenantId, id);
  }

  /** Items of a set, a few pages per call, in type order. */
  async items(
    tenantId: string,
    setId: string,
    options: { maxPages: number; continuationToken?: string },
  ): Promise<{ items: BackupItem[]; continuationToken?: string }> {
    const page = await this.backups.items
      .query<BackupPage>(
        {
          query:
            "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.kind = 'backupPage' AND c.setId = @setId ORDER BY c.id",
          parameters: [
            { name: '@tenantId', value: tenantId },
            { name: '@setId', value: setId },
          ],
        },
        {
          partitionKey: tenantId,
          maxItemCount: options.maxPages,
          continuationToken: options.continuationToken,
        },
      )
      .fetchNext();
    return {
      items: page.resources.flatMap((p) => p.items.map((item) => ({ policyType: p.policyType, ...item }))),
      ...(page.continuationToken && { continuationToken: page.continuationToken }),
    };
  }

  /**
   * Deletes a set: the set document first (what users see), then its pages. Pages left by an
   * interrupted delete are orphans that `orphanPageIds` finds and garbage collection removes.
   */
  async deleteSet(tenantId: string, setId: string): Promise<void> {
    await this.deleteDoc(tenantId, setId);
    for (const id of await this.pageIds(tenantId, setId)) await this.deleteDoc(tenantId, id);
  }

  /** Pages whose set no longer exists. */
  async orphanPageIds(tenantId: string, liveSetIds: ReadonlySet<string>): Promise<string[]> {
    const { resources } = await this.backups.items
      .query<{ id: string; setId: string }>(
        {
          query: "SELECT c.id, c.setId FROM c WHERE c.tenantId = @tenantId AND c.kind = 'backupPage'",
          parameters: [{ name: '@tenantId', value: tenantId }],
        },
        { partitionKey: tenantId },
      )
      .fetchAll();
    return resources.filter((p) => !liveSetIds.has(p.setId)).map((p) => p.id);
  }

  async deletePages(tenantId: string, ids: string[]): Promise<void> {
    for (const id of ids) await this.deleteDoc(tenantId, id);
  }

  /** Every version id any manifest page of the tenant pins, streamed into one set. */
  async referencedVersionIds(tenantId: string): Promise<Set<string>> {
    const referenced = new Set<string>();
    const iterator = this.backups.items.query<string>(
      {
        query:
          "SELECT VALUE i.versionId FROM c JOIN i IN c.items WHERE c.tenantId = @tenantId AND c.kind = 'backupPage'",
        parameters: [{ name: '@tenantId', value: tenantId }],
      },
      { partitionKey: tenantId, maxItemCount: 5000 },
    );
    while (iterator.hasMoreResults()) {
      for (const id of (await iterator.fetchNext()).resources) referenced.add(id);
    }
    return referenced;
  }

  private async pageIds(
    tenantId: string,
    setId: string,
    of?: { policyType: string; segment: number; fromPage: number },
  ) {
    const { resources } = await this.backups.items
      .query<string>(
        {
          query: `SELECT VALUE c.id FROM c WHERE c.tenantId = @tenantId AND c.kind = 'backupPage' AND c.setId = @setId${
            of ? ' AND c.policyType = @policyType AND c.segment = @segment AND c.page >= @fromPage' : ''
          }`,
          parameters: [
            { name: '@tenantId', value: tenantId },
            { name: '@setId', value: setId },
            ...(of
              ? [
                  { name: '@policyType', value: of.policyType },
                  { name: '@segment', value: of.segment },
                  { name: '@fromPage', value: of.fromPage },
                ]
              : []),
          ],
        },
        { partitionKey: tenantId },
      )
      .fetchAll();
    return resources;
  }

  private async deleteDoc(tenantId: string, id: string): Promise<void> {
    try {
      await this.backups.item(id, tenantId).delete();
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
    }
  }
}
