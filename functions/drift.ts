import { app, type InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { idSchema, listOf, longIdSchema, pageQuery, workspaceParams } from '../shared/api/schemas';
import { getServices } from '../shared/app/services';
import { driftListQuery, driftSummaryQuery } from '../shared/drift/findings';
import {
  acceptBody,
  assignTenantBody,
  baselineListView,
  baselineView,
  createBaselineBody,
  findingView,
  summaryRowView,
  updateBaselineBody,
} from '../shared/drift/model';
import { CONTAINERS } from '../shared/store/containers';
import { defineRoute } from './http/route';

const tag = 'Baselines and drift';
const view = { kind: 'workspace', capability: 'workspace.view' } as const;
const manage = { kind: 'workspace', capability: 'baselines.manage' } as const;
const collection = '/workspaces/{workspaceId}/baselines';
const baselineParams = workspaceParams.extend({ baselineId: idSchema });
const assignmentParams = baselineParams.extend({ tenantId: idSchema });
const findingParams = workspaceParams.extend({ findingId: longIdSchema });

defineRoute(
  {
    name: 'listBaselines',
    method: 'GET',
    path: collection,
    summary: 'Baselines of the workspace, newest first (without their objects)',
    tag,
    access: view,
    params: workspaceParams,
    query: pageQuery,
    responses: { 200: { description: 'Baselines', schema: listOf(baselineListView) } },
  },
  async ({ params, query }) => ({
    status: 200,
    body: await getServices().drift.baselines.list(params.workspaceId, query),
  }),
);

defineRoute(
  {
    name: 'createBaseline',
    method: 'POST',
    path: collection,
    summary:
      "Create a baseline from a golden tenant's backup set or chosen inventory items, optionally narrowed to types or items",
    tag,
    access: manage,
    params: workspaceParams,
    body: createBaselineBody,
    exampleBody: {
      name: 'Windows standard',
      source: { tenantId: 'golden-tenant', itemIds: ['deviceConfigurations:golden-object'] },
      reportExtras: false,
    },
    responses: {
      201: { description: 'Created; tenants assigned later are evaluated at once', schema: baselineView },
      400: {
        description: 'Nothing usable in the source',
        problems: ['validation_failed', 'baseline_source_invalid'],
      },
      404: { description: 'The source tenant or backup set does not exist', problems: ['not_found'] },
    },
  },
  async ({ principal, params, body }) => {
    const baseline = await getServices().drift.baselines.create(principal, params.workspaceId, body);
    return { status: 201, body: baseline, headers: { location: `/api${collection}/${baseline.id}` } };
  },
);

defineRoute(
  {
    name: 'getBaseline',
    method: 'GET',
    path: `${collection}/{baselineId}`,
    summary: 'One baseline with its objects and tenants (and their pairings)',
    tag,
    access: view,
    params: baselineParams,
    responses: {
      200: { description: 'The baseline', schema: baselineView },
      404: { description: 'No such baseline', problems: ['not_found'] },
    },
  },
  async ({ params }) => ({
    status: 200,
    body: await getServices().drift.baselines.get(params.workspaceId, params.baselineId),
  }),
);

defineRoute(
  {
    name: 'updateBaseline',
    method: 'PATCH',
    path: `${collection}/{baselineId}`,
    summary:
      'Rename, describe, switch reportExtras, or rebuild the objects from a source; every assigned tenant is evaluated again',
    tag,
    access: manage,
    params: baselineParams,
    body: updateBaselineBody,
    exampleBody: { reportExtras: true },
    responses: {
      200: { description: 'The baseline', schema: baselineView },
      400: { description: 'Invalid change', problems: ['validation_failed', 'baseline_source_invalid'] },
      404: { description: 'No such baseline', problems: ['not_found'] },
    },
  },
  async ({ principal, params, body }) => ({
    status: 200,
    body: await getServices().drift.baselines.update(principal, params.workspaceId, params.baselineId, body),
  }),
);

defineRoute(
  {
    name: 'deleteBaseline',
    method: 'DELETE',
    path: `${collection}/{baselineId}`,
    summary: 'Delete a baseline; its findings go with it',
    tag,
    access: manage,
    params: baselineParams,
    responses: {
      204: { description: 'Deleted' },
      404: { description: 'No such baseline', problems: ['not_found'] },
    },
  },
  async ({ principal, params }) => {
    await getServices().drift.baselines.delete(principal, params.workspaceId, params.baselineId);
    return { status: 204 };
  },
);

defineRoute(
  {
    name: 'assignBaselineTenant',
    method: 'PUT',
    path: `${collection}/{baselineId}/tenants/{tenantId}`,
    summary:
      'Apply the baseline to a tenant of the workspace, with pairings (baseline object key → the tenant object id) where names differ',
    tag,
    access: { ...manage, scope: 'tenant' },
    params: assignmentParams,
    body: assignTenantBody,
    exampleBody: { pairings: {} },
    responses: {
      200: { description: 'The baseline; the tenant is evaluated at once', schema: baselineView },
      400: { description: 'Invalid pairings', problems: ['validation_failed', 'baseline_pairing_invalid'] },
      404: { description: 'No such baseline or tenant', problems: ['not_found'] },
    },
  },
  async ({ principal, params, body }) => ({
    status: 200,
    body: await getServices().drift.baselines.assignTenant(
      principal,
      params.workspaceId,
      params.baselineId,
      params.tenantId,
      body,
    ),
  }),
);

defineRoute(
  {
    name: 'unassignBaselineTenant',
    method: 'DELETE',
    path: `${collection}/{baselineId}/tenants/{tenantId}`,
    summary: "Stop applying the baseline to a tenant; the tenant's findings of it go",
    tag,
    access: { ...manage, scope: 'tenant' },
    params: assignmentParams,
    responses: {
      204: { description: 'Unassigned' },
      404: { description: 'No such baseline, tenant or assignment', problems: ['not_found'] },
    },
  },
  async ({ principal, params }) => {
    await getServices().drift.baselines.unassignTenant(
      principal,
      params.workspaceId,
      params.baselineId,
      params.tenantId,
    );
    return { status: 204 };
  },
);

defineRoute(
  {
    name: 'listDrift',
    method: 'GET',
    path: '/workspaces/{workspaceId}/drift',
    summary:
      'Drift findings of the workspace (from the database only): open by default; filter by baseline, tenant and state',
    tag,
    access: view,
    params: workspaceParams,
    query: driftListQuery,
    responses: { 200: { description: 'Findings', schema: listOf(findingView) } },
  },
  async ({ params, query }) => ({
    status: 200,
    body: await getServices().drift.findings.list(params.workspaceId, query),
  }),
);

defineRoute(
  {
    name: 'getDriftSummary',
    method: 'GET',
    path: '/workspaces/{workspaceId}/drift/summary',
    summary:
      'Tenants × baselines: matching, drifted, missing, extra and accepted counts and the oldest open finding (one document per pair)',
    tag,
    access: view,
    params: workspaceParams,
    query: driftSummaryQuery,
    responses: {
      200: {
        description: 'One row per (baseline, tenant) and the totals',
        schema: z.object({
          items: z.array(summaryRowView),
          totals: z.object({
            drifted: z.number().int(),
            missing: z.number().int(),
            extra: z.number().int(),
            accepted: z.number().int(),
            tenantsWithDrift: z.number().int(),
          }),
        }),
      },
    },
  },
  async ({ params, query }) => ({
    status: 200,
    body: await getServices().drift.findings.summary(params.workspaceId, query),
  }),
);

defineRoute(
  {
    name: 'acceptDriftFinding',
    method: 'POST',
    path: '/workspaces/{workspaceId}/drift/{findingId}/accept',
    summary:
      "Accept a finding's current actual value (audited): hidden while the tenant keeps that value, back when it changes or the acceptance expires",
    tag,
    access: manage,
    params: findingParams,
    body: acceptBody,
    exampleBody: { reason: 'Customer-specific exception approved by the service owner' },
    responses: {
      200: { description: 'The finding, accepted', schema: findingView },
      400: { description: 'Invalid body (expiresAt in the past)', problems: ['validation_failed'] },
      404: { description: 'No such finding', problems: ['not_found'] },
      409: { description: 'The finding is not drift', problems: ['finding_not_open', 'concurrent_update'] },
    },
  },
  async ({ principal, params, body }) => ({
    status: 200,
    body: await getServices().drift.findings.accept(principal, params.workspaceId, params.findingId, body),
  }),
);

const feed = {
  connection: 'CosmosDBConnection',
  databaseName: '%COSMOS_DATABASE%',
  leaseContainerName: CONTAINERS.leases.id,
  createLeaseContainerIfNotExists: false,
  feedPollDelay: 1000,
  retry: { strategy: 'exponentialBackoff', maxRetryCount: 5, minimumInterval: 1000, maximumInterval: 30_000 },
} as const;

const logEvaluations = (
  context: InvocationContext,
  evaluations: Array<{ opened: string[]; resolved: string[] }>,
) => {
  const opened = evaluations.reduce((n, e) => n + e.opened.length, 0);
  const resolved = evaluations.reduce((n, e) => n + e.resolved.length, 0);
  if (evaluations.length > 0)
    context.log(`drift: ${evaluations.length} evaluations, ${opened} opened, ${resolved} resolved`);
};

/**
 * A tenant object stored by a sync or a watch (an item of the inventory container's change feed)
 * re-evaluates the findings it touches in every baseline its tenant is assigned to (docs/drift.md).
 */
app.cosmosDB('driftOnInventoryChange', {
  ...feed,
  containerName: CONTAINERS.inventory.id,
  leaseContainerPrefix: 'driftOnInventoryChange-',
  handler: async (documents: unknown[], context: InvocationContext) => {
    logEvaluations(context, await getServices().drift.onInventoryDocuments(documents));
  },
});

/**
 * A baseline created, changed, (un)assigned or deleted: the tenants it applies to are evaluated again
 * (and the tenants a split evaluation or a golden tenant's group rename left, from their markers).
 */
app.cosmosDB('driftOnBaselineChange', {
  ...feed,
  containerName: CONTAINERS.drift.id,
  leaseContainerPrefix: 'driftOnBaselineChange-',
  handler: async (documents: unknown[], context: InvocationContext) => {
    logEvaluations(context, await getServices().drift.onDriftDocuments(documents));
  },
});

/**
 * A group the directory cache renamed, removed or brought back (an item of the directory container's
 * change feed): the objects that name it, in the tenants checked against a baseline and in golden
 * tenants, are evaluated again (docs/drift.md, decision 0078).
 */
app.cosmosDB('driftOnDirectoryChange', {
  ...feed,
  containerName: CONTAINERS.directory.id,
  leaseContainerPrefix: 'driftOnDirectoryChange-',
  handler: async (documents: unknown[], context: InvocationContext) => {
    logEvaluations(context, await getServices().drift.onDirectoryDocuments(documents));
  },
});
