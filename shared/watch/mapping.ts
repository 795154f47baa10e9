import type { GraphContract } from '../graph';
import { inventoryContracts, type InventoryItem } from '../inventory';
import type { AuditRecord } from './audit-sources';
import type { AuditSource, WatchTarget } from './model';

/** Contracts the watch keeps current: what a default full sync reads (policies and foundations). */
export function watchedContracts(): GraphContract[] {
  return inventoryContracts().filter(
    (c) => (c.role === 'policy' || c.role === 'foundation') && c.shape.kind === 'collection',
  );
}

function serviceOf(contract: GraphContract): AuditSource {
  return /^\/(deviceManagement|deviceAppManagement)\//.test(contract.collectionPath) ? 'intune' : 'entra';
}

/** Intune's audit components and the contract categories whose objects they log. */
const COMPONENT_CATEGORIES: Record<string, readonly string[]> = {
  devicecompliance: ['compliance'],
  application: ['apps', 'appProtection'],
  enrollment: ['enrollment'],
};

/** Entra's activity names ("Update conditional access policy") and the contract they are about. */
const ENTRA_ACTIVITY_CONTRACTS: Array<[RegExp, string]> = [
  [/conditional access policy/i, 'conditionalAccessPolicies'],
  [/named location/i, 'namedLocations'],
  [/authentication strength/i, 'authenticationStrengthPolicies'],
  [/authentication context/i, 'authenticationContextClassReferences'],
  [/terms of use|agreement/i, 'termsOfUseAgreements'],
];

/**
 * The contracts an object named by a record may belong to, when the inventory does not know it yet (a
 * create): narrowed by the record's component or activity; each is probed with a GET by id in the same
 * `$batch`, and only the contract that owns the answer keeps it.
 */
export function candidateContracts(record: AuditRecord): string[] {
  const own = watchedContracts().filter((c) => serviceOf(c) === record.source);
  if (record.source === 'entra') {
    const named = ENTRA_ACTIVITY_CONTRACTS.find(([pattern]) => pattern.test(record.activity))?.[1];
    if (named && own.some((c) => c.key === named)) return [named];
    return own.map((c) => c.key);
  }
  const component = record.component.toLowerCase();
  if (component === 'rolebasedaccesscontrol')
    return own.filter((c) => /role/i.test(c.collectionPath)).map((c) => c.key);
  if (component === 'deviceintent') return own.filter((c) => c.key === 'intents').map((c) => c.key);
  const categories = COMPONENT_CATEGORIES[component];
  if (categories) {
    const narrowed = own.filter((c) => categories.includes(c.category));
    if (narrowed.length > 0) return narrowed.map((c) => c.key);
  }
  if (component === 'deviceconfiguration') {
    const others = new Set(Object.values(COMPONENT_CATEGORIES).flat());
    return own.filter((c) => !others.has(c.category)).map((c) => c.key);
  }
  return own.map((c) => c.key);
}

export interface Mapping {
  targets: WatchTarget[];
  unmapped: AuditRecord[];
  /** Records about objects read (by a watch or a sync) well after the change: nothing to re-read. */
  alreadyCurrent: number;
}

/**
 * How much later than a change an object must have been read for that read to include it: covers the
 * difference between Graph's clock (`activityDateTime`) and ours (`lastSeenAt`).
 */
export const CLOCK_SKEW_MS = 30_000;

/** Whether the item was read after the record's change (plus the skew): its stored state has it. */
function readAfter(item: InventoryItem, record: AuditRecord): boolean {
  const change = Date.parse(record.at);
  if (Number.isNaN(change)) return false;
  const lastRead = Math.max(Date.parse(item.lastSeenAt), item.removedAt ? Date.parse(item.removedAt) : 0);
  return lastRead > change + CLOCK_SKEW_MS;
}

/**
 * Audit records → the objects to re-read: each resource of each record, by the inventory item that has
 * its Graph id, else by the candidate contracts. One target per (contract, object), attributed to the
 * latest record about it. Records naming no object the inventory keeps (a device action, a singleton)
 * are returned as unmapped; records about objects read since (`CLOCK_SKEW_MS` after the change) are
 * only counted — the overlap reads them again, re-reading the object would add nothing.
 */
export function mapRecords(records: readonly AuditRecord[], known: readonly InventoryItem[]): Mapping {
  const watched = new Set(watchedContracts().map((c) => c.key));
  const byGraphId = new Map(known.map((item) => [item.graphId, item]));
  const targets = new Map<string, WatchTarget>();
  const unmapped: AuditRecord[] = [];
  let alreadyCurrent = 0;
  const ordered = [...records].sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
  for (const record of ordered) {
    let mapped = false;
    for (const resource of record.resources) {
      const item = byGraphId.get(resource.id);
      // Read again by the overlap, but the object was read after this change: its content is stored.
      if (item && watched.has(item.policyType) && readAfter(item, record)) {
        mapped = true;
        alreadyCurrent++;
        continue;
      }
      const keys = item
        ? watched.has(item.policyType)
          ? [item.policyType]
          : []
        : candidateContracts(record);
      for (const policyType of keys) {
        mapped = true;
        targets.set(`${policyType}|${resource.id}`, {
          policyType,
          graphId: resource.id,
          operation: record.operation,
          changedBy: record.changedBy,
          activity: record.activity || null,
          activityAt: record.at || null,
        });
      }
    }
    if (!mapped) unmapped.push(record);
  }
  return { targets: [...targets.values()], unmapped, alreadyCurrent };
}
