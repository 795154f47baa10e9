import type { Clock } from '../clock';
import type { FreshGroups } from '../directory/group-directory';
import type { RunLifecycle } from '../operations/lifecycle';
import type { RunStore } from '../operations/run-store';
import type { GraphForRun } from '../providers/graph-access';
import type { GraphBudgets } from './graph-budget';
import type { CursorStore } from './store/cursors';
import type { ItemStore } from './store/items';
import type { ObservationStore } from './store/observations';
import type { VersionStore } from './store/versions';

/** What the inventory's reads and writes need; `createInventory` (index.ts) receives it from the composition root. */
export interface InventoryDeps {
  items: ItemStore;
  versions: VersionStore;
  cursors: CursorStore;
  observations: ObservationStore;
  runs: RunStore;
  lifecycle: RunLifecycle;
  graphForRun: GraphForRun;
  clock: Clock;
  /**
   * The Graph budgets of each (Entra tenant, app registration): shared by every instance through the
   * store (`sharedGraphBudgets`), or this process's own when unset (one instance, tests).
   */
  budgets?: GraphBudgets;
  /** The directory cache's groups with these ids when it is fresh enough (docs/directory.md), else undefined. */
  directoryGroups?: (tenantId: string, ids: readonly string[]) => Promise<FreshGroups | undefined>;
}
