import { container } from '../store/cosmos';
import { InventoryQueries } from './queries';
import { CursorStore } from './store/cursors';
import { ItemStore } from './store/items';
import { VersionStore } from './store/versions';

export interface InventoryStores {
  items: ItemStore;
  versions: VersionStore;
  cursors: CursorStore;
  queries: InventoryQueries;
}

let stores: InventoryStores | undefined;

/** The inventory's repositories over the process's one Cosmos client, created on first use. */
export function inventoryStores(): InventoryStores {
  if (!stores) {
    const inventory = container('inventory');
    const items = new ItemStore(inventory);
    const versions = new VersionStore(container('policyVersions'));
    stores = {
      items,
      versions,
      cursors: new CursorStore(inventory),
      queries: new InventoryQueries(items, versions),
    };
  }
  return stores;
}
