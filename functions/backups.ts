import { z } from 'zod';
import { idSchema, listOf, pageQuery, tenantParams } from '../shared/api/schemas';
import { getServices } from '../shared/app/services';
import { backupItemSchema, backupSetView } from '../shared/backup/model';
import { defineRoute } from './http/route';
import { nameText } from '../shared/api/text';

const tag = 'Backups';
const collection = '/workspaces/{workspaceId}/tenants/{tenantId}/backups';
const backupParams = tenantParams.extend({ backupId: idSchema });
const manage = { kind: 'workspace', capability: 'schedules.manage', scope: 'tenant' } as const;

defineRoute(
  {
    name: 'listBackups',
    method: 'GET',
    path: collection,
    summary: 'Backup sets of a managed tenant, newest first, with per-type counts (items via the set)',
    tag,
    access: { kind: 'workspace', capability: 'workspace.view', scope: 'tenant' },
    params: tenantParams,
    query: pageQuery.extend({ scheduleId: idSchema.optional() }),
    responses: { 200: { description: 'Backup sets', schema: listOf(backupSetView) } },
  },
  async ({ query, tenant }) => {
    return { status: 200, body: await getServices().backups.list(tenant, query) };
  },
);

defineRoute(
  {
    name: 'getBackup',
    method: 'GET',
    path: `${collection}/{backupId}`,
    summary: 'A backup set with its items (the policy versions it pins), paged by `itemsContinuationToken`',
    tag,
    access: { kind: 'workspace', capability: 'workspace.view', scope: 'tenant' },
    params: backupParams,
    query: z.object({ itemsContinuationToken: z.string().min(1).max(4096).optional() }),
    responses: {
      200: {
        description: 'The backup set',
        schema: backupSetView.extend({
          items: z.array(backupItemSchema),
          itemsContinuationToken: z.string().optional(),
        }),
      },
    },
  },
  async ({ params, query, tenant }) => {
    return {
      status: 200,
      body: await getServices().backups.get(tenant, params.backupId, query.itemsContinuationToken),
    };
  },
);

defineRoute(
  {
    name: 'updateBackup',
    method: 'PATCH',
    path: `${collection}/{backupId}`,
    summary: 'Rename a backup set, or pin it (pinned sets are never pruned by retention)',
    tag,
    access: manage,
    params: backupParams,
    body: z
      .object({ name: nameText(200).optional(), pinned: z.boolean().optional() })
      .strict()
      .refine((b) => b.name !== undefined || b.pinned !== undefined, 'nothing to change'),
    exampleBody: { pinned: true },
    responses: { 200: { description: 'The backup set', schema: backupSetView } },
  },
  async ({ principal, params, body, tenant }) => {
    return {
      status: 200,
      body: await getServices().backups.update(principal, tenant, params.backupId, body),
    };
  },
);

defineRoute(
  {
    name: 'deleteBackup',
    method: 'DELETE',
    path: `${collection}/{backupId}`,
    summary: 'Delete a backup set (audited); pinned sets and sets in progress are refused',
    tag,
    access: manage,
    params: backupParams,
    responses: {
      204: { description: 'Deleted' },
      409: { description: 'Pinned, or still being made', problems: ['backup_pinned', 'backup_in_progress'] },
    },
  },
  async ({ principal, params, tenant }) => {
    await getServices().backups.delete(principal, tenant, params.backupId);
    return { status: 204 };
  },
);
