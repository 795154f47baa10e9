import type { Container } from '@azure/cosmos';
import { NotFoundError } from '../errors';
import { isConflict, updateWithEtag, withoutSystemFields } from '../store/documents';
import type { Notification } from './model';
import type { Clock } from '../clock';

export interface NotificationQuery {
  unread?: boolean;
  limit: number;
  continuationToken?: string;
}

/** Notifications, partitioned by user: a user only ever reads their own partition. */
export class NotificationStore {
  constructor(
    private readonly container: Container,
    private readonly clock: Clock,
  ) {}

  /** Creates the notification unless it exists (its id is deterministic); true when created now. */
  async createOnce(notification: Notification): Promise<boolean> {
    try {
      await this.container.items.create(notification);
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  }

  async list(
    userId: string,
    query: NotificationQuery,
  ): Promise<{ items: Notification[]; continuationToken?: string }> {
    const unread = query.unread ? ' AND (NOT IS_DEFINED(c.readAt) OR IS_NULL(c.readAt))' : '';
    const page = await this.container.items
      .query<Notification>(
        {
          query: `SELECT * FROM c WHERE c.userId = @userId${unread} ORDER BY c.createdAt DESC`,
          parameters: [{ name: '@userId', value: userId }],
        },
        { partitionKey: userId, maxItemCount: query.limit, continuationToken: query.continuationToken },
      )
      .fetchNext();
    return {
      items: page.resources.map((doc) => withoutSystemFields(doc)),
      ...(page.continuationToken && { continuationToken: page.continuationToken }),
    };
  }

  /** Marks read once; reading again keeps the first time. Throws NotFoundError for another user's id. */
  async markRead(userId: string, id: string): Promise<Notification> {
    const doc = await updateWithEtag<Notification>(
      this.container,
      id,
      userId,
      (current) => {
        // The partition key already scopes the read to this user; checking the owner costs nothing.
        if (current.userId !== userId) throw new NotFoundError('The notification');
        return current.readAt ? undefined : { ...current, readAt: this.clock.now().toISOString() };
      },
      'The notification',
    );
    return withoutSystemFields(doc);
  }
}
