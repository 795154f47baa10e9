import { z } from 'zod';
import type { Run } from '../operations/model';
import { idSchema } from '../api/schemas';
import { cancelDetail, count, failureDetail, resultNumber } from '../operations/run-text';
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
  text: {
    label: 'Inventory sync',
    ended: {
      succeeded: (run) => objectsSeen(run),
      partially_succeeded: (run) => {
        const failedTypes = Object.values(run.counts.byType ?? {}).filter((t) => t.failed > 0).length;
        return `${objectsSeen(run)}; ${count(failedTypes, 'type')} not read in full`;
      },
      failed: failureDetail,
      cancelled: (run) => [cancelDetail(run), objectsSeen(run)].filter(Boolean).join('; '),
    },
  },
});

/** The inventory's entries of the operation catalog. */
export const inventoryRunTypes = runTypeList(inventorySyncRunType);

/** "239 objects, 2 changed, 1 new, 1 removed"; a first sync: "239 objects, all new". */
function objectsSeen(run: Run): string {
  const objects = count(resultNumber(run, 'totals', 'objects'), 'object');
  const changed = resultNumber(run, 'totals', 'changed');
  const added = resultNumber(run, 'totals', 'new');
  const removed = resultNumber(run, 'totals', 'removed');
  if (added > 0 && added === resultNumber(run, 'totals', 'objects')) return `${objects}, all new`;
  return [
    objects,
    `${changed} changed`,
    ...(added ? [`${added} new`] : []),
    ...(removed ? [`${removed} removed`] : []),
  ].join(', ');
}
