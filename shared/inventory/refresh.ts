import { shortOdataType, type GraphContract, type GraphObject } from '../graph';
import { toRunFailure, type RunFailure } from '../operations/model';
import type { InventoryDeps } from './deps';
import { itemIdOf, type Attribution, type InventoryItem } from './model';
import { describe, markRemoved, observe, observeContextOf } from './observe';
import { readObjectsByIds } from './reader';
import { inventoryContract, openRunGraph } from './run-context';
import { emptyWriteStats } from './store/batch-writer';
import type { NewVersion } from './store/versions';

/** One object the change watch re-reads: which contract, which Graph id, and who changed it. */
export interface RefreshTarget {
  policyType: string;
  graphId: string;
  attribution: Attribution;
}

export type RefreshChange = 'new' | 'changed' | 'restored' | 'unchanged' | 'removed' | 'absent' | 'failed';

/** What re-reading one object did: its item, the versions before and after, and what changed. */
export interface RefreshOutcome {
  policyType: string;
  graphId: string;
  itemId: string;
  displayName: string;
  change: RefreshChange;
  /** Current version before the read (null: the object was not in the inventory, or removed). */
  before: string | null;
  /** Current version after it (null: deleted, or not read). */
  after: string | null;
  attribution: Attribution;
  failure?: RunFailure;
}

export interface RefreshResult {
  outcomes: RefreshOutcome[];
  /** Graph reads sent inside `$batch`es, and Cosmos requests. */
  subRequests: number;
  cosmosRequests: number;
}

/**
 * Whether a contract owns an object read from its path: several contracts share a collection
 * (`deviceConfigurations` and the update rings), told apart by `@odata.type`.
 */
export function contractOwns(contract: GraphContract, object: GraphObject): boolean {
  const type = typeof object['@odata.type'] === 'string' ? shortOdataType(object['@odata.type']) : '';
  if ((contract.excludedTypes ?? []).includes(type)) return false;
  const isof = /^isof\('microsoft\.graph\.(\w+)'\)$/.exec(contract.filter ?? '');
  return !isof || isof[1] === type;
}

/**
 * Re-reads the named objects of the run's tenant (by id, in `$batch`es) and records them exactly as a
 * full sync does — same normalization, same content hash, same item — so a later full sync finds
 * nothing new. A 404 marks the item removed. Each new version and history entry carries the
 * attribution. `beforeItems` runs after the versions are stored and before the items point at them
 * (the change watch writes its change records there), so a retried call redoes whatever is missing.
 */
export async function refreshObjects(
  deps: InventoryDeps,
  request: {
    runId: string;
    targets: readonly RefreshTarget[];
    beforeItems?: (outcomes: RefreshOutcome[]) => Promise<void>;
  },
): Promise<RefreshResult> {
  const run = await deps.runs.require(request.runId);
  const opened = await openRunGraph(deps, run);
  const writes = emptyWriteStats();
  const outcomes: RefreshOutcome[] = [];
  const items: InventoryItem[] = [];
  const versions: NewVersion[] = [];
  try {
    const byType = new Map<string, RefreshTarget[]>();
    for (const target of request.targets) {
      const list = byType.get(target.policyType) ?? [];
      if (!list.some((t) => t.graphId === target.graphId)) list.push(target);
      byType.set(target.policyType, list);
    }
    await Promise.all(
      [...byType].map(async ([policyType, targets]) => {
        const contract = inventoryContract(policyType);
        const ids = targets.map((t) => t.graphId);
        const [reads, existing] = await Promise.all([
          readObjectsByIds(opened.graph, contract, ids),
          deps.items.byGraphIds(run.tenantId, contract.key, ids),
        ]);
        const previousOf = new Map(existing.map((item) => [item.graphId, item]));
        const now = deps.clock.now().toISOString();
        const context = observeContextOf(run, contract, now);
        reads.forEach((read, index) => {
          const target = targets[index]!;
          const previous = previousOf.get(target.graphId);
          const base = {
            policyType,
            graphId: target.graphId,
            itemId: previous?.id ?? itemIdOf(policyType, target.graphId),
            displayName: previous?.displayName ?? target.graphId,
            before: previous && !previous.removedAt ? previous.currentVersionId : null,
            attribution: target.attribution,
          };
          if (read.failure) {
            outcomes.push({
              ...base,
              change: 'failed',
              after: null,
              failure: toRunFailure(read.failure, policyType),
            });
            return;
          }
          if (read.gone || !contractOwns(contract, read.object)) {
            if (previous && !previous.removedAt) {
              items.push(markRemoved(previous, now, null));
              outcomes.push({ ...base, change: 'removed', after: null });
            } else outcomes.push({ ...base, change: 'absent', after: null });
            return;
          }
          const described = describe(context, read);
          const observation = observe({ ...context, attribution: target.attribution }, described, previous);
          if (observation.version) versions.push(observation.version);
          if (observation.item) items.push(observation.item);
          outcomes.push({
            ...base,
            displayName: described.fields.displayName,
            change: observation.change,
            after: described.hash,
          });
        });
      }),
    );
    await deps.versions.write(run.tenantId, versions, writes);
    await request.beforeItems?.(outcomes);
    await deps.items.upsert(run.tenantId, items, writes);
    return { outcomes, subRequests: opened.graph.stats.subRequests, cosmosRequests: writes.requests };
  } finally {
    opened.close();
  }
}
