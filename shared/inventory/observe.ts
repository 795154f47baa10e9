import { createHash } from 'node:crypto';
import { derivePlatform, graphContracts, readOnlyProperties, type GraphContract } from '../graph';
import { itemIdOf, type Attribution, type HistoryEntry, type InventoryItem } from './model';
import { contentHash, normalizeObject } from './normalize';
import type { ObservedEntry } from './store/observations';
import type { NewVersion } from './store/versions';
import { assignmentTargets, conditionTargets, scopeTagIds, targetIds } from './targets';
import type { ObjectRead } from './reader';

/** Items keep this many history entries; older versions stay stored and counted. */
export const HISTORY_LIMIT = 100;

export type Change = 'new' | 'changed' | 'restored' | 'unchanged';

export interface Observation {
  change: Change;
  /** The item to write; undefined when the stored one already says everything (an unchanged object). */
  item?: InventoryItem;
  /** Whether this observation made a new version (also when a retried activity finds it made already). */
  versionCreated: boolean;
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

/** The context a run's reads of one type are observed in (every path that stores reads builds it here). */
export function observeContextOf(
  run: { id: string; workspaceId: string; tenantId: string },
  contract: GraphContract,
  now: string,
  attribution?: Attribution,
): ObserveContext {
  return {
    contract,
    workspaceId: run.workspaceId,
    tenantId: run.tenantId,
    runId: run.id,
    now,
    typeOrder: graphContracts.indexOf(contract),
    ...(attribution && { attribution }),
  };
}

/** The object's own name; a singleton has none, and is named by its contract (one per tenant). */
function displayNameOf(contract: GraphContract, object: Record<string, unknown>): string {
  const name = object.displayName ?? object.name;
  if (typeof name === 'string' && name !== '') return name;
  return contract.shape.kind === 'singleton' ? contract.label : String(object.id);
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The item fields a read determines besides its content hash: what an unchanged object must still match. */
const DERIVED_FIELDS = [
  'workspaceId',
  'category',
  'role',
  'displayName',
  'searchName',
  'sortKey',
  'odataType',
  'platform',
  'lastModifiedDateTime',
  'assignments',
  'targetIds',
  'scopeTagIds',
  'encryptedSettings',
] as const satisfies ReadonlyArray<keyof InventoryItem>;
type DerivedFields = Pick<InventoryItem, (typeof DERIVED_FIELDS)[number]>;

/**
 * A digest of an item's derived fields: equal digests and content hashes mean the stored item already
 * says everything this read says (a `lastModifiedDateTime` moving without a content change still counts).
 */
export function itemFieldsDigest(fields: DerivedFields): string {
  const values = DERIVED_FIELDS.map((key) => fields[key]);
  return createHash('sha256').update(JSON.stringify(values)).digest('base64url').slice(0, 16);
}

/** One read object, normalized and described: everything the item and version are made from. */
export interface Described {
  graphId: string;
  itemId: string;
  hash: string;
  content: ReturnType<typeof normalizeObject>['content'];
  redactedPaths: string[];
  fields: DerivedFields;
  /** What the type's observation records for it. */
  entry: ObservedEntry;
}

/** Pure: the normalized content, content hash and item fields of a read object. */
export function describe(context: Omit<ObserveContext, 'now' | 'runId'>, read: ObjectRead): Described {
  const { contract } = context;
  const graphId = String(read.object.id);
  const { content, redactedPaths } = normalizeObject(read.object, read.subResources, read.assignments);
  const hash = contentHash(
    contract.key,
    graphId,
    content,
    readOnlyProperties(contract, text(read.object['@odata.type']) ?? undefined),
  );
  const displayName = displayNameOf(contract, content.object);
  const targets = [...assignmentTargets(content.assignments), ...conditionTargets(content.object)];
  const fields: DerivedFields = {
    workspaceId: context.workspaceId,
    category: contract.category,
    role: contract.role,
    displayName,
    searchName: displayName.toLowerCase(),
    sortKey: `${String(context.typeOrder).padStart(3, '0')}|${displayName.toLowerCase()}|${graphId}`,
    odataType: text(content.object['@odata.type']),
    platform: derivePlatform(contract, content.object),
    lastModifiedDateTime: text(content.object.lastModifiedDateTime),
    assignments: targets,
    targetIds: targetIds(targets),
    scopeTagIds: scopeTagIds(content.object),
    encryptedSettings: redactedPaths.length,
  };
  return {
    graphId,
    itemId: itemIdOf(contract.key, graphId),
    hash,
    content,
    redactedPaths,
    fields,
    entry: { g: graphId, h: hash, f: itemFieldsDigest(fields) },
  };
}

/**
 * What one read object means for the inventory: a new item, a changed one (new version), one back after
 * removal, or unchanged. `item` is undefined when the stored item already says all of it (nothing to
 * write). Pure: the caller writes the result.
 */
export function observe(context: ObserveContext, read: Described, existing?: InventoryItem): Observation {
  const { contract, now, runId } = context;
  const { graphId, itemId, hash, content, redactedPaths, fields } = read;
  const changed = !existing || existing.contentHash !== hash;
  const change: Change = !existing
    ? 'new'
    : changed
      ? 'changed'
      : existing.removedAt
        ? 'restored'
        : 'unchanged';
  const same = existing !== undefined && itemFieldsDigest(existing) === read.entry.f;
  const last = existing?.history.at(-1);
  if (existing && !changed && !existing.removedAt && last?.runId === runId) {
    // This run recorded the object already (its activity runs again): the same answer, nothing new.
    const earlier = existing.history.slice(0, -1).some((entry) => entry.versionId === hash);
    return {
      change: last.change === 'created' ? 'new' : last.change,
      versionCreated: !earlier,
      item: same ? undefined : { ...existing, ...fields, lastSeenAt: now },
    };
  }
  if (change === 'unchanged')
    return {
      change,
      versionCreated: false,
      item: same ? undefined : { ...existing!, ...fields, lastSeenAt: now },
    };
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
    docType: 'item',
    policyType: contract.key,
    graphId,
    ...fields,
    lastSeenAt: now,
    contentHash: hash,
    currentVersionId: hash,
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
    versionCreated: changed && !stored,
    ...(changed &&
      !stored && {
        version: {
          id: hash,
          tenantId: context.tenantId,
          docType: 'version' as const,
          itemId,
          policyType: contract.key,
          graphId,
          displayName: fields.displayName,
          odataType: fields.odataType,
          contentHash: hash,
          content,
          redactedPaths,
          ...(context.attribution && { attribution: context.attribution }),
        },
      }),
  };
}

/** Removed at `now`; last seen by the last complete listing that still had it. */
export function markRemoved(item: InventoryItem, now: string, lastObservedAt: string | null): InventoryItem {
  const lastSeenAt = lastObservedAt && lastObservedAt > item.lastSeenAt ? lastObservedAt : item.lastSeenAt;
  return { ...item, removedAt: now, changedAt: now, lastSeenAt };
}
