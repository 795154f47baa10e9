import type { Container, SqlParameter } from '@azure/cosmos';
import { NotFoundError, ValidationError } from '../errors';
import { withoutSystemFields } from '../store/documents';
import { diffJson } from './diff';
import { inventoryItemSchema, type InventoryItem } from './model';
import type { ItemStore } from './store/items';
import type { ObservationStore } from './store/observations';
import type { VersionStore } from './store/versions';
import type { InventoryItemView, InventoryListQuery } from './views';

const NAMED_TYPES = ['groups', 'assignmentFilters', 'roleScopeTags'];

/**
 * The inventory as the API reads it: from Cosmos only, never Graph. Names of groups, filters and scope
 * tags come from the tenant's own items of those types (what the last sync stored).
 */
export class InventoryQueries {
  constructor(
    private readonly items: ItemStore,
    private readonly versions: VersionStore,
    private readonly observations: ObservationStore,
  ) {}

  async list(tenantId: string, query: InventoryListQuery) {
    const conditions = ['c.tenantId = @tenantId', "c.docType = 'item'"];
    const parameters: SqlParameter[] = [{ name: '@tenantId', value: tenantId }];
    const add = (clause: string, name: string, value: string | undefined) => {
      if (value === undefined) return;
      conditions.push(clause);
      parameters.push({ name, value });
    };
    add('c.policyType = @type', '@type', query.type);
    add('c.category = @category', '@category', query.category);
    add('c.platform = @platform', '@platform', query.platform);
    add('CONTAINS(c.searchName, @search)', '@search', query.search?.toLowerCase());
    add('ARRAY_CONTAINS(c.targetIds, @target)', '@target', query.assignmentTarget);
    add('c.changedAt >= @since', '@since', query.changedSince && new Date(query.changedSince).toISOString());
    if (query.removed === 'false') conditions.push('IS_NULL(c.removedAt)');
    if (query.removed === 'true') conditions.push('NOT IS_NULL(c.removedAt)');
    const page = await this.container.items
      .query<InventoryItem>(
        { query: `SELECT * FROM c WHERE ${conditions.join(' AND ')} ORDER BY c.sortKey`, parameters },
        { partitionKey: tenantId, maxItemCount: query.limit, continuationToken: query.continuationToken },
      )
      .fetchNext();
    const items = page.resources.map((doc) => inventoryItemSchema.parse(withoutSystemFields(doc)));
    return {
      items: await this.views(tenantId, items),
      ...(page.continuationToken && { continuationToken: page.continuationToken }),
    };
  }

  async item(tenantId: string, itemId: string) {
    const item = await this.requireItem(tenantId, itemId);
    const [view] = await this.views(tenantId, [item]);
    return { ...view!, currentVersion: await this.version(tenantId, item, item.currentVersionId) };
  }

  /** The change history of an item, newest first. */
  async history(tenantId: string, itemId: string) {
    const item = await this.requireItem(tenantId, itemId);
    return {
      items: [...item.history]
        .reverse()
        .map((entry, index) => ({ ...entry, current: index === 0 && !item.removedAt })),
    };
  }

  async version(tenantId: string, item: InventoryItem | string, versionId: string) {
    const owner = typeof item === 'string' ? await this.requireItem(tenantId, item) : item;
    const version = await this.versions.read(tenantId, versionId);
    if (!version || version.itemId !== owner.id) throw new NotFoundError('The policy version');
    return {
      id: version.id,
      itemId: version.itemId,
      policyType: version.policyType,
      graphId: version.graphId,
      displayName: version.displayName,
      content: version.content,
      redactedPaths: version.redactedPaths,
      size: version.size,
      chunked: version.chunks > 0,
      ...(version.attribution && { attribution: version.attribution }),
    };
  }

  /** What changed between two versions of an item (default: the one before the current, and the current). */
  async diff(tenantId: string, itemId: string, range: { from?: string; to?: string }) {
    const item = await this.requireItem(tenantId, itemId);
    const to = range.to ?? item.currentVersionId;
    const known = item.history.map((entry) => entry.versionId);
    let from = range.from ?? null;
    if (from === null) {
      const at = known.lastIndexOf(to);
      if (at < 0) throw new NotFoundError('The policy version');
      from =
        known
          .slice(0, at)
          .reverse()
          .find((versionId) => versionId !== to) ?? null;
    }
    if (from === to)
      throw new ValidationError('Choose two different versions.', [
        { path: 'query.from', message: 'equals to' },
      ]);
    const [older, newer] = await Promise.all([
      from ? this.version(tenantId, item, from) : Promise.resolve(undefined),
      this.version(tenantId, item, to),
    ]);
    return { itemId: item.id, from, to, changes: diffJson(older?.content ?? {}, newer.content) };
  }

  private get container(): Container {
    return this.items.container;
  }

  private async requireItem(tenantId: string, itemId: string): Promise<InventoryItem> {
    const item = await this.items.get(tenantId, itemId);
    if (!item) throw new NotFoundError('The inventory item');
    return item;
  }

  /** Items with the names of what they point at, looked up in one query per page of items. */
  private async views(tenantId: string, items: InventoryItem[]): Promise<InventoryItemView[]> {
    const ids = new Set<string>();
    for (const item of items) {
      for (const target of item.assignments) {
        if (target.groupId) ids.add(target.groupId);
        if (target.filterId) ids.add(target.filterId);
      }
      for (const id of item.scopeTagIds) ids.add(id);
    }
    const names = new Map<string, string>();
    // Unchanged items are not rewritten by a sync: their type's last complete listing saw them.
    const observedAt =
      items.length > 0 ? await this.observations.observedAtByType(tenantId) : new Map<string, string>();
    if (ids.size > 0) {
      const { resources } = await this.container.items
        .query<{ policyType: string; graphId: string; displayName: string }>(
          {
            query:
              "SELECT c.policyType, c.graphId, c.displayName FROM c WHERE c.tenantId = @tenantId AND c.docType = 'item' AND ARRAY_CONTAINS(@types, c.policyType) AND ARRAY_CONTAINS(@ids, c.graphId)",
            parameters: [
              { name: '@tenantId', value: tenantId },
              { name: '@types', value: NAMED_TYPES },
              { name: '@ids', value: [...ids] },
            ],
          },
          { partitionKey: tenantId },
        )
        .fetchAll();
      for (const named of resources) names.set(`${named.policyType}:${named.graphId}`, named.displayName);
    }
    return items.map((item) => {
      const {
        docType: _docType,
        searchName: _searchName,
        sortKey: _sortKey,
        history: _history,
        ...rest
      } = item;
      const listed = item.removedAt ? undefined : observedAt.get(item.policyType);
      return {
        ...rest,
        lastSeenAt: listed && listed > item.lastSeenAt ? listed : item.lastSeenAt,
        assignments: item.assignments.map((target) => ({
          ...target,
          groupName: (target.groupId && names.get(`groups:${target.groupId}`)) || null,
          filterName: (target.filterId && names.get(`assignmentFilters:${target.filterId}`)) || null,
        })),
        scopeTags: item.scopeTagIds.map((id) => ({ id, name: names.get(`roleScopeTags:${id}`) ?? null })),
      };
    });
  }
}
