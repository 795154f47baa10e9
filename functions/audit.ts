import { z } from 'zod';
import { idSchema, listOf, pageQuery, workspaceParams } from '../shared/api/schemas';
import { getServices } from '../shared/app/services';
import { auditEventSchema } from '../shared/audit/audit';
import { defineRoute } from './http/route';

defineRoute(
  {
    name: 'listAuditEvents',
    method: 'GET',
    path: '/workspaces/{workspaceId}/audit',
    summary: 'Audit events of a workspace, newest first',
    tag: 'Audit',
    access: { kind: 'workspace', capability: 'workspace.view' },
    params: workspaceParams,
    query: pageQuery.extend({
      tenantId: idSchema.optional(),
      action: z.string().max(100).optional(),
      actorId: idSchema.optional(),
      outcome: z.enum(['success', 'denied', 'failure']).optional(),
      from: z.iso.datetime().optional(),
      to: z.iso.datetime().optional(),
    }),
    responses: { 200: { description: 'Audit events', schema: listOf(auditEventSchema) } },
  },
  async ({ params, query }) => ({
    status: 200,
    body: await getServices().audit.list({ workspaceId: params.workspaceId, ...query }),
  }),
);
