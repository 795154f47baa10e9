import { z } from 'zod';
import { listOf, tenantParams, tenantView, workspaceParams } from '../shared/api/schemas';
import { getServices } from '../shared/app/services';
import { defineRoute } from './http/route';
import { nameText } from '../shared/api/text';

const tag = 'Managed tenants';
const view = <T extends { kind?: unknown }>({ kind: _kind, ...tenant }: T) => tenant;

defineRoute(
  {
    name: 'listTenants',
    method: 'GET',
    path: '/workspaces/{workspaceId}/tenants',
    summary: 'Managed tenants of a workspace',
    tag,
    access: { kind: 'workspace', capability: 'workspace.view' },
    params: workspaceParams,
    query: z.object({ includeArchived: z.enum(['true', 'false']).default('false') }),
    responses: { 200: { description: 'Managed tenants', schema: listOf(tenantView) } },
  },
  async ({ params, query }) => ({
    status: 200,
    body: {
      items: (
        await getServices().workspaces.listTenants(params.workspaceId, query.includeArchived === 'true')
      ).map(view),
    },
  }),
);

defineRoute(
  {
    name: 'addTenant',
    method: 'POST',
    path: '/workspaces/{workspaceId}/tenants',
    summary: 'Add a managed tenant to a workspace',
    tag,
    access: { kind: 'workspace', capability: 'tenants.manage' },
    params: workspaceParams,
    body: z.object({
      name: z
        .string()
        .trim()
        .min(1)
        .max(64)
        .regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
      displayName: nameText(200).optional(),
      entraTenantId: z.guid().optional(),
      domain: z
        .string()
        .trim()
        .min(3)
        .max(253)
        .regex(/^[A-Za-z0-9.-]+$/, 'must be a domain name')
        .optional(),
    }),
    exampleBody: { name: 'matrix-tenant', displayName: 'Matrix tenant' },
    responses: {
      201: { description: 'Created', schema: tenantView },
      409: { description: 'Already managed in this workspace', problems: ['tenant_exists'] },
    },
  },
  async ({ principal, params, body }) => {
    const tenant = await getServices().workspaces.addTenant(principal, params.workspaceId, body);
    return {
      status: 201,
      body: view(tenant),
      headers: { location: `/api/workspaces/${params.workspaceId}/tenants/${tenant.id}` },
    };
  },
);

defineRoute(
  {
    name: 'getTenant',
    method: 'GET',
    path: '/workspaces/{workspaceId}/tenants/{tenantId}',
    summary: 'One managed tenant',
    tag,
    access: { kind: 'workspace', capability: 'workspace.view', scope: 'tenant' },
    params: tenantParams,
    responses: { 200: { description: 'The managed tenant', schema: tenantView } },
  },
  async ({ tenant }) => ({
    status: 200,
    body: view(tenant),
  }),
);

defineRoute(
  {
    name: 'updateTenant',
    method: 'PATCH',
    path: '/workspaces/{workspaceId}/tenants/{tenantId}',
    summary: 'Rename or archive a managed tenant',
    tag,
    access: { kind: 'workspace', capability: 'tenants.manage', scope: 'tenant' },
    params: tenantParams,
    body: z
      .object({
        displayName: nameText(200).optional(),
        status: z.enum(['active', 'archived']).optional(),
      })
      .refine((b) => b.displayName !== undefined || b.status !== undefined, 'nothing to change'),
    exampleBody: { displayName: 'Renamed by the matrix' },
    responses: { 200: { description: 'The managed tenant', schema: tenantView } },
  },
  async ({ principal, params, body }) => {
    const updated = await getServices().workspaces.updateTenant(
      principal,
      params.workspaceId,
      params.tenantId,
      body,
    );
    return { status: 200, body: view(updated) };
  },
);
