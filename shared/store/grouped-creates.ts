import type { Container, JSONObject, OperationInput } from '@azure/cosmos';
import { BATCH_MAX_OPERATIONS } from './documents';

export type CreateOutcome = 'created' | 'exists';

interface Pending {
  document: JSONObject;
  resolve: (outcome: CreateOutcome) => void;
  reject: (error: unknown) => void;
}

interface Partition {
  writing: boolean;
  waiting: Pending[];
}

/**
 * Group commit of small append-only documents (audit records) of one partition: a create asked for
 * while an earlier one is being written waits for that write and goes out with every create that came
 * meanwhile, in one batch request. Alone, a create is written at once, so nothing waits when the store
 * is idle; under a burst (many deduplicated starts, a scheduler tick's slots) N records cost about one
 * request per round trip instead of N. Each caller's promise settles only when its own document is
 * written (or known to exist), so a caller never answers before its record is durable.
 */
export class GroupedCreates {
  private readonly partitions = new Map<string, Partition>();

  constructor(private readonly container: Container) {}

  create(partitionKey: string, document: object): Promise<CreateOutcome> {
    let partition = this.partitions.get(partitionKey);
    if (!partition) {
      partition = { writing: false, waiting: [] };
      this.partitions.set(partitionKey, partition);
    }
    const settled = new Promise<CreateOutcome>((resolve, reject) =>
      partition.waiting.push({ document: document as JSONObject, resolve, reject }),
    );
    if (!partition.writing) void this.drain(partitionKey, partition);
    return settled;
  }

  private async drain(partitionKey: string, partition: Partition): Promise<void> {
    partition.writing = true;
    try {
      while (partition.waiting.length > 0) {
        const group = partition.waiting.splice(0, BATCH_MAX_OPERATIONS);
        await this.write(partitionKey, group);
      }
    } finally {
      partition.writing = false;
      this.partitions.delete(partitionKey);
    }
  }

  private async write(partitionKey: string, group: Pending[]): Promise<void> {
    if (group.length === 1) return this.createAlone(group[0]!);
    let results: Array<{ statusCode: number }> = [];
    try {
      const operations: OperationInput[] = group.map((pending) => ({
        operationType: 'Create',
        partitionKey,
        resourceBody: pending.document,
      }));
      results = (await this.container.items.batch(operations, partitionKey)).result ?? [];
    } catch {
      // The batch as a whole failed: each document is written on its own below.
    }
    await Promise.all(
      group.map((pending, index) => {
        const status = results[index]?.statusCode ?? 0;
        if (status >= 200 && status < 300) return pending.resolve('created');
        if (status === 409) return pending.resolve('exists');
        // Not written: refused with the batch (424 beside a conflict) or never sent.
        return this.createAlone(pending);
      }),
    );
  }

  private async createAlone(pending: Pending): Promise<void> {
    try {
      await this.container.items.create(pending.document);
      pending.resolve('created');
    } catch (error) {
      if ((error as { code?: number }).code === 409) pending.resolve('exists');
      else pending.reject(error);
    }
  }
}
