import { findContract } from '../graph';
import { itemIdOf } from '../inventory/model';
import { RunFailureError } from '../operations/model';
import type { RestoreDeps } from './deps';
import type { RestoreSource } from './model';

/** One object to restore: the version of it the source holds. */
export interface SourceItem {
  policyType: string;
  graphId: string;
  itemId: string;
  versionId: string;
  displayName: string;
}

const PAGES_PER_READ = 20;

/** Roles of objects a restore maps references to but never writes. */
const MAPPED_ONLY: ReadonlySet<string> = new Set(['dependency', 'directory', 'internal']);

function missing(message: string): RunFailureError {
  return new RunFailureError({ reasonCode: 'restore_source_missing', message });
}

/**
 * The objects a restore reads: a backup set's items, or the chosen versions, narrowed to `itemIds` when
 * the caller picked items. Cosmos only.
 */
export async function sourceItems(
  deps: Pick<RestoreDeps, 'backups' | 'inventory'>,
  source: RestoreSource,
  itemIds?: readonly string[],
): Promise<SourceItem[]> {
  const all: SourceItem[] = [];
  if ('backupSetId' in source) {
    const set = await deps.backups.getSet(source.tenantId, source.backupSetId);
    if (!set) throw missing(`Backup set ${source.backupSetId} does not exist in the source tenant.`);
    let continuationToken: string | undefined;
    do {
      const page = await deps.backups.items(source.tenantId, set.id, {
        maxPages: PAGES_PER_READ,
        continuationToken,
      });
      all.push(
        ...page.items.map(({ policyType, graphId, itemId, versionId, displayName }) => ({
          policyType,
          graphId,
          itemId,
          versionId,
          displayName: displayName ?? graphId,
        })),
      );
      continuationToken = page.continuationToken;
    } while (continuationToken);
  } else {
    const found = await deps.inventory.versionSummaries(source.tenantId, source.versions);
    const unknown = source.versions.filter((id) => !found.has(id));
    if (unknown.length > 0) throw missing(`The source tenant has no version ${unknown[0]}.`);
    for (const summary of found.values())
      all.push({
        policyType: summary.policyType,
        graphId: summary.graphId,
        itemId: itemIdOf(summary.policyType, summary.graphId),
        versionId: summary.id,
        displayName: summary.displayName,
      });
  }
  // Groups a backup keeps beside the policies are what assignments point at: mapped, never restored.
  const restorable = all.filter(
    (item) => !MAPPED_ONLY.has(findContract(item.policyType)?.role ?? 'dependency'),
  );
  if (!itemIds) return restorable;
  const wanted = new Set(itemIds);
  return restorable.filter((item) => wanted.has(item.itemId));
}
