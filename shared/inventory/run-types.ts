import { z } from 'zod';
import { idSchema } from '../api/schemas';
import { ORCHESTRATORS } from '../operations/orchestrators';
import { defineRunType, runTypeList } from '../operations/run-type';
import { canonicalSelection, inventorySelectionSchema } from './selection';

export const INVENTORY_SYNC = 'inventory.sync';

/**
 * `inventory.sync`: every selected type of the tenant read from Graph into the inventory. Two starts with
 * the same tenant and the same selection (defaults applied, lists sorted) are the same operation.
 */
export const inventorySyncRunType = defineRunType({
  type: INVENTORY_SYNC,
  summary: 'Read every selected Intune / Entra configuration object of the tenant into the inventory',
  capability: 'operations.start',
  input: z
    .object({
      selection: inventorySelectionSchema.optional(),
      connectionId: idSchema.optional(),
    })
    .strict(),
  identity: (input) => ({ selection: canonicalSelection(input.selection ?? {}) }),
  orchestrator: ORCHESTRATORS.inventorySync,
  // Activities beat at least every page; a page waiting for Graph's budget takes well under a minute.
  staleAfterMs: 10 * 60_000,
  touchesGraph: true,
});

/** The inventory's entries of the operation catalog. */
export const inventoryRunTypes = runTypeList(inventorySyncRunType);
