/**
 * The inventory: every Intune / Entra configuration object of a managed tenant, read from Graph through
 * the contract registry, one item per object, a content-addressed policy version whenever its content
 * changes. This is the module's public surface; other modules (backups, restore) import from here only.
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
  syncPolicyType,
  type SyncTypeRequest,
  type SyncTypeResult,
  type ObservedVersion,
  type TypeStatus,
} from './sync-type';
export { syncDependencies, type DependencyResult } from './dependencies';
export type { TypeTally } from './store/cursors';
export {
  itemIdOf,
  type InventoryItem,
  type PolicyVersion,
  type VersionContent,
  type AssignmentTarget,
  type HistoryEntry,
} from './model';
export { INVENTORY_SYNC, inventorySyncRunType, inventoryRunTypes } from './run-types';
export {
  versionSummaries,
  inventoryVersionReferences,
  storedVersions,
  deleteVersions,
  type VersionSummary,
  type StoredVersion,
} from './version-catalog';

import { inventoryStores } from './services';
import type { PolicyVersion, VersionContent } from './model';

/** A stored version with its content; undefined when the tenant has no such version. */
export function readVersion(
  tenantId: string,
  versionId: string,
): Promise<(PolicyVersion & { content: VersionContent }) | undefined> {
  return inventoryStores().versions.read(tenantId, versionId);
}
