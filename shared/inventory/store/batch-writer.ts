import type { Container, JSONObject, OperationInput } from '@azure/cosmos';
import { BATCH_MAX_OPERATIONS } from '../../store/documents';

/** Cosmos's other limit of one transactional batch: 2 MB of request (kept under, with headroom). */
const MAX_BYTES = 1_800_000;

export interface WriteStats {
  /** Batch requests sent (what Cosmos bills as requests). */
  requests: number;
  /** Documents written. */
  documents: number;
}

export function emptyWriteStats(): WriteStats {
  return { requests: 0, documents: 0 };
}

/**
 * Upserts documents of one partition in transactional batches of up to 100 (and under 2 MB): the way
 * thousands of items and versions are written in a few requests. Upserts of whole documents only, so a
 * batch cannot fail half-way on a conflict (the local server's batches are not atomic anyway).
 */
export async function upsertAll(
  container: Container,
  partitionKey: string,
  documents: ReadonlyArray<Record<string, unknown>>,
  stats: WriteStats,
): Promise<void> {
  let operations: OperationInput[] = [];
  let bytes = 0;
  const flush = async () => {
    if (operations.length === 0) return;
    const batch = operations;
    operations = [];
    bytes = 0;
    const response = await container.items.batch(batch, partitionKey);
    stats.requests++;
    const failed = (response.result ?? []).find((result) => result.statusCode >= 400);
    if (failed || (response.code !== undefined && response.code >= 400)) {
      throw new Error(
        `Cosmos batch write failed (${failed?.statusCode ?? response.code}) in ${container.id}`,
      );
    }
    stats.documents += batch.length;
  };
  for (const document of documents) {
    const size = Buffer.byteLength(JSON.stringify(document));
    if (operations.length >= BATCH_MAX_OPERATIONS || (operations.length > 0 && bytes + size > MAX_BYTES))
      await flush();
    // The partition key on each operation too: the local server reads it there (Azure takes either).
    operations.push({ operationType: 'Upsert', partitionKey, resourceBody: document as JSONObject });
    bytes += size;
  }
  await flush();
}
