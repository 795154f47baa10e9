import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BatchResult, GraphClient, GraphCorrelation, GraphRequestSpec } from '../graph';
import type { GraphBudget } from './graph-budget';

/** Graph's limit of requests in one `$batch`. */
export const BATCH_SIZE = 20;
/** How long a part-filled batch waits for more reads before it is sent anyway. */
const LINGER_MS = 60;

interface Queued {
  spec: GraphRequestSpec;
  resolve(result: BatchResult): void;
  reject(error: unknown): void;
}

export interface BatchQueueStats {
  batches: number;
  subRequests: number;
}

/**
 * Packs the single reads of every type a run reads in this process into `$batch`es of 20 (one queue per
 * run and connection). An envelope is put together only once the tenant's budget has the tokens for it,
 * from whatever is queued by then: while the budget is the bottleneck, reads pile up and every envelope
 * is full, whichever types and pages they come from. A part-filled one waits a moment for more reads.
 */
export class BatchQueue {
  private readonly queues = new Map<GraphRequestSpec['apiVersion'], Queued[]>();
  private pumping = false;
  private lastArrival = 0;
  readonly stats: BatchQueueStats = { batches: 0, subRequests: 0 };

  constructor(
    private readonly client: GraphClient,
    private readonly budget: GraphBudget,
    private readonly correlation: GraphCorrelation,
  ) {}

  /** One read; resolves with its answer (a failed answer is a result, not an exception). */
  read(spec: GraphRequestSpec): Promise<BatchResult> {
    return new Promise<BatchResult>((resolve, reject) => {
      const queue = this.queues.get(spec.apiVersion) ?? [];
      this.queues.set(spec.apiVersion, queue);
      queue.push({ spec, resolve, reject });
      this.lastArrival = Date.now();
      void this.pump();
    });
  }

  private fullest(): Queued[] | undefined {
    let best: Queued[] | undefined;
    for (const queue of this.queues.values()) if (queue.length > (best?.length ?? 0)) best = queue;
    return best;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let queue = this.fullest(); queue; queue = this.fullest()) {
        try {
          await this.budget.take(BATCH_SIZE);
        } catch (error) {
          // The budget could not be had (its store did not answer): the reads waiting fail, not hang.
          for (const waiting of this.queues.values())
            for (const queued of waiting.splice(0)) queued.reject(error);
          return;
        }
        while ((this.fullest()?.length ?? 0) < BATCH_SIZE && Date.now() - this.lastArrival < LINGER_MS)
          await sleep(LINGER_MS);
        const chunk = (this.fullest() ?? []).splice(0, BATCH_SIZE);
        this.budget.refund(BATCH_SIZE - chunk.length);
        if (chunk.length > 0) void this.send(chunk);
      }
    } finally {
      this.pumping = false;
    }
  }

  private async send(chunk: Queued[]): Promise<void> {
    this.stats.batches++;
    this.stats.subRequests += chunk.length;
    try {
      const results = await this.client.batch(
        chunk.map((queued) => queued.spec),
        { correlation: this.correlation },
      );
      chunk.forEach((queued, index) => queued.resolve(results[index]!));
    } catch (error) {
      for (const queued of chunk) queued.reject(error);
    }
  }
}

const queues = new Map<string, { queue: BatchQueue; users: number }>();

/**
 * The run's queue for this connection, shared by the run's concurrent reads in this process; released
 * by the last user.
 */
export function acquireBatchQueue(
  client: GraphClient,
  budget: GraphBudget,
  correlation: Required<Pick<GraphCorrelation, 'runId'>> & GraphCorrelation,
): { queue: BatchQueue; release(): void } {
  const key = `${correlation.runId}|${client.connectionId}`;
  let entry = queues.get(key);
  if (!entry) {
    entry = { queue: new BatchQueue(client, budget, correlation), users: 0 };
    queues.set(key, entry);
  }
  entry.users++;
  const held = entry;
  let released = false;
  return {
    queue: held.queue,
    release() {
      if (released) return;
      released = true;
      if (--held.users === 0 && queues.get(key) === held) queues.delete(key);
    },
  };
}

/** Many reads wait on one run's abort signal at once; that is expected, not a leak. */
export function allowManyListeners(signal: AbortSignal): void {
  setMaxListeners(0, signal);
}
