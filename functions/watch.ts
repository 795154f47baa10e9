import { app, output, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { listOf, tenantParams, workspaceParams } from '../shared/api/schemas';
import { getServices } from '../shared/app/services';
import {
  OPERATION_EVENTS_TOPIC,
  SERVICE_BUS_CONNECTION,
  SIGNALR_CONNECTION,
  SIGNALR_HUB_BINDING,
} from '../shared/live/names';
import { CONTAINERS } from '../shared/store/containers';
import { NotFoundError } from '../shared/errors';
import { runWatchTick } from '../shared/watch';
import { changeFeedQuery, changeView } from '../shared/watch/change-feed';
import { watchStateSchema } from '../shared/watch/model';
import { durableDispatcher } from '../orchestrations/runs/durable-dispatcher';
import { defineRoute } from './http/route';

/**
 * Starts the change watch of every tenant whose interval has come (docs/watch.md), every minute: one
 * `inventory.watch` run per tenant and slot however often this fires or on how many hosts.
 */
app.timer('watchScheduler', {
  schedule: '20 * * * * *',
  extraInputs: [df.input.durableClient()],
  handler: async (timer, context) => {
    const summary = await runWatchTick(
      getServices().watchTick(durableDispatcher(context), (message) => context.log(message)),
    );
    const line = `watchScheduler tick ${JSON.stringify({ isPastDue: timer.isPastDue, ...summary })}`;
    if (timer.isPastDue || summary.errors > 0) context.warn(line);
    else if (summary.due > 0) context.log(line);
  },
});

const tag = 'Change watch';

defineRoute(
  {
    name: 'listChanges',
    method: 'GET',
    path: '/workspaces/{workspaceId}/changes',
    summary:
      'The change feed of a tenant: each change the watch saw, who made it, and links to the item, its versions and their diff (from the database only)',
    tag,
    access: { kind: 'workspace', capability: 'workspace.view' },
    params: workspaceParams,
    query: changeFeedQuery,
    responses: { 200: { description: 'Changes, newest first', schema: listOf(changeView) } },
  },
  async ({ params, query }) => {
    const { workspaces, watch } = getServices();
    if (!(await workspaces.getTenant(params.workspaceId, query.tenantId)))
      throw new NotFoundError('The tenant');
    return { status: 200, body: await watch.changes.list(query) };
  },
);

const watchView = watchStateSchema.omit({ id: true, docType: true });
const watchBody = z
  .object({ enabled: z.boolean().optional(), intervalMinutes: z.number().int().min(1).max(1440).optional() })
  .strict();

defineRoute(
  {
    name: 'getTenantWatch',
    method: 'GET',
    path: '/workspaces/{workspaceId}/tenants/{tenantId}/watch',
    summary: "The tenant's change watch: on or off, its interval and watermark (starts after the first sync)",
    tag,
    access: { kind: 'workspace', capability: 'workspace.view', scope: 'tenant' },
    params: tenantParams,
    responses: { 200: { description: 'The watch', schema: watchView } },
  },
  async ({ tenant }) => {
    const state = await getServices().watch.state(tenant.id);
    if (!state) throw new NotFoundError('The tenant watch');
    const { id: _i, docType: _d, ...view } = state;
    return { status: 200, body: view };
  },
);

defineRoute(
  {
    name: 'updateTenantWatch',
    method: 'PATCH',
    path: '/workspaces/{workspaceId}/tenants/{tenantId}/watch',
    summary: "Turn the tenant's change watch on or off, or change its interval in minutes",
    tag,
    access: { kind: 'workspace', capability: 'schedules.manage', scope: 'tenant' },
    params: tenantParams,
    body: watchBody,
    exampleBody: { intervalMinutes: 10 },
    responses: { 200: { description: 'The watch', schema: watchView } },
  },
  async ({ tenant, body }) => {
    const { id: _i, docType: _d, ...view } = await getServices().watch.configure(tenant.id, body);
    return { status: 200, body: view };
  },
);

const changePushes = output.generic({
  type: 'signalR',
  hubName: SIGNALR_HUB_BINDING,
  connectionStringSetting: SIGNALR_CONNECTION,
});

/** Only without a Service Bus connection (the local cloud's topic), as for run events. */
const localChangeEvents = output.serviceBusTopic({
  topicName: OPERATION_EVENTS_TOPIC,
  connection: SERVICE_BUS_CONNECTION,
});

/**
 * New change records of the inventory container → a push to the tenant's SignalR group
 * (`inventoryChanged`) and an `inventory.changed` event each (docs/watch.md). Other documents of the
 * container (items, sync state) are skipped.
 */
app.cosmosDB('inventoryChanges', {
  connection: 'CosmosDBConnection',
  databaseName: '%COSMOS_DATABASE%',
  containerName: CONTAINERS.inventory.id,
  leaseContainerName: CONTAINERS.leases.id,
  leaseContainerPrefix: 'inventoryChanges-',
  createLeaseContainerIfNotExists: false,
  feedPollDelay: 1000,
  extraOutputs: [changePushes, localChangeEvents],
  retry: { strategy: 'exponentialBackoff', maxRetryCount: 5, minimumInterval: 1000, maximumInterval: 30_000 },
  handler: async (documents: unknown[], context: InvocationContext) => {
    const result = await getServices().changeFanOut(documents);
    if (result.pushes.length > 0) context.extraOutputs.set(changePushes, result.pushes);
    if (result.unpublished.length > 0)
      context.extraOutputs.set(
        localChangeEvents,
        result.unpublished.map((event) => event.body),
      );
  },
});
