import type { Container, SqlParameter } from '@azure/cosmos';
import { upsertAll, type WriteStats } from '../inventory/store/batch-writer';
import { readItem, withoutSystemFields } from '../store/documents';
import type { DirectoryRoleDefinition, GroupDocument, GroupKind, RoleSource, SyncStamp } from './model';

/** Ids per `ARRAY_CONTAINS` query: keeps the query text well under Cosmos' limits. */
const LOOKUP_CHUNK = 500;

/** Where a groups sync stands: committed delta link, and the round in progress. */
export interface GroupSyncState {
  id: 'state:groups';
  tenantId: string;
  docType: 'syncState';
  /** The delta link of the last completed round: the next run asks Graph only for what changed. */
  deltaLink: string | null;
  last: (SyncStamp & GroupSyncFigures) | null;
  /** The round a run is reading; cleared when it completes. */
  round: GroupRound | null;
}

export interface GroupRound {
  runId: string;
  mode: 'full' | 'delta';
  /** Where the next page comes from: null = the first request of the round (`deltaRequest`). */
  link: string | null;
  /** The round ended: this is the delta link to commit. */
  deltaLink: string | null;
  /** The delta link expired and the round restarted as a full read. */
  fellBack: boolean;
  pages: number;
  /** Groups (and removals) the round has read, written or left as they were. */
  read: number;
  written: number;
  removed: number;
  /** Cosmos requests and documents the round wrote (groups and this state document). */
  cosmosRequests: number;
  documentsWritten: number;
}

/** What a completed groups sync reports (the run's result and the state's `last`). */
export type GroupSyncFigures = Omit<GroupRound, 'runId' | 'link' | 'deltaLink'>;

export interface RoleSyncState {
  id: 'state:roleDefinitions';
  tenantId: string;
  docType: 'syncState';
  last: (SyncStamp & { roleDefinitions: number }) | null;
}

export type RoleDocument = DirectoryRoleDefinition & {
  /** `role:{source}:{id}` */
  id: string;
  roleId: string;
  tenantId: string;
  docType: 'roleDefinition';
  nameKey: string;
  contentHash: string;
  updatedAt: string;
  updatedByRunId: string;
};

export interface GroupListQuery {
  search?: string;
  type?: GroupKind | 'dynamic';
  removed: 'false' | 'true' | 'any';
  limit: number;
  continuationToken?: string;
}

export interface RoleListQuery {
  search?: string;
  source?: RoleSource;
  removed: 'false' | 'true' | 'any';
  limit: number;
  continuationToken?: string;
}

/** Lookups of at most this many ids are point reads, not a query. */
const POINT_READS_UP_TO = 10;

const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The directory cache in Cosmos: one partition per managed tenant. */
export class DirectoryStore {
  constructor(readonly container: Container) {}

  async groupsByIds(tenantId: string, ids: readonly string[]): Promise<GroupDocument[]> {
    const unique = [...new Set(ids)];
    // A few ids: point reads (a group's document id is its Graph id) cost less than a query.
    if (unique.length <= POINT_READS_UP_TO) {
      const docs = await Promise.all(
        unique.map((id) => readItem<GroupDocument>(this.container, id, tenantId)),
      );
      return docs.flatMap((doc) => (doc?.docType === 'group' ? [withoutSystemFields(doc)] : []));
    }
    return this.chunkedQuery<GroupDocument>(
      tenantId,
      "c.docType = 'group' AND ARRAY_CONTAINS(@values, c.id)",
      [...new Set(ids)],
    );
  }

  /** Live groups whose lowercased display name is one of `keys`. */
  async liveGroupsByNameKeys(tenantId: string, keys: readonly string[]): Promise<GroupDocument[]> {
    return this.chunkedQuery<GroupDocument>(
      tenantId,
      "c.docType = 'group' AND IS_NULL(c.removedAt) AND ARRAY_CONTAINS(@values, c.nameKey)",
      [...new Set(keys)],
    );
  }

  async group(tenantId: string, groupId: string): Promise<GroupDocument | undefined> {
    const [found] = await this.groupsByIds(tenantId, [groupId]);
    return found;
  }

  /** One page of groups by name: prefix of the display name (case-insensitive) or the exact id. */
  async listGroups(tenantId: string, query: GroupListQuery) {
    const conditions = ['c.tenantId = @tenantId', "c.docType = 'group'"];
    const parameters: SqlParameter[] = [{ name: '@tenantId', value: tenantId }];
    const search = query.search?.trim();
    if (search) {
      parameters.push({ name: '@prefix', value: search.toLowerCase() });
      if (ID_PATTERN.test(search)) {
        parameters.push({ name: '@id', value: search.toLowerCase() });
        conditions.push('(c.id = @id OR STARTSWITH(c.nameKey, @prefix))');
      } else conditions.push('STARTSWITH(c.nameKey, @prefix)');
    }
    if (query.type === 'dynamic') conditions.push('c.dynamic = true');
    else if (query.type) {
      conditions.push('c.kind = @kind');
      parameters.push({ name: '@kind', value: query.type });
    }
    const page = await this.pageByName<GroupDocument>(tenantId, conditions, parameters, query);
    return { groups: page.items, continuationToken: page.continuationToken };
  }

