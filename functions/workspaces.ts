import { z } from 'zod';
import { listOf, memberParams, memberView, workspaceParams, workspaceView } from '../shared/api/schemas';
import { getServices } from '../shared/app/services';
import { roleSchema } from '../shared/authz/capabilities';
import { NotFoundError } from '../shared/errors';
import type { Membership } from '../shared/workspaces/models';
import { defineRoute } from './http/route';
import { nameText } from '../shared/api/text';

const tag = 'Workspaces';
const memberOut = ({ id: _id, ...member }: Membership) => member;

defineRoute(
  {
    name: 'listWorkspaces',
    method: 'GET',
    path: '/workspaces',
    summary: "The caller's workspaces, with the caller's role in each",
    tag,
    access: { kind: 'authenticated' },
    responses: { 200: { description: 'Workspaces', schema: listOf(workspaceView) } },
  },
  async ({ principal }) => ({
    status: 200,
    body: { items: await getServices().workspaces.listForUser(principal.userId) },
  }),
);

defineRoute(
  {
    name: 'createWorkspace',
    method: 'POST',
    path: '/workspaces',
    summary: 'Create a workspace; the caller becomes its owner',
    tag,
    access: { kind: 'authenticated' },
    body: z.object({ name: nameText(100) }),
    exampleBody: { name: 'Matrix workspace' },
    responses: { 201: { description: 'Created', schema: workspaceView } },
  },
  async ({ principal, body }) => {
    const workspace = await getServices().workspaces.create(principal, body.name);
    return {
      status: 201,
      body: { ...workspace, role: 'owner' },
      headers: { location: `/api/workspaces/${workspace.id}` },
    };
  },
);

defineRoute(
  {
    name: 'getWorkspace',
    method: 'GET',
    path: '/workspaces/{workspaceId}',
    summary: 'One workspace',
    tag,
    access: { kind: 'workspace', capability: 'workspace.view' },
    params: workspaceParams,
    responses: { 200: { description: 'The workspace', schema: workspaceView } },
  },
  async ({ params, membership }) => {
    const workspace = await getServices().workspaces.get(params.workspaceId);
    if (!workspace) throw new NotFoundError('The workspace');
    return { status: 200, body: { ...workspace, role: membership!.role } };
  },
);

defineRoute(
  {
    name: 'deleteWorkspace',
    method: 'DELETE',
    path: '/workspaces/{workspaceId}',
    summary:
      'Delete a workspace (owner only; `confirm` = its name): hidden from every member at once, its data purged after WORKSPACE_PURGE_AFTER_DAYS',
    tag,
    access: { kind: 'workspace', capability: 'workspace.delete' },
    params: workspaceParams,
    query: z.object({
      confirm: z.string().min(1).max(200).describe("The workspace's name, typed to confirm the deletion."),
    }),
    responses: {
      200: {
        description: 'Deleted: when, and from when its data is purged',
        schema: z.object({ id: z.string(), deletedAt: z.string(), purgeAfter: z.string() }),
      },
    },
  },
  async ({ principal, params, query }) => ({
    status: 200,
    body: await getServices().workspaceDeletion.softDelete(principal, params.workspaceId, query.confirm),
  }),
);

defineRoute(
  {
    name: 'listMembers',
    method: 'GET',
    path: '/workspaces/{workspaceId}/members',
    summary: 'Members of a workspace and their roles',
    tag,
    access: { kind: 'workspace', capability: 'workspace.view' },
    params: workspaceParams,
    responses: { 200: { description: 'Members', schema: listOf(memberView) } },
  },
  async ({ params }) => ({
    status: 200,
    body: { items: (await getServices().workspaces.listMembers(params.workspaceId)).map(memberOut) },
  }),
);

defineRoute(
  {
    name: 'putMember',
    method: 'PUT',
    path: '/workspaces/{workspaceId}/members/{userId}',
    summary: "Add a member or change a member's role (owner only)",
    tag,
    access: { kind: 'workspace', capability: 'members.manage' },
    params: memberParams,
    body: z.object({ role: roleSchema, displayName: nameText(200).optional() }),
    exampleBody: { role: 'readonly', displayName: 'Matrix member' },
    responses: {
      200: { description: 'The membership', schema: memberView },
      409: { description: 'It would leave no owner', problems: ['last_owner'] },
    },
  },
  async ({ principal, params, body }) => {
    const { workspaces } = getServices();
    const membership = await workspaces.setMember(
      principal,
      params.workspaceId,
      params.userId,
      body.role,
      body.displayName,
    );
    return { status: 200, body: memberOut(membership) };
  },
);

defineRoute(
  {
    name: 'removeMember',
    method: 'DELETE',
    path: '/workspaces/{workspaceId}/members/{userId}',
    summary: 'Remove a member (owner only); the last owner cannot be removed',
    tag,
    access: { kind: 'workspace', capability: 'members.manage' },
    params: memberParams,
    responses: {
      204: { description: 'Removed' },
      409: { description: 'It would leave no owner', problems: ['last_owner'] },
    },
  },
  async ({ principal, params }) => {
    await getServices().live.removeMember(principal, params.workspaceId, params.userId);
    return { status: 204 };
  },
);
