import * as df from 'durable-functions';
import {
  listOperationsQuery,
  runParams,
  runViewSchema,
  startOperationBody,
} from '../shared/api/operation-schemas';
import { listOf, tenantParams } from '../shared/api/schemas';
import { getServices } from '../shared/app/services';
import { NotFoundError } from '../shared/errors';
import { planQuery, planView, planViewOf } from '../shared/restore/views';
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
    // The tenant is read by the gate, only when it starts a run (see TenantOfPath).
    access: { kind: 'workspace', capability: 'operations.start', scope: 'path' },
    params: tenantParams,
    body: startOperationBody,
    exampleBody: { type: 'provider.health_check' },
    responses: startResponses('The same operation is already active (deduplicated)'),
  },
  async ({ principal, membership, body, invocation, params }) => {
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
    responses: { 200: { description: 'Runs', schema: listOf(runViewSchema) } },
  },
  async ({ query }) => {
    const page = await getServices().operations.list(query);
    return { status: 200, body: { ...page, items: page.items.map(getServices().catalog.described) } };
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
  async ({ run }) => ({ status: 200, body: getServices().catalog.described(run!) }),
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
    body: getServices().catalog.described(
      await getServices().operations.cancel(principal, run!, durableDispatcher(invocation)),
    ),
  }),
  durableClient,
);

defineRoute(
  {
    name: 'getRestorePlan',
    method: 'GET',
    path: '/operations/{runId}/plan',
    summary:
      "A restore preview's plan: counts, expiry, and its items a page at a time (decision, diff, reference mapping, and the execute's outcome)",
    tag,
    access: { kind: 'workspace', capability: 'workspace.view', scope: 'run' },
    params: runParams,
    query: planQuery,
    responses: {
      200: { description: 'The plan', schema: planView },
      404: { description: 'The run is not a restore preview with a plan', problems: ['not_found'] },
    },
  },
  async ({ run, query }) => {
    const { restore } = getServices();
    const plan = await restore.plan(run!.tenantId, run!.id);
    if (!plan) throw new NotFoundError('The restore plan');
    const page = await restore.planPage(run!.tenantId, run!.id, query);
    return { status: 200, body: planViewOf(plan, page) };
  },
);
