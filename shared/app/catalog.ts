import { backupRunTypes } from '../backup/run-types';
import { directoryRunTypes } from '../directory/run-types';
import { inventoryRunTypes } from '../inventory/run-types';
import { OperationCatalog } from '../operations/catalog';
import { providerRunTypes } from '../providers/run-types';
import { restoreRunTypes } from '../restore/run-types';
import { watchRunTypes } from '../watch/run-types';
import { workspaceRunTypes } from '../workspaces/run-types';

/**
 * Every operation type of the app, in one list: a feature defines its entries in its own
 * `run-types.ts` and adds its list here. The start route, the gate and the sweeper read only this.
 * Plain data, so it is built at load (no configuration needed) and shared by every entry file.
 */
export const operationCatalog = new OperationCatalog([
  ...providerRunTypes,
  ...inventoryRunTypes,
  ...watchRunTypes,
  ...backupRunTypes,
  ...directoryRunTypes,
  ...workspaceRunTypes,
  ...restoreRunTypes,
]);
