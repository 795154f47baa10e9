import type { Container, ItemDefinition, Resource } from '@azure/cosmos';
import { ConcurrencyError, NotFoundError } from '../errors';
import { ReadCoalescing } from './read-coalescing';

/** Cosmos system properties we never hand back to callers. */
export function withoutSystemFields<T extends object>(doc: T): T {
  const {
    _rid: _r,
    _self: _s,
    _etag: _e,
    _attachments: _a,
    _ts: _t,
    ...rest
  } = doc as Record<string, unknown>;
  return rest as T;
}

/** Cosmos DB's limit of operations in one transactional batch. */
export const BATCH_MAX_OPERATIONS = 100;

const coalescing = new WeakMap<Container, ReadCoalescing>();

/**
 * A point read; concurrent reads of the same document share round trips (`ReadCoalescing`: each
 * caller still gets an answer read after it asked, and a copy of its own).
 */
export function readItem<T extends ItemDefinition>(
  container: Container,
  id: string,
  partitionKey: string,
): Promise<(T & Resource) | undefined> {
  let reads = coalescing.get(container);
  if (!reads) {
    reads = new ReadCoalescing();
    coalescing.set(container, reads);
  }
  return reads.read(JSON.stringify([id, partitionKey]), async () => {
    const { resource } = await container.item(id, partitionKey).read<T>();
    return resource;
  });
}

/**
 * Read-modify-write of one document with its ETag, retried when someone else wrote in between: the
 * way to change shared documents without lost updates (and without relying on batch atomicity).
 * `mutate` returns the new document, or undefined to leave it unchanged.
 */
export async function updateWithEtag<T extends ItemDefinition>(
  container: Container,
  id: string,
  partitionKey: string,
  mutate: (current: T) => T | undefined | Promise<T | undefined>,
  what = 'The resource',
  attempts = 8,
): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const current = await readItem<T & { _etag: string }>(container, id, partitionKey);
    if (!current) throw new NotFoundError(what);
    const next = await mutate(current);
    if (next === undefined) return current;
    try {
      const { resource } = await container
        .item(id, partitionKey)
        .replace<T>(next, { accessCondition: { type: 'IfMatch', condition: current._etag } });
      return resource!;
    } catch (error) {
      if ((error as { code?: number }).code !== 412) throw error;
    }
  }
  throw new ConcurrencyError(what);
}

export function isConflict(error: unknown): boolean {
  return (error as { code?: number }).code === 409;
}
