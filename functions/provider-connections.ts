import { z } from 'zod';
import { connectionParams, connectionViewSchema, listOf, tenantParams } from '../shared/api/schemas';
import { getServices } from '../shared/app/services';
import { credentialInputSchema } from '../shared/providers/models';
import { defineRoute } from './http/route';
import { nameText } from '../shared/api/text';

const tag = 'Provider connections';
const manage = { kind: 'workspace', capability: 'connections.manage', scope: 'tenant' } as const;
const exampleCredential = { authType: 'client_secret' as const, clientSecret: 'matrix-example-secret' };

defineRoute(
  {
    name: 'listProviderConnections',
    method: 'GET',
    path: '/workspaces/{workspaceId}/tenants/{tenantId}/provider-connections',
    summary: 'Microsoft connections of a managed tenant (credentials are never returned)',
    tag,
    access: { kind: 'workspace', capability: 'workspace.view', scope: 'tenant' },
    params: tenantParams,
    responses: { 200: { description: 'Connections', schema: listOf(connectionViewSchema) } },
  },
  async ({ tenant }) => {
    return { status: 200, body: { items: await getServices().connections.list(tenant) } };
  },
);

defineRoute(
  {
    name: 'createProviderConnection',
    method: 'POST',
    path: '/workspaces/{workspaceId}/tenants/{tenantId}/provider-connections',
    summary: 'Add a Microsoft connection; the first one becomes the default',
    tag,
    access: manage,
    params: tenantParams,
    body: z.object({
      displayName: nameText(200),
      entraTenantId: z.guid(),
      clientId: z.guid(),
      credential: credentialInputSchema,
      makeDefault: z.boolean().optional(),
    }),
    exampleBody: {
      displayName: 'Matrix connection',
      entraTenantId: '00000000-0000-0000-0000-00000000aaaa',
      clientId: '00000000-0000-0000-0000-00000000bbbb',
      credential: exampleCredential,
    },
    responses: { 201: { description: 'Created', schema: connectionViewSchema } },
  },
  async ({ principal, body, tenant }) => {
    const connection = await getServices().connections.create(principal, tenant, body);
    return { status: 201, body: connection };
  },
);

defineRoute(
  {
    name: 'updateProviderConnection',
    method: 'PATCH',
    path: '/workspaces/{workspaceId}/tenants/{tenantId}/provider-connections/{connectionId}',
    summary: 'Rename, change the client id, or disable/enable a connection',
    tag,
    access: manage,
    params: connectionParams,
    body: z
      .object({
        displayName: nameText(200).optional(),
        clientId: z.guid().optional(),
        status: z.enum(['connected', 'disabled']).optional(),
      })
      .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change'),
    exampleBody: { displayName: 'Renamed by the matrix' },
    responses: { 200: { description: 'The connection', schema: connectionViewSchema } },
  },
  async ({ principal, params, body, tenant }) => {
    return {
      status: 200,
      body: await getServices().connections.update(principal, tenant, params.connectionId, body),
    };
  },
);

defineRoute(
  {
    name: 'deleteProviderConnection',
    method: 'DELETE',
    path: '/workspaces/{workspaceId}/tenants/{tenantId}/provider-connections/{connectionId}',
    summary: 'Delete a connection and its stored credential (not the default while others exist)',
    tag,
    access: manage,
    params: connectionParams,
    responses: {
      204: { description: 'Deleted' },
      409: { description: 'The default while others exist', problems: ['default_connection_in_use'] },
    },
  },
  async ({ principal, params, tenant }) => {
    await getServices().connections.delete(principal, tenant, params.connectionId);
    return { status: 204 };
  },
);

defineRoute(
  {
    name: 'rotateProviderCredential',
    method: 'PUT',
    path: '/workspaces/{workspaceId}/tenants/{tenantId}/provider-connections/{connectionId}/credentials',
    summary: 'Replace the credential of a connection (write-only)',
    tag,
    access: manage,
    params: connectionParams,
    body: credentialInputSchema,
    exampleBody: exampleCredential,
    responses: { 200: { description: 'The connection', schema: connectionViewSchema } },
  },
  async ({ principal, params, body, tenant }) => {
    return {
      status: 200,
      body: await getServices().connections.rotateCredential(principal, tenant, params.connectionId, body),
    };
  },
);

defineRoute(
  {
    name: 'makeDefaultProviderConnection',
    method: 'POST',
    path: '/workspaces/{workspaceId}/tenants/{tenantId}/provider-connections/{connectionId}/make-default',
    summary: 'Make this connection the default of the tenant (one atomic switch)',
    tag,
    access: manage,
    params: connectionParams,
    responses: { 200: { description: 'The connection, now the default', schema: connectionViewSchema } },
  },
  async ({ principal, params, tenant }) => {
    return {
      status: 200,
      body: await getServices().connections.makeDefault(principal, tenant, params.connectionId),
    };
  },
);
