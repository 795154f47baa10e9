import type { Inventory } from '../../shared/inventory';
import type { Watch } from '../../shared/watch';
import { SEGMENT_MAX_MS, SEGMENT_MAX_OBJECTS } from '../../shared/inventory/sync-run';
import type { RunInput, WorkResult } from '../runs/contract';
import type { Activities } from '../runs/register';
import {
  INVENTORY,
  type Claim,
  type ClaimInput,
  type DependenciesOutput,
  type PlanResult,
  type SegmentInput,
  type SegmentOutcome,
} from './contract';

export function createInventoryActivities(deps: () => { inventory: Inventory; watch?: Watch }): Activities {
  return {
    [INVENTORY.plan]: ({ runId }: RunInput): Promise<PlanResult> => deps().inventory.sync.plan(runId),

    [INVENTORY.claim]: (input: ClaimInput): Promise<Claim | null> => deps().inventory.sync.claimNext(input),

    /** One page range of one type; the versions it saw stay in Cosmos (history gets counts). */
    [INVENTORY.segment]: async (input: SegmentInput): Promise<SegmentOutcome> => {
      const result = await deps().inventory.syncPolicyType({
        runId: input.runId,
        policyType: input.policyType,
        continuation: input.continuation,
        maxObjects: SEGMENT_MAX_OBJECTS,
        maxDurationMs: SEGMENT_MAX_MS,
      });
      return {
        policyType: result.policyType,
        segment: input.segment,
        status: result.status,
        total: result.total,
        ...(result.failure && { failure: result.failure }),
        continuation: result.continuation,
      };
    },

    [INVENTORY.dependencies]: async ({ runId }: RunInput): Promise<DependenciesOutput> => {
      const { inventory } = deps();
      const { versions: _versions, ...result } = await inventory.syncDependencies({ runId });
      await inventory.sync.recordDependencies(runId, result);
      return { referenced: result.referenced, stored: result.stored, failed: Boolean(result.failure) };
    },

    /** The summary; a tenant's first completed sync also starts its change watch (docs/watch.md). */
    [INVENTORY.summarize]: async ({ runId }: RunInput): Promise<WorkResult> => {
      const { inventory, watch } = deps();
      const completion = await inventory.sync.summarize(runId);
      if (watch && completion.outcome !== 'failed') await watch.ensureState(await inventory.sync.run(runId));
      return completion;
    },
  };
}
