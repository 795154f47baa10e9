import * as df from 'durable-functions';
import { syncDependencies, syncPolicyType } from '../../shared/inventory';
import {
  claimNext,
  planSync,
  recordDependencies,
  SEGMENT_MAX_MS,
  SEGMENT_MAX_OBJECTS,
  summarizeSync,
} from '../../shared/inventory/sync-run';
import type { RunInput, WorkResult } from '../runs/contract';
import {
  INVENTORY,
  type Claim,
  type ClaimInput,
  type DependenciesOutput,
  type PlanResult,
  type SegmentInput,
  type SegmentOutcome,
} from './contract';

df.app.activity(INVENTORY.plan, {
  handler: ({ runId }: RunInput): Promise<PlanResult> => planSync(runId),
});

df.app.activity(INVENTORY.claim, {
  handler: (input: ClaimInput): Promise<Claim | null> => claimNext(input),
});

/** One page range of one type; the versions it saw stay in Cosmos (history gets counts). */
df.app.activity(INVENTORY.segment, {
  handler: async (input: SegmentInput): Promise<SegmentOutcome> => {
    const result = await syncPolicyType({
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
});

df.app.activity(INVENTORY.dependencies, {
  handler: async ({ runId }: RunInput): Promise<DependenciesOutput> => {
    const { versions: _versions, ...result } = await syncDependencies({ runId });
    await recordDependencies(runId, result);
    return { referenced: result.referenced, stored: result.stored, failed: Boolean(result.failure) };
  },
});

df.app.activity(INVENTORY.summarize, {
  handler: ({ runId }: RunInput): Promise<WorkResult> => summarizeSync(runId),
});
