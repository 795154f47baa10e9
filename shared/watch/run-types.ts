import { z } from 'zod';
import type { Run } from '../operations/model';
import { cancelDetail, count, failureDetail, resultNumber } from '../operations/run-text';
import { ORCHESTRATORS } from '../operations/orchestrators';
import { defineRunType, runTypeList } from '../operations/run-type';

export const INVENTORY_WATCH = 'inventory.watch';

/**
 * `inventory.watch`: the tenant's audit logs since its watermark, and a re-read of only the objects
 * they name (docs/watch.md). Started by the watch timer only, once per tenant and slot (the slot is the
 * identity, and the run id derives from it). Holds the tenant's scope like any run, so it never
 * overlaps a full sync: a busy tenant skips the slot, the next one reads from the same watermark.
 */
export const inventoryWatchRunType = defineRunType({
  type: INVENTORY_WATCH,
  summary: 'Read the audit logs and re-read what changed (started by the watch timer only)',
  capability: 'operations.start',
  input: z.object({ slot: z.iso.datetime() }).strict(),
  identity: (input) => ({ slot: input.slot }),
  stableRunId: true,
  internal: true,
  instanceId: (run) => `inventory-watch:${run.tenantId}:${run.context.slot}`,
  orchestrator: ORCHESTRATORS.inventoryWatch,
  staleAfterMs: 10 * 60_000,
  touchesGraph: true,
  text: {
    label: 'Change watch',
    ended: {
      succeeded: changesSeen,
      partially_succeeded: (run) => [changesSeen(run), failureDetail(run)].filter(Boolean).join('; '),
      failed: failureDetail,
      cancelled: cancelDetail,
    },
  },
});

/** "3 changes from 5 audit records" / "no changes". */
function changesSeen(run: Run): string {
  if (run.result && 'skipped' in run.result) return String(run.result.skipped);
  const changes = resultNumber(run, 'changes');
  const intune = resultNumber(run, 'records', 'intune');
  const entra = resultNumber(run, 'records', 'entra');
  if (changes === 0 && intune + entra === 0) return 'no changes';
  return `${count(changes, 'change')} from ${count(intune + entra, 'audit record')}`;
}

/** The watch feature's entries of the operation catalog. */
export const watchRunTypes = runTypeList(inventoryWatchRunType);
