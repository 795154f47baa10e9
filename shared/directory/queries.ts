import { NotFoundError } from '../errors';
import { groupOfDocument, type SyncStamp } from './model';
import type { DirectoryStore, RoleDocument } from './store';
import type { GroupListQueryInput, RoleListQueryInput } from './views';
import { DIRECTORY_GROUPS_SYNC, DIRECTORY_ROLES_SYNC } from './run-types';

function cacheOf(last: SyncStamp | null, runType: string) {
  if (!last)
    return {
      status: 'empty' as const,
      syncedAt: null,
      runId: null,
      links: { run: null },
      message: `The directory cache of this tenant has not been synced yet: start a '${runType}' operation (POST …/tenants/{tenantId}/operations with {"type": "${runType}"}).`,
    };
  return {
    status: 'synced' as const,
    syncedAt: last.syncedAt,
    runId: last.runId,
    links: { run: `/api/operations/${last.runId}` },
  };
}

function roleView(doc: RoleDocument) {
  return {
    id: doc.roleId,
    source: doc.source,
    displayName: doc.displayName,
    description: doc.description,
    isBuiltIn: doc.isBuiltIn,
    permissions: doc.permissions,
    removedAt: doc.removedAt,
  };
}

/** The API's reads of the directory cache: Cosmos only, never Graph. */
export function createDirectoryQueries(store: DirectoryStore) {
  return {
    async groups(tenantId: string, query: GroupListQueryInput) {
      const [{ last }, page] = await Promise.all([
        store.groupState(tenantId),
        store.listGroups(tenantId, query),
      ]);
      return {
        items: page.groups.map(groupOfDocument),
        ...(page.continuationToken && { continuationToken: page.continuationToken }),
        cache: cacheOf(last, DIRECTORY_GROUPS_SYNC),
      };
    },

    async group(tenantId: string, groupId: string) {
      const [{ last }, doc] = await Promise.all([store.groupState(tenantId), store.group(tenantId, groupId)]);
      if (!doc)
        throw new NotFoundError(
          last ? 'The group' : "The group (the tenant's directory cache has not been synced yet)",
        );
      return { ...groupOfDocument(doc), cache: cacheOf(last, DIRECTORY_GROUPS_SYNC) };
    },

    async roleDefinitions(tenantId: string, query: RoleListQueryInput) {
      const [{ last }, page] = await Promise.all([
        store.roleState(tenantId),
        store.listRoles(tenantId, query),
      ]);
      return {
        items: page.roles.map(roleView),
        ...(page.continuationToken && { continuationToken: page.continuationToken }),
        cache: cacheOf(last, DIRECTORY_ROLES_SYNC),
      };
    },
  };
}
