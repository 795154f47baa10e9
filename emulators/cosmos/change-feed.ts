import type { Container, ItemDefinition } from '@azure/cosmos';
import type { ChangeSource } from './change-source';
import { LeaseStore } from './lease-store';
import { PollChangeSource, type PollLeaseState } from './poll-source';
import { type ChangeFeedLeaseState, RealChangeFeedSource } from './real-change-feed-source';

export interface ChangeFeedOptions {
  /** The container being watched. */
  container: Container;
  /** Container holding checkpoints (partition key /id). */
  leaseContainer: Container;
  /** Unique per (function, watched container), e.g. `${functionName}:${db}:${container}`. */
  leaseId: string;
  /** poll = emulation for @vercel/cosmosdb-server; changeFeed = the real change feed (Azure / official emulator). */
  mode: 'poll' | 'changeFeed';
  /** Default false: only changes after the first start; with a lease already present, continue from it. */
  startFromBeginning?: boolean;
  /** Default 500. */
  pollIntervalMs?: number;
  /** Default 100. */
  maxItemsPerInvocation?: number;
  onChanges(documents: ItemDefinition[]): Promise<void>;
  onError?(error: unknown): void;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Delivers each change once per lease: the checkpoint moves only after onChanges resolved, a failed batch
 * is read again after a backoff, and a restart continues from the lease (stored in Cosmos, so it survives
 * the process). Only a crash between onChanges and the checkpoint write repeats a batch.
 */
export async function startChangeFeed(options: ChangeFeedOptions): Promise<{ stop(): Promise<void> }> {
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const maxItems = options.maxItemsPerInvocation ?? 100;
  const onError =
    options.onError ?? ((error: unknown) => console.error(`[change feed ${options.leaseId}]`, error));
  const report = (error: unknown) => {
    try {
      onError(error);
    } catch (reportingError) {
      // A throwing onError must not end the loop: the feed keeps running, as the host's trigger would.
      console.error(`[change feed ${options.leaseId}] onError threw`, reportingError);
    }
  };
  const source = await openSource(options);

  let stopped = false;
  let wakeUp: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = async () => {
    let failures = 0;
    while (!stopped) {
      let delayMs = pollIntervalMs;
      try {
        const batch = await source.next(maxItems);
        if (stopped) break; // read but not delivered: the checkpoint has not moved, the next start re-reads it
        if (batch.documents.length > 0) {
          await options.onChanges(batch.documents);
          if (!(await batch.commit())) {
            report(new Error(`Lease ${options.leaseId} was moved by another instance; continuing from it`));
          }
          // A full batch suggests more is waiting: read again at once.
          if (batch.documents.length >= maxItems) delayMs = 0;
        }
        failures = 0;
      } catch (error) {
        failures += 1;
        report(error);
        await source.rewind();
        delayMs = Math.min(
          Math.max(pollIntervalMs, 1) * 2 ** (failures - 1),
          Math.max(MAX_BACKOFF_MS, pollIntervalMs),
        );
      }
      if (!stopped) await sleep(delayMs);
    }
  };
  const running = loop();

  return {
    async stop() {
      stopped = true;
      wakeUp?.();
      await running;
    },
  };
}

function openSource(options: ChangeFeedOptions): Promise<ChangeSource> {
  const startFromBeginning = options.startFromBeginning ?? false;
  return options.mode === 'poll'
    ? PollChangeSource.open(
        options.container,
        new LeaseStore<PollLeaseState>(options.leaseContainer, options.leaseId),
        startFromBeginning,
      )
    : RealChangeFeedSource.open(
        options.container,
        new LeaseStore<ChangeFeedLeaseState>(options.leaseContainer, options.leaseId),
        startFromBeginning,
      );
}
