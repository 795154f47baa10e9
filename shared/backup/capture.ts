import { canonicalSelection, resolveSelection, type ObservedVersion } from '../inventory';
import type { Run, RunFailure } from '../operations/model';
import type { BackupRunDeps } from './backup-run';
import type { BackupItem } from './model';
import type { BackupSelection } from './selection';

/** The dependency phase (groups the objects are assigned to) reads through `syncDependencies`. */
export const DEPENDENCIES = 'groups';
/** Objects per capture activity; a larger type continues in the next one (as inventory segments do). */
export const SEGMENT_MAX_OBJECTS = 2000;

export type CaptureStatus = 'succeeded' | 'partial' | 'failed';

/** What one capture activity reports: counts and a cursor id, never payloads or version lists. */
export interface CaptureResult {
  policyType: string;
  segment: number;
  status: CaptureStatus;
  /** Objects pinned by this segment. */
  items: number;
  /** Policy versions this segment stored (0 for objects that did not change). */
  newVersions: number;
  continuation: string | null;
  failure?: RunFailure;
}

/** The types a selection reads, in phases: dependencies last, since they follow the objects' assignments. */
export function planPhases(selection: BackupSelection): string[][] {
  const canonical = canonicalSelection(selection);
  const types = resolveSelection(canonical).map((contract) => contract.key);
  return canonical.includeDependencies ? [types, [DEPENDENCIES]] : [types];
}

/**
 * Reads one page range of a type through the inventory (which stores new versions and updates the
 * items, exactly as a sync does) and pins every version it saw in the set's manifest. An object whose
 * content did not change costs no new version: the manifest points at the one already stored.
 */
export async function captureType(
  deps: BackupRunDeps,
  run: Run,
  setId: string,
  request: { policyType: string; segment: number; continuation: string | null },
): Promise<CaptureResult> {
  const { policyType, segment } = request;
  let versions: ObservedVersion[];
  let result: Omit<CaptureResult, 'items'>;
  if (policyType === DEPENDENCIES) {
    const read = await deps.inventory.syncDependencies({ runId: run.id });
    versions = read.versions;
    result = {
      policyType,
      segment,
      status: read.failure ? (read.versions.length > 0 ? 'partial' : 'failed') : 'succeeded',
      newVersions: read.new + read.changed,
      continuation: null,
      ...(read.failure && { failure: read.failure }),
    };
  } else {
    const read = await deps.inventory.syncPolicyType({
      runId: run.id,
      policyType,
      continuation: request.continuation,
      maxObjects: SEGMENT_MAX_OBJECTS,
    });
    versions = read.versions;
    result = {
      policyType,
      segment,
      status: read.status,
      newVersions: read.counts.versionsCreated,
      continuation: read.continuation,
      ...(read.failure && { failure: read.failure }),
    };
  }
  const items: BackupItem[] = versions.map((v) => ({
    policyType,
    graphId: v.graphId,
    itemId: v.itemId,
    versionId: v.versionId,
    displayName: v.displayName,
  }));
  await deps.backups.writeItems({ id: setId, tenantId: run.tenantId }, policyType, segment, items);
  return { ...result, items: items.length };
}

/**
 * Deletes the policy versions of the tenant that nothing references: no manifest page of any backup set
 * (pinned or not, any schedule or manual) and no inventory item (its current version or one its
 * history names). Runs inside a backup, which holds the tenant's scope, so no sync writes versions
 * meanwhile; versions written after this run was created are left alone anyway (a sync's activity
 * still finishing after its run was cancelled).
 */
export async function collectGarbage(deps: BackupRunDeps, run: Run): Promise<{ collected: number }> {
  const sets = await deps.backups.allSets(run.tenantId);
  const orphans = await deps.backups.orphanPageIds(run.tenantId, new Set(sets.map((set) => set.id)));
  await deps.backups.deletePages(run.tenantId, orphans);
  const referenced = await deps.inventory.inventoryVersionReferences(run.tenantId);
  for (const id of await deps.backups.referencedVersionIds(run.tenantId)) referenced.add(id);
  const stored = await deps.inventory.storedVersions(run.tenantId, new Date(run.createdAt));
  const garbage = stored.filter((version) => !referenced.has(version.id));
  return { collected: await deps.inventory.deleteVersions(run.tenantId, garbage) };
}
