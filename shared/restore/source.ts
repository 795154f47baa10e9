import { findContract } from '../graph';
import { itemIdOf } from '../inventory/model';
import { RunFailureError } from '../operations/model';
import type { RemediationSource, RestoreDeps } from './deps';
import type { RestoreSource, SourceItem } from './model';

export type { SourceItem } from './model';

/** Where the source's versions are: the source's tenant, or a baseline's golden tenant. */
export async function sourceTenantOf(
  deps: Pick<RestoreDeps, 'remediation'>,
  workspaceId: string,
  targetTenantId: string,
  source: RestoreSource,
): Promise<string> {
  if ('tenantId' in source) return source.tenantId;
  return (await remediationSource(deps, workspaceId, targetTenantId, source)).tenantId;
}

async function remediationSource(
  deps: Pick<RestoreDeps, 'remediation'>,
  workspaceId: string,
  targetTenantId: string,
  source: Extract<RestoreSource, { baselineId: string }>,
): Promise<RemediationSource> {
  const found = await deps.remediation?.source(
    workspaceId,
    source.baselineId,
    source.findingIds,
    targetTenantId,
  );
  if (!found)
    throw missing(`Baseline ${source.baselineId} or one of its findings of this tenant does not exist.`);
  if ('problem' in found) throw missing(found.problem);
  return found;
}

const PAGES_PER_READ = 20;

/** Roles of objects a restore maps references to but never writes. */
const MAPPED_ONLY: ReadonlySet<string> = new Set(['dependency', 'directory', 'internal', 'reference']);

function missing(message: string): RunFailureError {
  return new RunFailureError({ reasonCode: 'restore_source_missing', message });
}

/**
 * The objects a restore reads: a backup set's items, or the chosen versions, narrowed to `itemIds` when
 * the caller picked items. Cosmos only.
 */
export async function sourceItems(
  deps: Pick<RestoreDeps, 'backups' | 'inventory' | 'remediation'>,
  run: { workspaceId: string; tenantId: string },
  source: RestoreSource,
  itemIds?: readonly string[],
): Promise<SourceItem[]> {
  const all: SourceItem[] = [];
  if ('baselineId' in source) {
    all.push(...(await remediationSource(deps, run.workspaceId, run.tenantId, source)).items);
  } else if ('backupSetId' in source) {
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
