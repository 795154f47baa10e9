import * as df from 'durable-functions';
import { listOperationsQuery, runParams, startOperationBody } from '../shared/api/operation-schemas';
import { listOf, tenantParams } from '../shared/api/schemas';
import { getServices } from '../shared/app/services';
import { runSchema } from '../shared/operations/model';
import { durableDispatcher } from '../orchestrations/runs/durable-dispatcher';
import { defineRoute } from './http/route';
import { startOperation, startResponses } from './http/start-operation';

const tag = 'Operations';
const durableClient = { extraInputs: [df.input.durableClient()] };

defineRoute(
  {
    name: 'startOperation',
    method: 'POST',
    path: '/workspaces/{workspaceId}/tenants/{tenantId}/operations',
    summary: 'Start an operation: 202 started, 200 the same one already running, 409 the tenant is busy',
    tag,
    access: { kind: 'workspace', capability: 'operations.start', scope: 'tenant' },
    params: tenantParams,
    body: startOperationBody,
    exampleBody: { type: 'provider.health_check' },
    responses: startResponses('The same operation is already active (deduplicated)'),
  },
  async ({ principal, membership, params, body, invocation }) => {
    return startOperation({ principal, membership, invocation }, params, body);
  },
  durableClient,
);

defineRoute(
  {
    name: 'listOperations',
    method: 'GET',
    path: '/operations',
    summary: 'Runs of a workspace, newest first (from the database only)',
    tag,
    access: { kind: 'workspace', capability: 'workspace.view', scope: 'query' },
    query: listOperationsQuery,
    responses: { 200: { description: 'Runs', schema: listOf(runSchema) } },
  },
  async ({ query }) => ({ status: 200, body: await getServices().operations.list(query) }),
);

defineRoute(
  {
    name: 'getOperation',
    method: 'GET',
    path: '/operations/{runId}',
    summary: 'One run (the canonical, tenantless link)',
    tag,
    access: { kind: 'workspace', capability: 'workspace.view', scope: 'run' },
    params: runParams,
    responses: { 200: { description: 'The run', schema: runSchema } },
  },
  async ({ run }) => ({ status: 200, body: run }),
);

defineRoute(
  {
    name: 'cancelOperation',
    method: 'POST',
    path: '/operations/{runId}/cancel',
    summary: 'Cancel an active run: its orchestration is terminated and the run ends `cancelled`',
    tag,
    access: { kind: 'workspace', capability: 'operations.start', scope: 'run' },
    params: runParams,
    responses: {
      200: { description: 'The cancelled run', schema: runSchema },
      409: { description: '`not_active`: the run has already ended' },
    },
  },
  async ({ principal, run, invocation }) => ({
    status: 200,
    body: await getServices().operations.cancel(principal, run!, durableDispatcher(invocation)),
  }),
  durableClient,
);
