import type { Container, ItemDefinition } from '@azure/cosmos';
import type { ChangeBatch, ChangeSource } from './change-source';
import { type Lease, LeaseStore } from './lease-store';

/**
 * Checkpoint of the emulated change feed. `_ts` has one-second granularity, so "after `ts`" cannot be
 * expressed by `ts` alone: the lease also keeps the versions (`[id, _etag]`) already delivered with that `_ts`.
 * A later write to a delivered document gets a new `_etag`, so it is delivered again, even in the same second.
 */
export interface PollLeaseState {
  kind: 'poll';
  ts: number;
  deliveredAtTs: [id: string, etag: string][];
}

const CHANGES_SINCE = 'SELECT * FROM c WHERE c._ts >= @ts ORDER BY c._ts';

/**
 * The change feed of `@vercel/cosmosdb-server` is a stub (the first read returns every document, later
 * reads answer 304), so changes are found by querying `_ts`. Like the real feed in latest-version mode,
 * several writes to one document between two polls are seen as its latest version only.
 */
export class PollChangeSource implements ChangeSource {
  private constructor(
    private readonly container: Container,
    private readonly leases: LeaseStore<PollLeaseState>,
    private lease: Lease<PollLeaseState>,
  ) {}

  /** Continues from the lease; without one, starts at the beginning or after the documents present now. */
  static async open(container: Container, leases: LeaseStore<PollLeaseState>, startFromBeginning: boolean) {
    for (;;) {
      const existing = await leases.read();
      if (existing?.state.kind === 'poll') return new PollChangeSource(container, leases, existing);
      const initial = startFromBeginning
        ? { kind: 'poll' as const, ts: 0, deliveredAtTs: [] }
        : await now(container);
      // A lease of the other mode (the endpoint changed) is replaced; a lost race re-reads the winner's.
      const lease = existing ? await leases.replace(initial, existing.etag) : await leases.create(initial);
      if (lease) return new PollChangeSource(container, leases, lease);
    }
  }

  async next(maxItems: number): Promise<ChangeBatch> {
    const { ts, deliveredAtTs } = this.lease.state;
    const delivered = new Set(deliveredAtTs.map(versionKey));
    const documents: ItemDefinition[] = [];
    // Pages sized so that one page normally covers what was already delivered plus a full batch.
    const pages = this.container.items.query<ItemDefinition>(
      { query: CHANGES_SINCE, parameters: [{ name: '@ts', value: ts }] },
      { maxItemCount: maxItems + delivered.size },
    );
    while (documents.length < maxItems && pages.hasMoreResults()) {
      const { resources } = await pages.fetchNext();
      for (const document of resources) {
        if (document._ts === ts && delivered.has(versionKey(versionOf(document)))) continue;
        documents.push(document);
        if (documents.length === maxItems) break;
      }
    }
    return { documents, commit: () => this.commit(documents) };
  }

  async rewind(): Promise<void> {
    // Nothing is held between reads: every read starts from the committed lease.
  }

  private async commit(documents: ItemDefinition[]): Promise<boolean> {
    const last = documents.at(-1);
    if (!last) return true;
    const lastTs = Number(last._ts);
    const { ts, deliveredAtTs } = this.lease.state;
    const deliveredNow = documents.filter((document) => document._ts === lastTs).map(versionOf);
    const state: PollLeaseState = {
      kind: 'poll',
      ts: lastTs,
      deliveredAtTs: lastTs === ts ? [...deliveredAtTs, ...deliveredNow] : deliveredNow,
    };
    const updated = await this.leases.replace(state, this.lease.etag);
    if (updated) {
      this.lease = updated;
      return true;
    }
    const current = await this.leases.read();
    if (!current || current.state.kind !== 'poll') {
      throw new Error('The change-feed lease was deleted or reset');
    }
    this.lease = current;
    return false;
  }
}

/** A checkpoint just after the documents present now: the newest `_ts` and every version written in it. */
async function now(container: Container): Promise<PollLeaseState> {
  const { resources: maxima } = await container.items
    .query<number>('SELECT VALUE MAX(c._ts) FROM c')
    .fetchAll();
  const ts = maxima[0];
  if (typeof ts !== 'number') return { kind: 'poll', ts: 0, deliveredAtTs: [] };
  const { resources } = await container.items
    .query<ItemDefinition>({
      query: 'SELECT c.id, c._etag FROM c WHERE c._ts = @ts',
      parameters: [{ name: '@ts', value: ts }],
    })
    .fetchAll();
  return { kind: 'poll', ts, deliveredAtTs: resources.map(versionOf) };
}

function versionOf(document: ItemDefinition): [id: string, etag: string] {
  return [String(document.id), String(document._etag)];
}

function versionKey([id, etag]: [string, string]): string {
  return JSON.stringify([id, etag]);
}
