import { tenantParams } from '../shared/api/schemas';
import { getServices } from '../shared/app/services';
import {
  groupDetailView,
  groupIdParam,
  groupListQuery,
  groupListView,
  roleListQuery,
  roleListView,
} from '../shared/directory/views';
import { defineRoute } from './http/route';

const tag = 'Directory';
const access = { kind: 'workspace', capability: 'workspace.view', scope: 'tenant' } as const;
const base = '/workspaces/{workspaceId}/tenants/{tenantId}/directory';

defineRoute(
  {
    name: 'listDirectoryGroups',
    method: 'GET',
    path: `${base}/groups`,
    summary:
      "The tenant's cached groups: display-name prefix or exact id, kind, paging; says when the cache was synced (database only)",
    tag,
    access,
    params: tenantParams,
    query: groupListQuery,
    responses: { 200: { description: 'Groups and the state of the cache', schema: groupListView } },
  },
  async ({ query, tenant }) => {
    return { status: 200, body: await getServices().directory.queries.groups(tenant.id, query) };
  },
);

defineRoute(
  {
    name: 'getDirectoryGroup',
    method: 'GET',
    path: `${base}/groups/{groupId}`,
    summary: 'One cached group (removed groups too, with the time the sync saw them gone)',
    tag,
    access,
    params: tenantParams.extend({ groupId: groupIdParam }),
    responses: { 200: { description: 'The group', schema: groupDetailView } },
  },
  async ({ params, tenant }) => {
    return { status: 200, body: await getServices().directory.queries.group(tenant.id, params.groupId) };
  },
);

defineRoute(
  {
    name: 'listDirectoryRoleDefinitions',
    method: 'GET',
    path: `${base}/role-definitions`,
    summary: "The tenant's cached Intune and Entra role definitions, built-in and custom (database only)",
    tag,
    access,
    params: tenantParams,
    query: roleListQuery,
    responses: { 200: { description: 'Role definitions and the state of the cache', schema: roleListView } },
  },
  async ({ query, tenant }) => {
    return { status: 200, body: await getServices().directory.queries.roleDefinitions(tenant.id, query) };
  },
);
