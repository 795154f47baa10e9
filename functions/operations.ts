import * as df from 'durable-functions';
import {
  listOperationsQuery,
  runParams,
  runViewSchema,
  startOperationBody,
  startOperationResponse,
} from '../shared/api/operation-schemas';
import { listOf, tenantParams } from '../shared/api/schemas';
import { getServices } from '../shared/app/services';
import { describedRun } from '../shared/operations/run-types';
import { requireTenant } from '../shared/workspaces/require-tenant';
import { durableDispatcher } from './http/durable-dispatcher';
import { defineRoute } from './http/route';
import { startOperation } from './http/start-operation';

const tag = 'Operations';
const durableClient = { extraInputs: [df.input.durableClient()] };

defineRoute(
  {
    name: 'startOperation',
    method: 'POST',
    path: '/workspaces/{workspaceId}/tenants/{tenantId}/operations',
    summary: 'Start an operation: 202 started, 200 the same one already running, 409 the tenant is busy',
    tag,
    access: { kind: 'workspace', capability: 'operations.start' },
    params: tenantParams,
    body: startOperationBody,
    exampleBody: { type: 'provider.health_check' },
    responses: {
      202: { description: 'Started', schema: startOperationResponse },
      200: {
        description: 'The same operation is already active (deduplicated)',
        schema: startOperationResponse,
      },
      409: { description: 'Another operation is active on the tenant', problems: ['scope_busy'] },
      503: { description: 'Recorded as failed; try again', problems: ['dispatch_failed'] },
    },
  },
  async ({ principal, membership, params, body, invocation }) => {
    const tenant = await requireTenant(params.workspaceId, params.tenantId);
    return startOperation({ principal, membership, invocation }, tenant, body);
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
    responses: { 200: { description: 'Runs', schema: listOf(runViewSchema) } },
  },
  async ({ query }) => {
    const page = await getServices().operations.list(query);
    return { status: 200, body: { ...page, items: page.items.map(describedRun) } };
  },
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
    responses: { 200: { description: 'The run', schema: runViewSchema } },
  },
  async ({ run }) => ({ status: 200, body: describedRun(run!) }),
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
      200: { description: 'The cancelled run', schema: runViewSchema },
      409: { description: 'The run has already ended', problems: ['not_active'] },
    },
  },
  async ({ principal, run, invocation }) => ({
    status: 200,
    body: describedRun(await getServices().operations.cancel(principal, run!, durableDispatcher(invocation))),
  }),
  durableClient,
);
