import type { GraphObject } from '../graph';
import type { DirectoryDeps } from './deps';
import { groupOfDocument, type DirectoryGroup, type GroupDirectory } from './model';
import type { DirectoryStore } from './store';

/** The cache as other modules read it (restore's group mapping, the inventory): Cosmos only. */
export function createGroupDirectory(store: DirectoryStore): GroupDirectory {
  return {
    async groupsById(tenantId, ids) {
      const docs = await store.groupsByIds(tenantId, ids);
      return new Map(
        docs.map((doc) => [doc.id, { ...groupOfDocument(doc), nameChangedAt: doc.nameChangedAt ?? null }]),
      );
    },

    async groupsByDisplayName(tenantId, names) {
      const docs = await store.liveGroupsByNameKeys(
        tenantId,
        names.map((name) => name.toLowerCase()),
      );
      const byKey = new Map<string, DirectoryGroup[]>();
      for (const doc of docs)
        byKey.set(doc.nameKey, [...(byKey.get(doc.nameKey) ?? []), groupOfDocument(doc)]);
      const out = new Map<string, DirectoryGroup[]>();
      for (const name of names) {
        const found = byKey.get(name.toLowerCase());
        if (found) out.set(name, found);
      }
      return out;
    },

    async lastSync(tenantId) {
      const { last } = await store.groupState(tenantId);
      return last ? { syncedAt: last.syncedAt, runId: last.runId } : undefined;
    },
  };
}

export interface FreshGroups {
  /** Live groups as Graph answers them (the groups contract's `$select`). */
  live: GraphObject[];
  /** Asked ids the cache saw deleted. */
  removed: number;
  /** Asked ids the cache has never seen (created since its last sync, or not groups). */
  unknown: string[];
}

/**
 * The inventory's group reads: the cached groups with these ids, when the last groups sync is at most
 * `cacheMaxAgeMinutes` old; undefined when the cache is empty, stale or not to be used.
 */
export function createFreshGroupReader(deps: Pick<DirectoryDeps, 'store' | 'clock' | 'cacheMaxAgeMinutes'>) {
  return async (tenantId: string, ids: readonly string[]): Promise<FreshGroups | undefined> => {
    if (deps.cacheMaxAgeMinutes <= 0 || ids.length === 0) return undefined;
    const { last } = await deps.store.groupState(tenantId);
    if (!last) return undefined;
    const age = deps.clock.now().getTime() - Date.parse(last.syncedAt);
    if (age > deps.cacheMaxAgeMinutes * 60_000) return undefined;
    const docs = await deps.store.groupsByIds(tenantId, ids);
    const known = new Set(docs.map((doc) => doc.id));
    return {
      live: docs
        .filter((doc) => !doc.removedAt)
        .map((doc) => ({ '@odata.type': '#microsoft.graph.group', ...doc.graph })),
      removed: docs.filter((doc) => doc.removedAt).length,
      unknown: ids.filter((id) => !known.has(id)),
    };
  };
}
