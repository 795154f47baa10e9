import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { readItem, withoutSystemFields } from '../../store/documents';
import { upsertAll, type WriteStats } from './batch-writer';

/** One object a sync saw: its Graph id, its content hash and a digest of the item fields read from it. */
export const observedEntrySchema = z.object({
  /** Graph id. */
  g: z.string(),
  /** Content hash (= the current version id). */
  h: z.string(),
  /** Digest of the item's other fields derived from the read (`itemFieldsDigest`). */
  f: z.string(),
});
export type ObservedEntry = z.infer<typeof observedEntrySchema>;

/** Entries per observation document, and the bytes they may take (Cosmos allows 2 MB a document). */
export const OBSERVATION_CHUNK_ENTRIES = 10_000;
const OBSERVATION_CHUNK_BYTES = 1_500_000;

const headSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  docType: z.literal('observation'),
  policyType: z.string(),
  /** The run that wrote it (an inventory sync or a backup). */
  runId: z.string(),
  /** When the type was last listed completely; the time every entry was last seen at the latest. */
  observedAt: z.string().nullable(),
  /** True when this run listed the type completely and derived removals from it. */
  complete: z.boolean(),
  /** Graph ids of items this run marked removed (so a retried segment answers the same). */
  removed: z.array(z.string()),
  /** Documents of this observation: this one and `chunks - 1` chunk documents. */
  chunks: z.number().int(),
  entries: z.array(observedEntrySchema),
});
const chunkSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  docType: z.literal('observationChunk'),
  policyType: z.string(),
  runId: z.string(),
  index: z.number().int(),
  entries: z.array(observedEntrySchema),
});
type ObservationHead = z.infer<typeof headSchema>;
type ObservationChunk = z.infer<typeof chunkSchema>;

/** What a type's last sync recorded: exactly the type's items that are not removed. */
export interface Observation {
  runId: string;
  /** Cosmos's own timestamp (`_ts`, seconds) of the head's write; items written at or after it are not in it. */
  savedTs: number | null;
  observedAt: string | null;
  complete: boolean;
  removed: string[];
  entries: Map<string, ObservedEntry>;
}

export const observationId = (policyType: string) => `observed:${policyType}`;
const chunkId = (policyType: string, index: number) => `observed:${policyType}:${index}`;

/**
 * What each sync saw per policy type (ids and hashes of its objects), instead of a last-seen stamp on
 * every item: an unchanged re-sync writes this one document per type and no item, and the next complete
 * listing's removals are the difference against it. Types beyond 10,000 objects take chunk documents,
 * written before the head that names their run, so a head never pairs with another run's chunks.
 */
export class ObservationStore {
  constructor(private readonly container: Container) {}

  /** The type's observation; undefined when there is none or its chunks are not all of its run. */
  async get(tenantId: string, policyType: string): Promise<Observation | undefined> {
    const doc = await readItem<ObservationHead>(this.container, observationId(policyType), tenantId);
    if (!doc) return undefined;
    const head = headSchema.parse(withoutSystemFields(doc));
    const entries = new Map(head.entries.map((entry) => [entry.g, entry]));
    for (let index = 1; index < head.chunks; index++) {
      const raw = await readItem<ObservationChunk>(this.container, chunkId(policyType, index), tenantId);
      const chunk = raw && chunkSchema.parse(withoutSystemFields(raw));
      if (!chunk || chunk.runId !== head.runId) return undefined;
      for (const entry of chunk.entries) entries.set(entry.g, entry);
    }
    const { runId, observedAt, complete, removed } = head;
    const savedTs = typeof doc._ts === 'number' ? doc._ts : null;
    return { runId, savedTs, observedAt, complete, removed, entries };
  }

  /** Replaces the type's observation: chunk documents first, then the head, in as few batches as fit. */
  async save(
    tenantId: string,
    policyType: string,
    observation: Omit<Observation, 'entries' | 'savedTs'> & { entries: readonly ObservedEntry[] },
    stats: WriteStats,
  ): Promise<void> {
    const slices = slice(observation.entries);
    const chunks: ObservationChunk[] = slices.slice(1).map((entries, offset) => ({
      id: chunkId(policyType, offset + 1),
      tenantId,
      docType: 'observationChunk',
      policyType,
      runId: observation.runId,
      index: offset + 1,
      entries,
    }));
    const head: ObservationHead = {
      id: observationId(policyType),
      tenantId,
      docType: 'observation',
      policyType,
      runId: observation.runId,
      observedAt: observation.observedAt,
      complete: observation.complete,
      removed: observation.removed,
      chunks: slices.length,
      entries: slices[0] ?? [],
    };
    await upsertAll(this.container, tenantId, chunks, stats);
    await upsertAll(this.container, tenantId, [head], stats);
  }

  /** When each type of the tenant was last listed completely (for the items' `lastSeenAt`). */
  async observedAtByType(tenantId: string): Promise<Map<string, string>> {
    const { resources } = await this.container.items
      .query<{ policyType: string; observedAt: string | null }>(
        {
          query:
            "SELECT c.policyType, c.observedAt FROM c WHERE c.tenantId = @tenantId AND c.docType = 'observation'",
          parameters: [{ name: '@tenantId', value: tenantId }],
        },
        { partitionKey: tenantId },
      )
      .fetchAll();
    return new Map(resources.flatMap((r) => (r.observedAt ? [[r.policyType, r.observedAt] as const] : [])));
  }
}

/** Entries cut into slices of at most 10,000 entries and 1.5 MB (at least one slice, maybe empty). */
function slice(entries: readonly ObservedEntry[]): ObservedEntry[][] {
  const slices: ObservedEntry[][] = [[]];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.g) + entry.h.length + entry.f.length + 20;
    const current = slices[slices.length - 1]!;
    if (
      current.length >= OBSERVATION_CHUNK_ENTRIES ||
      (current.length > 0 && bytes + size > OBSERVATION_CHUNK_BYTES)
    ) {
      slices.push([entry]);
      bytes = size;
    } else {
      current.push(entry);
      bytes += size;
    }
  }
  return slices;
}
