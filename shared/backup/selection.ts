import { canonicalSelection, inventorySelectionSchema, type InventorySelection } from '../inventory';

/**
 * What a backup covers: the inventory's selection (a backup reads through the inventory), so a backup
 * and a sync of the same selection read the same types. Default = every type, foundations and
 * dependencies included.
 */
export const backupSelectionSchema = inventorySelectionSchema;
export type BackupSelection = InventorySelection;

/** The selection with defaults applied and lists sorted: what backups store and compare. */
export const canonicalBackupSelection = canonicalSelection;