  upsertGroups(tenantId: string, groups: readonly GroupDocument[], stats: WriteStats): Promise<void> {
    return upsertAll(this.container, tenantId, groups as unknown as Array<Record<string, unknown>>, stats);
  }

  /**
   * Ids of live groups a full read (run) did not see: one id-only query (deletions are few; even 100,000
   * ids are a few MB), which an index answers in Azure and the local server in one pass.
   */
  async unseenByFullRead(tenantId: string, runId: string): Promise<string[]> {
    const { resources } = await this.container.items
      .query<string>(
        {
          query:
            "SELECT VALUE c.id FROM c WHERE c.tenantId = @tenantId AND c.docType = 'group' AND IS_NULL(c.removedAt) AND (IS_NULL(c.fullReadRunId) OR c.fullReadRunId != @runId)",
          parameters: [
            { name: '@tenantId', value: tenantId },
            { name: '@runId', value: runId },
          ],
        },
        { partitionKey: tenantId },
      )
      .fetchAll();
    return resources;
  }

  /** Every stored role definition of the tenant (a few hundred at most). */
  async allRoles(tenantId: string): Promise<RoleDocument[]> {
    const { resources } = await this.container.items
      .query<RoleDocument>(
        {
          query: "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.docType = 'roleDefinition'",
          parameters: [{ name: '@tenantId', value: tenantId }],
        },
        { partitionKey: tenantId },
      )
      .fetchAll();
    return resources.map(withoutSystemFields);
  }

  async listRoles(tenantId: string, query: RoleListQuery) {
    const conditions = ['c.tenantId = @tenantId', "c.docType = 'roleDefinition'"];
    const parameters: SqlParameter[] = [{ name: '@tenantId', value: tenantId }];
    if (query.search?.trim()) {
      conditions.push('CONTAINS(c.nameKey, @search)');
      parameters.push({ name: '@search', value: query.search.trim().toLowerCase() });
    }
    if (query.source) {
      conditions.push('c.source = @source');
      parameters.push({ name: '@source', value: query.source });
    }
    const page = await this.pageByName<RoleDocument>(tenantId, conditions, parameters, query);
    return { roles: page.items, continuationToken: page.continuationToken };
  }

  upsertRoles(tenantId: string, roles: readonly RoleDocument[], stats: WriteStats): Promise<void> {
    return upsertAll(this.container, tenantId, roles as unknown as Array<Record<string, unknown>>, stats);
  }

  async groupState(tenantId: string): Promise<GroupSyncState> {
    const { resource } = await this.container.item('state:groups', tenantId).read<GroupSyncState>();
    return resource
      ? withoutSystemFields(resource)
      : { id: 'state:groups', tenantId, docType: 'syncState', deltaLink: null, last: null, round: null };
  }

  async roleState(tenantId: string): Promise<RoleSyncState> {
    const { resource } = await this.container.item('state:roleDefinitions', tenantId).read<RoleSyncState>();
    return resource
      ? withoutSystemFields(resource)
      : { id: 'state:roleDefinitions', tenantId, docType: 'syncState', last: null };
  }

  async saveState(state: GroupSyncState | RoleSyncState): Promise<void> {
    await this.container.items.upsert(state);
  }

  /** One page of a list sorted by lowercased name, with the list's `removed` filter applied. */
  private async pageByName<T extends object>(
    tenantId: string,
    conditions: string[],
    parameters: SqlParameter[],
    query: { removed: 'false' | 'true' | 'any'; limit: number; continuationToken?: string },
  ): Promise<{ items: T[]; continuationToken?: string }> {
    const removed = { false: ['IS_NULL(c.removedAt)'], true: ['NOT IS_NULL(c.removedAt)'], any: [] }[
      query.removed
    ];
    const page = await this.container.items
      .query<T>(
        {
          query: `SELECT * FROM c WHERE ${[...conditions, ...removed].join(' AND ')} ORDER BY c.nameKey`,
          parameters,
        },
        { partitionKey: tenantId, maxItemCount: query.limit, continuationToken: query.continuationToken },
      )
      .fetchNext();
    return { items: page.resources.map(withoutSystemFields), continuationToken: page.continuationToken };
  }

  private async chunkedQuery<T>(
    tenantId: string,
    condition: string,
    values: readonly string[],
  ): Promise<T[]> {
    const out: T[] = [];
    for (let start = 0; start < values.length; start += LOOKUP_CHUNK) {
      const { resources } = await this.container.items
        .query<T>(
          {
            query: `SELECT * FROM c WHERE c.tenantId = @tenantId AND ${condition}`,
            parameters: [
              { name: '@tenantId', value: tenantId },
              { name: '@values', value: values.slice(start, start + LOOKUP_CHUNK) as string[] },
            ],
          },
          { partitionKey: tenantId },
        )
        .fetchAll();
      out.push(...resources.map((doc) => withoutSystemFields(doc as object) as T));
    }
    return out;
  }
}
