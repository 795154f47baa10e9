import type { Container } from '@azure/cosmos';

/** Ids per query when looking versions up by id. */
const CHUNK = 100;

/** The inventory's two containers: items (with their history) and policy versions. */
export interface VersionCatalogContainers {
  inventory: Container;
  policyVersions: Container;
}

export interface VersionSummary {
  id: string;
  policyType: string;
  graphId: string;
  displayName: string;
}

/**
 * Backups pin versions and garbage-collect the ones nothing references any more; these are the
 * inventory-side reads and deletes they need, so no other module touches the inventory's containers.
 */

/** Names and types of stored versions, by id (unknown ids are absent from the map). */
export async function versionSummaries(
  containers: VersionCatalogContainers,
  tenantId: string,
  versionIds: readonly string[],
): Promise<Map<string, VersionSummary>> {
  const container = containers.policyVersions;
  const unique = [...new Set(versionIds)];
  const found = new Map<string, VersionSummary>();
  for (let start = 0; start < unique.length; start += CHUNK) {
    const { resources } = await container.items
      .query<VersionSummary>(
        {
          query:
            "SELECT c.id, c.policyType, c.graphId, c.displayName FROM c WHERE c.tenantId = @tenantId AND c.docType = 'version' AND ARRAY_CONTAINS(@ids, c.id)",
          parameters: [
            { name: '@tenantId', value: tenantId },
            { name: '@ids', value: unique.slice(start, start + CHUNK) },
          ],
        },
        { partitionKey: tenantId },
      )
      .fetchAll();
    for (const summary of resources) found.set(summary.id, summary);
  }
  return found;
}

/**
 * Versions the inventory itself still references: each item's current version (removed items too) and
 * every version its change history names. History entries must keep their versions: the sync treats a
 * content hash found in an item's history as already stored.
 */
export async function inventoryVersionReferences(
  containers: VersionCatalogContainers,
  tenantId: string,
): Promise<Set<string>> {
  const referenced = new Set<string>();
  const iterator = containers.inventory.items.query<{
    currentVersionId: string;
    history: Array<{ versionId: string }>;
  }>(
    {
      query:
        "SELECT c.currentVersionId, c.history FROM c WHERE c.tenantId = @tenantId AND c.docType = 'item'",
      parameters: [{ name: '@tenantId', value: tenantId }],
    },
    { partitionKey: tenantId, maxItemCount: 1000 },
  );
  while (iterator.hasMoreResults()) {
    for (const item of (await iterator.fetchNext()).resources) {
      referenced.add(item.currentVersionId);
      for (const entry of item.history) referenced.add(entry.versionId);
    }
  }
  return referenced;
}

export interface StoredVersion {
  id: string;
  chunks: number;
}

/** Every version of the tenant last written before `writtenBefore` (Cosmos `_ts`), with its chunk count. */
export async function storedVersions(
  containers: VersionCatalogContainers,
  tenantId: string,
  writtenBefore: Date,
): Promise<StoredVersion[]> {
  const { resources } = await containers.policyVersions.items
    .query<StoredVersion>(
      {
        query:
          "SELECT c.id, c.chunks FROM c WHERE c.tenantId = @tenantId AND c.docType = 'version' AND c._ts < @before",
        parameters: [
          { name: '@tenantId', value: tenantId },
          { name: '@before', value: Math.floor(writtenBefore.getTime() / 1000) },
        ],
      },
      { partitionKey: tenantId },
    )
    .fetchAll();
  return resources;
}

/**
 * Deletes versions: the version document first, then its chunks, so no version ever points at a
 * missing chunk. Only for versions nothing references, under the tenant's scope (no sync running).
 */
export async function deleteVersions(
  containers: VersionCatalogContainers,
  tenantId: string,
  versions: readonly StoredVersion[],
): Promise<number> {
  const container = containers.policyVersions;
  let deleted = 0;
  for (const version of versions) {
    if (await deleteIfPresent(container, version.id, tenantId)) deleted++;
    for (let index = 0; index < version.chunks; index++)
      await deleteIfPresent(container, `${version.id}.chunk${index}`, tenantId);
  }
  return deleted;
}

async function deleteIfPresent(container: Container, id: string, tenantId: string): Promise<boolean> {
  try {
    await container.item(id, tenantId).delete();
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 404) return false;
    throw error;
  }
}
