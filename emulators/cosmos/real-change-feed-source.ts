import {
  ChangeFeedStartFrom,
  type ChangeFeedPullModelIterator,
  type Container,
  type ItemDefinition,
} from '@azure/cosmos';
import type { ChangeBatch, ChangeSource } from './change-source';
import { type Lease, LeaseStore } from './lease-store';

/**
 * Checkpoint of the real change feed (Azure, official emulator): the SDK's continuation token. Before the
 * first commit there is none, so the lease records where the feed started (`startTime`, or the beginning).
 */
export interface ChangeFeedLeaseState {
  kind: 'changeFeed';
  continuation?: string;
  startTime?: string;
}

export class RealChangeFeedSource implements ChangeSource {
  private iterator: ChangeFeedPullModelIterator<ItemDefinition> | undefined;

  private constructor(
    private readonly container: Container,
    private readonly leases: LeaseStore<ChangeFeedLeaseState>,
    private lease: Lease<ChangeFeedLeaseState>,
  ) {}

  static async open(
    container: Container,
    leases: LeaseStore<ChangeFeedLeaseState>,
    startFromBeginning: boolean,
  ): Promise<RealChangeFeedSource> {
    for (;;) {
      const existing = await leases.read();
      if (existing?.state.kind === 'changeFeed') return new RealChangeFeedSource(container, leases, existing);
      // "Now" is stored as a time rather than read as a token, so changes made before the first poll count.
      const initial: ChangeFeedLeaseState = startFromBeginning
        ? { kind: 'changeFeed' }
        : { kind: 'changeFeed', startTime: new Date().toISOString() };
      const lease = existing ? await leases.replace(initial, existing.etag) : await leases.create(initial);
      if (lease) return new RealChangeFeedSource(container, leases, lease);
    }
  }

  async next(maxItems: number): Promise<ChangeBatch> {
    this.iterator ??= this.container.items.getChangeFeedIterator<ItemDefinition>({
      maxItemCount: maxItems,
      changeFeedStartFrom: this.startFrom(),
    });
    const response = await this.iterator.readNext();
    const documents = response.statusCode === 304 ? [] : response.result;
    const continuation = response.continuationToken;
    return { documents, commit: () => this.commit(documents, continuation) };
  }

  async rewind(): Promise<void> {
    // The SDK's iterator has moved past the batch; a new one starts again from the lease.
    this.iterator = undefined;
  }

  private startFrom(): ChangeFeedStartFrom {
    const { continuation, startTime } = this.lease.state;
    if (continuation) return ChangeFeedStartFrom.Continuation(continuation);
    if (startTime) return ChangeFeedStartFrom.Time(new Date(startTime));
    return ChangeFeedStartFrom.Beginning();
  }

  private async commit(documents: ItemDefinition[], continuation: string): Promise<boolean> {
    // Nothing delivered: the position is unchanged from the lease's point of view; save a write.
    if (documents.length === 0) return true;
    const updated = await this.leases.replace({ kind: 'changeFeed', continuation }, this.lease.etag);
    if (updated) {
      this.lease = updated;
      return true;
    }
    const current = await this.leases.read();
    if (!current || current.state.kind !== 'changeFeed') {
      throw new Error('The change-feed lease was deleted or reset');
    }
    this.lease = current;
    this.iterator = undefined;
    return false;
  }
}
