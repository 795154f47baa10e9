import type { Run } from '../operations/model';
import { readByIds, readCollection, readListed, recordReads, type ReadNow } from './read-now';
import { openRunGraph } from './run-context';
/**
 * The inventory: every Intune / Entra configuration object of a managed tenant, read from Graph through
 * the contract registry, one item per object, a content-addressed policy version whenever its content
 * changes. This is the module's public surface; other modules (backups, restore) import from here only,
 * and use the `Inventory` that `createInventory(deps)` builds (the composition root hands it to them).
 *
 * Reading (backups reuse it: "a backup is a sync that also pins the versions it saw"):
 * - `syncPolicyType({runId, policyType, continuation?, maxObjects?, onVersions?})` reads one type for a
 *   run (its tenant and connection), stores what changed and answers counts, a continuation for long
 *   types, and the `{itemId, versionId}` of every object it saw.
 * - `syncDependencies({runId, onVersions?})` reads the groups the tenant's items are assigned to.
 * - `resolveSelection(canonicalSelection(input))` gives the contracts a selection covers.
 *
 * Stored data (DB only, never Graph):
 * - `readVersion(tenantId, versionId)` a version with its full content (reassembled when chunked).
 * - `InventoryQueries`: list/search items, one item, its history, diffs.
 * - `versionSummaries`, `inventoryVersionReferences`, `storedVersions`, `deleteVersions`: what backups
 *   need to name the versions they pin and to garbage-collect versions nothing references.
 *
 * The inventory.sync run's own steps are `sync.plan / claimNext / recordDependencies / summarize`.
 */
export {
  inventorySelectionSchema,
  canonicalSelection,
  resolveSelection,
  inventoryContracts,
  type InventorySelection,
  type InventorySelectionInput,
} from './selection';
export {
  type SyncTypeRequest,
  type SyncTypeResult,
  type ObservedVersion,
  type TypeStatus,
} from './sync-type';
export type { ReadNow, RecordedRead } from './read-now';
export type { RunGraph } from './run-context';
export { listInBatch, readPages } from './reader';
export { normalizeObject, contentHash, stableStringify } from './normalize';
export { diffJson, type JsonChange } from './diff';
export type { DependencyResult } from './dependencies';
export type { TypeTally } from './store/cursors';
export type { RefreshTarget, RefreshOutcome, RefreshResult, RefreshChange } from './refresh';
export {
  itemIdOf,
  changedBySchema,
  attributionSchema,
  type ChangedBy,
  type Attribution,
  type InventoryItem,
  type PolicyVersion,
  type VersionContent,
  type AssignmentTarget,
  type HistoryEntry,
} from './model';
export { INVENTORY_SYNC, inventorySyncRunType, inventoryRunTypes } from './run-types';
export type { VersionSummary, StoredVersion } from './version-catalog';
export type { InventoryDeps } from './deps';
export { sharedGraphBudgets, LEASE_MS } from './leased-budget';
export { processGraphBudgets, type GraphBudget, type GraphBudgets } from './graph-budget';

import type { Container } from '@azure/cosmos';
import type { InventoryDeps } from './deps';
import { syncDependencies as syncDependenciesOf } from './dependencies';
import type { PolicyVersion, VersionContent } from './model';
import { InventoryQueries } from './queries';
import { CursorStore } from './store/cursors';
import { ItemStore } from './store/items';
import { ObservationStore } from './store/observations';
import { VersionStore } from './store/versions';
import { claimNext, planSync, recordDependencies, summarizeSync } from './sync-run';
import { syncPolicyType as syncPolicyTypeOf, type SyncTypeRequest } from './sync-type';
import { refreshObjects } from './refresh';
import * as catalog from './version-catalog';

export type Inventory = ReturnType<typeof createInventory>;

/**
 * The inventory over its two containers, with what it needs from the rest of the app (runs, their
 * lifecycle, a run's Graph access, the clock). Built once by the composition root; every function
 * below runs with these dependencies, none reaches for a global.
 */
export function createInventory(
  deps: Omit<InventoryDeps, 'items' | 'versions' | 'cursors' | 'observations'> & {
    inventory: Container;
    policyVersions: Container;
  },
) {
  const items = new ItemStore(deps.inventory);
  const versions = new VersionStore(deps.policyVersions);
  const observations = new ObservationStore(deps.inventory);
  const full: InventoryDeps = {
    ...deps,
    items,
    versions,
    cursors: new CursorStore(deps.inventory),
    observations,
  };
  const containers = { inventory: deps.inventory, policyVersions: deps.policyVersions };
  return {
    syncPolicyType: (request: SyncTypeRequest) => syncPolicyTypeOf(full, request),
    syncDependencies: (request: Parameters<typeof syncDependenciesOf>[1]) =>
      syncDependenciesOf(full, request),
    /** Re-reads named objects by id and records them as a sync would (the change watch). */
    refreshObjects: (request: Parameters<typeof refreshObjects>[1]) => refreshObjects(full, request),
    /** Items of the tenant with these Graph ids, of any type (what an audit record names). */
    itemsWithGraphIds: (tenantId: string, graphIds: readonly string[]) =>
      items.anyByGraphIds(tenantId, graphIds),
    /** The inventory.sync run's steps (its activities call these). */
    sync: {
      plan: (runId: string) => planSync(full, runId),
      claimNext: (input: Parameters<typeof claimNext>[1]) => claimNext(full, input),
      recordDependencies: (runId: string, result: Parameters<typeof recordDependencies>[2]) =>
        recordDependencies(full, runId, result),
      summarize: (runId: string) => summarizeSync(full, runId),
      /** The run document (its tenant, workspace and start time). */
      run: (runId: string) => deps.runs.require(runId),
    },
    queries: new InventoryQueries(items, versions, observations),
    /** A stored version with its content; undefined when the tenant has no such version. */
    readVersion: (
      tenantId: string,
      versionId: string,
    ): Promise<(PolicyVersion & { content: VersionContent }) | undefined> =>
      versions.read(tenantId, versionId),
    /** Graph for another feature's run (restore): the run's connection, budget, `$batch` queue, heartbeat. */
    openRunGraph: (run: Run) => openRunGraph(full, run),
    readByIds,
    /** The tenant's items of a type with these Graph ids (removed ones too). */
    itemsByGraphIds: (tenantId: string, policyType: string, graphIds: readonly string[]) =>
      items.byGraphIds(tenantId, policyType, graphIds),
    readCollection,
    readListed,
    /** Stores objects just read as a sync would (versions and items). */
    recordReads: (run: Run, policyType: string, reads: readonly ReadNow[]) =>
      recordReads(full, run, policyType, reads),
    versionSummaries: (tenantId: string, versionIds: readonly string[]) =>
      catalog.versionSummaries(containers, tenantId, versionIds),
    inventoryVersionReferences: (tenantId: string) =>
      catalog.inventoryVersionReferences(containers, tenantId),
    storedVersions: (tenantId: string, writtenBefore: Date) =>
      catalog.storedVersions(containers, tenantId, writtenBefore),
    deleteVersions: (tenantId: string, stored: readonly catalog.StoredVersion[]) =>
      catalog.deleteVersions(containers, tenantId, stored),
  };
}
