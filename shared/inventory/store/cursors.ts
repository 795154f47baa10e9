import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { readItem, withoutSystemFields } from '../../store/documents';
import { observedEntrySchema } from './observations';

/** Cursors and run state are working documents: they expire a week after a sync (container TTL). */
export const WORKING_DOCUMENT_TTL_SECONDS = 7 * 24 * 3600;

export const typeTallySchema = z.object({
  objects: z.number().int(),
  new: z.number().int(),
  changed: z.number().int(),
  unchanged: z.number().int(),
  restored: z.number().int(),
  removed: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  versionsCreated: z.number().int(),
  pages: z.number().int(),
  subRequests: z.number().int(),
  cosmosRequests: z.number().int(),
  documentsWritten: z.number().int(),
});
/** What one type's sync did so far: objects by outcome and the requests it took. */
export type TypeTally = z.infer<typeof typeTallySchema>;

export function emptyTally(): TypeTally {
  return {
    objects: 0,
    new: 0,
    changed: 0,
    unchanged: 0,
    restored: 0,
    removed: 0,
    failed: 0,
    skipped: 0,
    versionsCreated: 0,
    pages: 0,
    subRequests: 0,
    cosmosRequests: 0,
    documentsWritten: 0,
  };
}

export function addTallies(a: TypeTally, b: TypeTally): TypeTally {
  return Object.fromEntries(
    Object.entries(a).map(([key, value]) => [key, value + b[key as keyof TypeTally]]),
  ) as TypeTally;
}

const cursorSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  docType: z.literal('cursor'),
  runId: z.string(),
  policyType: z.string(),
  nextLink: z.string(),
  /** What the earlier segments of the type did: the last one decides whether removals may be marked. */
  tally: typeTallySchema,
  /** What the segment that saved this cursor saw (its objects' observation entries). */
  entries: z.array(observedEntrySchema),
  /** The cursor that segment continued from: the chain holds everything the type's segments saw. */
  previous: z.string().nullable(),
  ttl: z.number().int(),
});
export type SyncCursor = z.infer<typeof cursorSchema>;

/**
 * Where a long collection read stopped: Graph's `@odata.nextLink` is kept here, not in orchestration
 * history, and the next segment (another activity) continues from it.
 */
export class CursorStore {
  constructor(private readonly container: Container) {}

  async save(cursor: Omit<SyncCursor, 'docType' | 'ttl'>): Promise<void> {
    await this.container.items.upsert({ ...cursor, docType: 'cursor', ttl: WORKING_DOCUMENT_TTL_SECONDS });
  }

  async get(tenantId: string, id: string): Promise<SyncCursor | undefined> {
    const doc = await readItem<SyncCursor>(this.container, id, tenantId);
    return doc && cursorSchema.parse(withoutSystemFields(doc));
  }
}
