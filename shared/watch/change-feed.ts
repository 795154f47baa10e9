import type { Container, SqlParameter } from '@azure/cosmos';
import { z } from 'zod';
import { idSchema, pageQuery } from '../api/schemas';
import { withoutSystemFields } from '../store/documents';
import { changeKindSchema, changeRecordSchema, type ChangeRecord } from './model';

/** Query of the change feed: the tenant, then any filter, combined with AND. */
export const changeFeedQuery = pageQuery.extend({
  tenantId: idSchema,
  /** A policy type (contract key), e.g. `deviceConfigurations`. */
  type: z.string().min(1).max(100).optional(),
  /** A UPN or an app id (case-insensitive), or `unknown` for changes no audit record explained. */
  actor: z.string().min(1).max(320).optional(),
  kind: changeKindSchema.optional(),
  /** Changes observed at or after / before this time. */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type ChangeFeedQuery = z.infer<typeof changeFeedQuery>;

/** A feed entry as callers see it: the change and links to the item, its two versions and their diff. */
export const changeView = changeRecordSchema.omit({ docType: true, actorKey: true }).extend({
  links: z.object({
    item: z.string(),
    versionBefore: z.string().nullable(),
    versionAfter: z.string().nullable(),
    diff: z.string().nullable(),
  }),
});
export type ChangeView = z.infer<typeof changeView>;

export function toChangeView(change: ChangeRecord): ChangeView {
  const { docType: _d, actorKey: _a, ...rest } = change;
  const item = `/api/workspaces/${change.workspaceId}/tenants/${change.tenantId}/inventory/${encodeURIComponent(change.itemId)}`;
  const version = (id: string | null) => (id ? `${item}/versions/${id}` : null);
  return {
    ...rest,
    links: {
      item,
      versionBefore: version(change.versionBefore),
      versionAfter: version(change.versionAfter),
      diff:
        change.versionBefore && change.versionAfter
          ? `${item}/diff?from=${change.versionBefore}&to=${change.versionAfter}`
          : null,
    },
  };
}

/** The change feed, from Cosmos only: a tenant's change records, newest first. */
export class ChangeFeed {
  constructor(private readonly container: Container) {}

  async list(query: ChangeFeedQuery): Promise<{ items: ChangeView[]; continuationToken?: string }> {
    const conditions = ['c.tenantId = @tenantId', "c.docType = 'change'"];
    const parameters: SqlParameter[] = [{ name: '@tenantId', value: query.tenantId }];
    const add = (clause: string, name: string, value: string | undefined) => {
      if (value === undefined) return;
      conditions.push(clause);
      parameters.push({ name, value });
    };
    add('c.policyType = @type', '@type', query.type);
    add('c.kind = @kind', '@kind', query.kind);
    add('c.actorKey = @actor', '@actor', query.actor?.toLowerCase());
    add('c.observedAt >= @from', '@from', query.from && new Date(query.from).toISOString());
    add('c.observedAt < @to', '@to', query.to && new Date(query.to).toISOString());
    const page = await this.container.items
      .query<ChangeRecord>(
        {
          query: `SELECT * FROM c WHERE ${conditions.join(' AND ')} ORDER BY c.observedAt DESC`,
          parameters,
        },
        {
          partitionKey: query.tenantId,
          maxItemCount: query.limit,
          continuationToken: query.continuationToken,
        },
      )
      .fetchNext();
    return {
      items: page.resources.map((doc) => toChangeView(changeRecordSchema.parse(withoutSystemFields(doc)))),
      ...(page.continuationToken && { continuationToken: page.continuationToken }),
    };
  }
}
