import type { Container } from '@azure/cosmos';
import { InvariantError } from '../errors';
import { isConflict, readItem, updateWithEtag, withoutSystemFields } from '../store/documents';
import { QueryBuilder } from '../store/query';
import type { Run, RunOutcome, RunStatus } from './model';

/** The gate document of a tenant: at most one exists, naming the tenant's one active run. */
export interface ScopeLock {
  id: string;
  runId: string;
  identityKey: string;
  type: string;
  createdAt: string;
  _etag?: string;
}

export interface RunQuery {
  workspaceId: string;
  tenantId?: string;
  type?: string;
  status?: RunStatus;
  outcome?: RunOutcome;
  initiator?: string;
  from?: string;
  to?: string;
  limit: number;
  continuationToken?: string;
}

/** Runs (one document each) and the per-tenant scope locks that make the start gate hold. */
export class RunStore {
  constructor(
    private readonly runs: Container,
    private readonly locks: Container,
  ) {}

  async create(run: Run): Promise<void> {
    await this.runs.items.create(run);
  }

  async get(id: string): Promise<Run | undefined> {
    const doc = await readItem<Run>(this.runs, id, id);
    return doc && withoutSystemFields(doc);
  }

  /** A run an activity was started for: its absence is lost bookkeeping, never a caller's mistake. */
  async require(id: string): Promise<Run> {
    const run = await this.get(id);
    if (!run) throw new InvariantError(`Run ${id} does not exist.`);
    return run;
  }

  update(id: string, mutate: (run: Run) => Run | undefined): Promise<Run> {
    return updateWithEtag<Run>(this.runs, id, id, mutate, 'The operation');
  }

  async list(query: RunQuery): Promise<{ items: Run[]; continuationToken?: string }> {
    const spec = new QueryBuilder()
      .where('c.workspaceId = @workspaceId', '@workspaceId', query.workspaceId)
      .where('c.tenantId = @tenantId', '@tenantId', query.tenantId)
      .where('c.type = @type', '@type', query.type)
      .where('c.status = @status', '@status', query.status)
      .where('c.outcome = @outcome', '@outcome', query.outcome)
      .where(
        '(c.initiator.userId = @initiator OR c.initiator.scheduleId = @initiator)',
        '@initiator',
        query.initiator,
      )
      .where('c.createdAt >= @from', '@from', query.from)
      .where('c.createdAt <= @to', '@to', query.to)
      .build('c.createdAt DESC');
    const page = await this.runs.items
      .query<Run>(spec, { maxItemCount: query.limit, continuationToken: query.continuationToken })
      .fetchNext();
    return {
      items: page.resources.map((r) => withoutSystemFields(r)),
      ...(page.continuationToken && { continuationToken: page.continuationToken }),
    };
  }

  async active(): Promise<Run[]> {
    const { resources } = await this.runs.items
      .query<Run>("SELECT * FROM c WHERE c.status != 'completed'")
      .fetchAll();
    return resources.map((r) => withoutSystemFields(r));
  }

  /** Conditional create: true when this caller now holds the tenant's scope. */
  async tryLock(lock: Omit<ScopeLock, '_etag'>): Promise<boolean> {
    try {
      await this.locks.items.create(lock);
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }

  async readLock(id: string): Promise<ScopeLock | undefined> {
    return readItem<ScopeLock>(this.locks, id, id);
  }

  /** Deletes the lock only if it is still the one that was read (If-Match); losing that race is fine. */
  async releaseLock(lock: ScopeLock): Promise<void> {
    try {
      await this.locks
        .item(lock.id, lock.id)
        .delete({ accessCondition: { type: 'IfMatch', condition: lock._etag! } });
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (code !== 412 && code !== 404) throw error;
    }
  }
}

export function scopeLockId(tenantId: string): string {
  return `scope:${tenantId}`;
}
