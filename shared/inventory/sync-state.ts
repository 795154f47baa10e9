import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { runFailureSchema } from '../operations/model';
import { readItem, updateWithEtag, withoutSystemFields } from '../store/documents';
import { typeTallySchema } from './store/cursors';

/**
 * The working state of one sync run, one document (`sync:{runId}`, TTL 7 days): the lanes' queue, the
 * claims they were given (by lane and step) and what each type's segments reported. Changed only with
 * ETag writes, since four lanes claim at once.
 */
export const claimSchema = z.object({
  policyType: z.string(),
  segment: z.number().int(),
  continuation: z.string().nullable(),
});
/** The next page range a lane reads. */
export type Claim = z.infer<typeof claimSchema>;

export const typeStatusSchema = z.enum(['succeeded', 'partial', 'failed']);

/** What a finished segment reports back: counts and a cursor id, never payloads. */
export const segmentOutcomeSchema = z.object({
  policyType: z.string(),
  segment: z.number().int(),
  status: typeStatusSchema,
  /** The type's figures so far (this segment and the ones before). */
  total: typeTallySchema,
  failure: runFailureSchema.optional(),
  continuation: z.string().nullable(),
});
export type SegmentOutcome = z.infer<typeof segmentOutcomeSchema>;

export const typeOutcomeSchema = z.object({
  status: typeStatusSchema,
  segments: z.number().int(),
  tally: typeTallySchema,
  failure: runFailureSchema.optional(),
});

export const syncStateSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  docType: z.literal('syncState'),
  runId: z.string(),
  types: z.array(z.string()),
  includeDependencies: z.boolean(),
  queue: z.array(z.string()),
  claims: z.record(z.string(), claimSchema.nullable()),
  outcomes: z.record(z.string(), typeOutcomeSchema),
  aborted: runFailureSchema.nullable(),
  dependencies: z.record(z.string(), z.unknown()).nullable(),
  /** Writes of the run's own bookkeeping (this document, the run's progress, cursors, the summary). */
  bookkeepingWrites: z.number().int(),
  ttl: z.number().int(),
});
export type SyncState = z.infer<typeof syncStateSchema>;

export const summarySchema = z.object({
  id: z.literal('summary'),
  tenantId: z.string(),
  docType: z.literal('summary'),
  lastRunId: z.string(),
  lastCompletedAt: z.string(),
  objectsByType: z.record(z.string(), z.number().int()),
});

export const stateId = (runId: string) => `sync:${runId}`;

/** The state lives in the inventory container (the tenant's partition), beside the items it describes. */
export async function readState(container: Container, tenantId: string, runId: string): Promise<SyncState> {
  const doc = await readItem(container, stateId(runId), tenantId);
  if (!doc) throw new Error(`The sync state of run ${runId} is missing.`);
  return syncStateSchema.parse(withoutSystemFields(doc));
}

export function updateState(
  container: Container,
  tenantId: string,
  runId: string,
  mutate: (state: SyncState) => SyncState | undefined,
): Promise<SyncState> {
  return updateWithEtag<SyncState>(
    container,
    stateId(runId),
    tenantId,
    (current) => {
      const next = mutate(syncStateSchema.parse(withoutSystemFields(current)));
      return next;
    },
    'The sync state',
    30,
  );
}
