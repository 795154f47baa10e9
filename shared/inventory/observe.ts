import { derivePlatform, readOnlyProperties, type GraphContract } from '../graph';
import { itemIdOf, type Attribution, type HistoryEntry, type InventoryItem } from './model';
import { contentHash, normalizeObject } from './normalize';
import type { NewVersion } from './store/versions';
import { assignmentTargets, conditionTargets, scopeTagIds, targetIds } from './targets';
import type { ObjectRead } from './reader';

/** Items keep this many history entries; older versions stay stored and counted. */
export const HISTORY_LIMIT = 100;

export type Change = 'new' | 'changed' | 'restored' | 'unchanged';

export interface Observation {
  change: Change;
  item: InventoryItem;
  /** The version to store, when its content is not stored yet. */
  version?: NewVersion;
}

export interface ObserveContext {
  contract: GraphContract;
  workspaceId: string;
  tenantId: string;
  runId: string;
  now: string;
  /** Position of the type in the registry: the first part of the items' sort key. */
  typeOrder: number;
  /** Who made the change, kept on a new version and history entry (the watch knows; a sync does not). */
  attribution?: Attribution;
}

/** The object's own name; a singleton has none, and is named by its contract (one per tenant). */
function displayNameOf(contract: GraphContract, object: Record<string, unknown>): string {
  const name = object.displayName ?? object.name;
  if (typeof name === 'string' && name !== '') return name;
  return contract.shape.kind === 'singleton' ? contract.label : String(object.id);
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * What one read object means for the inventory: a new item, a changed one (new version), one back after
 * removal, or unchanged (only its last-seen stamp moves). Pure: the caller writes the result.
 */
export function observe(context: ObserveContext, read: ObjectRead, existing?: InventoryItem): Observation {
  const { contract, now, runId } = context;
  const graphId = String(read.object.id);
  const itemId = itemIdOf(contract.key, graphId);
  const { content, redactedPaths } = normalizeObject(read.object, read.subResources, read.assignments);
  const hash = contentHash(
    contract.key,
    graphId,
    content,
    readOnlyProperties(contract, text(read.object['@odata.type']) ?? undefined),
  );
  const displayName = displayNameOf(contract, content.object);
  const targets = [...assignmentTargets(content.assignments), ...conditionTargets(content.object)];
  const described = {
    displayName,
    searchName: displayName.toLowerCase(),
    sortKey: `${String(context.typeOrder).padStart(3, '0')}|${displayName.toLowerCase()}|${graphId}`,
    odataType: text(content.object['@odata.type']),
    platform: derivePlatform(contract, content.object),
    lastModifiedDateTime: text(content.object.lastModifiedDateTime),
    lastSeenAt: now,
    lastSeenRunId: runId,
  };
  const changed = !existing || existing.contentHash !== hash;
  const change: Change = !existing
    ? 'new'
    : changed
      ? 'changed'
      : existing.removedAt
        ? 'restored'
        : 'unchanged';
  if (change === 'unchanged') return { change, item: { ...existing!, ...described } };
  const entry: HistoryEntry = {
    versionId: hash,
    observedAt: now,
    runId,
    change: change === 'new' ? 'created' : existing?.removedAt ? 'restored' : 'changed',
    ...(context.attribution && { attribution: context.attribution }),
  };
  const history = [...(existing?.history ?? []), entry].slice(-HISTORY_LIMIT);
  const item: InventoryItem = {
    id: itemId,
    tenantId: context.tenantId,
    workspaceId: context.workspaceId,
    docType: 'item',
    policyType: contract.key,
    category: contract.category,
    role: contract.role,
    graphId,
    ...described,
    contentHash: hash,
    currentVersionId: hash,
    assignments: targets,
    targetIds: targetIds(targets),
    scopeTagIds: scopeTagIds(content.object),
    encryptedSettings: redactedPaths.length,
    history,
    versionCount: (existing?.versionCount ?? 0) + (changed ? 1 : 0),
    firstSeenAt: existing?.firstSeenAt ?? now,
    changedAt: now,
    removedAt: null,
  };
  // A content seen before (a revert) is already stored under its hash.
  const stored = existing?.history.some((previous) => previous.versionId === hash) ?? false;
  return {
    change,
    item,
    ...(changed &&
      !stored && {
        version: {
          id: hash,
          tenantId: context.tenantId,
          docType: 'version' as const,
          itemId,
          policyType: contract.key,
          graphId,
          displayName,
          odataType: described.odataType,
          contentHash: hash,
          content,
          redactedPaths,
          ...(context.attribution && { attribution: context.attribution }),
        },
      }),
  };
}

/** An item whose object was seen but could not be read completely: kept as it was, only seen again. */
export function seenOnly(existing: InventoryItem, now: string, runId: string): InventoryItem {
  return { ...existing, lastSeenAt: now, lastSeenRunId: runId };
}

export function markRemoved(item: InventoryItem, now: string): InventoryItem {
  return { ...item, removedAt: now, changedAt: now };
}
