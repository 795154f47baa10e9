import type { Container } from '@azure/cosmos';
import { readItem, updateWithEtag, withoutSystemFields } from '../store/documents';
import type { Schedule } from './model';

/** A due schedule with the ETag it was read with, so advancing it cannot overwrite a later save. */
export type DueSchedule = Schedule & { _etag: string };

/** Backup schedules: documents of kind `schedule` in the `backups` container (partition `/tenantId`). */
export class ScheduleStore {
  constructor(private readonly backups: Container) {}

  async create(schedule: Schedule): Promise<Schedule> {
    await this.backups.items.create(schedule);
    return schedule;
  }

  async get(tenantId: string, id: string): Promise<Schedule | undefined> {
    const doc = await readItem<Schedule>(this.backups, id, tenantId);
    return doc?.kind === 'schedule' ? withoutSystemFields(doc) : undefined;
  }

  async list(workspaceId: string, tenantId: string): Promise<Schedule[]> {
    const { resources } = await this.backups.items
      .query<Schedule>(
        {
          query:
            "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.kind = 'schedule' AND c.workspaceId = @workspaceId ORDER BY c.createdAt",
          parameters: [
            { name: '@tenantId', value: tenantId },
            { name: '@workspaceId', value: workspaceId },
          ],
        },
        { partitionKey: tenantId },
      )
      .fetchAll();
    return resources.map((doc) => withoutSystemFields(doc));
  }

  async update(
    tenantId: string,
    id: string,
    mutate: (current: Schedule) => Schedule | undefined,
  ): Promise<Schedule> {
    const updated = await updateWithEtag<Schedule>(
      this.backups,
      id,
      tenantId,
      (current) => (current.kind === 'schedule' ? mutate(current) : undefined),
      'The backup schedule',
    );
    return withoutSystemFields(updated);
  }

  /**
   * Moves `nextRunAt` to the next slot with the ETag the scheduler read the schedule with: if it was
   * changed since (saved, disabled, advanced by another tick) or deleted, nothing happens — a save
   * keeps its own `nextRunAt`, and a schedule left due is advanced by the next tick. Returns whether it
   * moved.
   */
  async advance(schedule: DueSchedule, next: Date): Promise<boolean> {
    const { _etag, ...document } = schedule;
    try {
      await this.backups
        .item(schedule.id, schedule.tenantId)
        .replace<Schedule>(
          { ...document, nextRunAt: next.toISOString() },
          { accessCondition: { type: 'IfMatch', condition: _etag } },
        );
      return true;
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (code === 412 || code === 404) return false;
      throw error;
    }
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.backups.item(id, tenantId).delete();
  }

  /**
   * Schedules whose next fire time has come, oldest first, one page at a time. Disabled schedules have
   * no `nextRunAt`, so the filter is one range over one indexed property: Cosmos answers it from the
   * index, costing in proportion to what is due, not to how many schedules exist (it fans out across
   * physical partitions only, not tenants).
   */
  async *due(now: Date, pageSize = 500): AsyncGenerator<DueSchedule[]> {
    const iterator = this.backups.items.query<DueSchedule>(
      {
        query: "SELECT * FROM c WHERE c.kind = 'schedule' AND c.nextRunAt <= @now ORDER BY c.nextRunAt",
        parameters: [{ name: '@now', value: now.toISOString() }],
      },
      { maxItemCount: pageSize },
    );
    while (iterator.hasMoreResults()) {
      const page = await iterator.fetchNext();
      if (page.resources.length > 0)
        yield page.resources.map((doc) => ({ ...withoutSystemFields(doc), _etag: doc._etag }));
    }
  }
}
