import { z } from 'zod';
import { idSchema, workspaceParams } from '../shared/api/schemas';
import { getServices } from '../shared/app/services';
import { defineRoute } from './http/route';

const tag = 'Live';

// SignalR clients call `{baseUrl}/negotiate` (POST, empty body) with the API token as Bearer. The user
// id of the SignalR token is the verified token's oid; nothing the client sends can change it.
defineRoute(
  {
    name: 'negotiate',
    method: 'POST',
    path: '/negotiate',
    summary:
      'SignalR connection info for the caller (the negotiate redirect: hub URL and a user-bound token)',
    tag,
    access: { kind: 'authenticated' },
    responses: {
      200: {
        description: 'Where to connect and the access token',
        schema: z.object({ url: z.string(), accessToken: z.string() }),
      },
      503: { description: 'SignalR Service did not answer', problems: ['live_unavailable'] },
    },
  },
  async ({ principal }) => ({ status: 200, body: await getServices().live.negotiate(principal) }),
);

const subscriptionSchema = z.object({
  groups: z.array(z.object({ tenantId: z.string(), group: z.string() })),
  expiresAt: z.string().describe('Subscribe again before this (and after every reconnect).'),
});

defineRoute(
  {
    name: 'subscribeLive',
    method: 'POST',
    path: '/workspaces/{workspaceId}/live/subscribe',
    summary:
      "Receive the progress of every run on the workspace's tenants (or the named ones) as `tenantRunUpdated`",
    tag,
    access: { kind: 'workspace', capability: 'workspace.view' },
    params: workspaceParams,
    body: z
      .object({ tenantIds: z.array(idSchema).min(1).max(500).optional() })
      .strict()
      .optional(),
    exampleBody: {},
    responses: {
      200: { description: 'The groups joined, until `expiresAt`', schema: subscriptionSchema },
      503: { description: 'SignalR Service did not answer', problems: ['live_unavailable'] },
    },
  },
  async ({ principal, params, body }) => ({
    status: 200,
    body: await getServices().live.subscribe(principal, params.workspaceId, body?.tenantIds),
  }),
);
