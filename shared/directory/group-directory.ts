import { groupOfDocument, type DirectoryGroup, type GroupDirectory } from './model';
import type { DirectoryStore } from './store';

/** The cache as other modules read it (restore's group mapping, the inventory): Cosmos only. */
export function createGroupDirectory(store: DirectoryStore): GroupDirectory {
  return {
    async groupsById(tenantId, ids) {
      const docs = await store.groupsByIds(tenantId, ids);
      return new Map(docs.map((doc) => [doc.id, groupOfDocument(doc)]));
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
