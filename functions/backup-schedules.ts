import type { RouteResponseSpec } from '../shared/api/route-spec';
import * as df from 'durable-functions';
import { startOperationResponse } from '../shared/api/operation-schemas';
import { idSchema, listOf, tenantParams } from '../shared/api/schemas';
import { backupScheduleRetry, backupScheduleRunNow } from '../shared/backup/run-types';
import { getBackupServices } from '../shared/backup/services';
import { clickBody, createScheduleBody, scheduleView, updateScheduleBody } from '../shared/schedules/model';
import { requireTenant } from '../shared/workspaces/require-tenant';
import { startOperation } from './http/start-operation';
import { defineRoute } from './http/route';

const tag = 'Backup schedules';
const manage = { kind: 'workspace', capability: 'schedules.manage' } as const;
const view = { kind: 'workspace', capability: 'workspace.view' } as const;
const collection = '/workspaces/{workspaceId}/tenants/{tenantId}/backup-schedules';
const scheduleParams = tenantParams.extend({ scheduleId: idSchema });
const durableClient = { extraInputs: [df.input.durableClient()] };

defineRoute(
  {
    name: 'listBackupSchedules',
    method: 'GET',
    path: collection,
    summary: 'Backup schedules of a managed tenant, each with its next fire time and latest run',
    tag,
    access: view,
    params: tenantParams,
    responses: { 200: { description: 'Schedules', schema: listOf(scheduleView) } },
  },
  async ({ params }) => {
    const tenant = await requireTenant(params.workspaceId, params.tenantId);
    return { status: 200, body: { items: await getBackupServices().schedules.list(tenant) } };
  },
);

defineRoute(
  {
    name: 'createBackupSchedule',
    method: 'POST',
    path: collection,
    summary: 'Create a backup schedule (daily or weekly at a time of day in an IANA zone, with retention)',
    tag,
    access: manage,
    params: tenantParams,
    body: createScheduleBody,
    exampleBody: {
      name: 'Nightly',
      cadence: { frequency: 'daily', timeOfDay: '02:30', timeZone: 'Europe/Berlin' },
      retention: { keepLast: 7 },
      enabled: false,
    },
    responses: { 201: { description: 'Created', schema: scheduleView } },
  },
  async ({ principal, params, body }) => {
    const tenant = await requireTenant(params.workspaceId, params.tenantId);
    const schedule = await getBackupServices().schedules.create(principal, tenant, body);
    return { status: 201, body: schedule, headers: { location: `/api${collection}/${schedule.id}` } };
  },
);

defineRoute(
  {
    name: 'getBackupSchedule',
    method: 'GET',
    path: `${collection}/{scheduleId}`,
    summary: 'One backup schedule',
    tag,
    access: view,
    params: scheduleParams,
    responses: { 200: { description: 'The schedule', schema: scheduleView } },
  },
  async ({ params }) => {
    const tenant = await requireTenant(params.workspaceId, params.tenantId);
    return { status: 200, body: await getBackupServices().schedules.get(tenant, params.scheduleId) };
  },
);

defineRoute(
  {
    name: 'updateBackupSchedule',
    method: 'PATCH',
    path: `${collection}/{scheduleId}`,
    summary: 'Change a schedule; the saver becomes its owner (scheduled runs notify the owner)',
    tag,
    access: manage,
    params: scheduleParams,
    body: updateScheduleBody,
    exampleBody: { enabled: false },
    responses: { 200: { description: 'The schedule', schema: scheduleView } },
  },
  async ({ principal, params, body }) => {
    const tenant = await requireTenant(params.workspaceId, params.tenantId);
    return {
      status: 200,
      body: await getBackupServices().schedules.update(principal, tenant, params.scheduleId, body),
    };
  },
);

defineRoute(
  {
    name: 'deleteBackupSchedule',
    method: 'DELETE',
    path: `${collection}/{scheduleId}`,
    summary: 'Delete a schedule (its backup sets are kept)',
    tag,
    access: manage,
    params: scheduleParams,
    responses: { 204: { description: 'Deleted' } },
  },
  async ({ principal, params }) => {
    const tenant = await requireTenant(params.workspaceId, params.tenantId);
    await getBackupServices().schedules.delete(principal, tenant, params.scheduleId);
    return { status: 204 };
  },
);

const startResponses = {
  202: { description: 'Started', schema: startOperationResponse },
  200: {
    description: 'The same click token was already used (deduplicated)',
    schema: startOperationResponse,
  },
  409: { description: 'Another operation is active on the tenant', problems: ['scope_busy'] },
  503: { description: 'Recorded as failed; try again', problems: ['dispatch_failed'] },
} satisfies Record<number, RouteResponseSpec>;

defineRoute(
  {
    name: 'runBackupScheduleNow',
    method: 'POST',
    path: `${collection}/{scheduleId}/run-now`,
    summary: "Back up now with the schedule's selection and retention; one run per `clickToken`",
    tag,
    access: { kind: 'workspace', capability: 'operations.start' },
    params: scheduleParams,
    body: clickBody,
    exampleBody: {},
    responses: startResponses,
  },
  async ({ principal, membership, params, body, invocation }) => {
    const tenant = await requireTenant(params.workspaceId, params.tenantId);
    await getBackupServices().schedules.require(tenant, params.scheduleId);
    return startOperation({ principal, membership, invocation }, tenant, {
      type: backupScheduleRunNow.type,
      scheduleId: params.scheduleId,
      ...(body?.clickToken && { clickToken: body.clickToken }),
    });
  },
  durableClient,
);

defineRoute(
  {
    name: 'retryBackupSchedule',
    method: 'POST',
    path: `${collection}/{scheduleId}/retry`,
    summary: "Retry the schedule's latest run when it did not succeed; one run per `clickToken`",
    tag,
    access: { kind: 'workspace', capability: 'operations.start' },
    params: scheduleParams,
    body: clickBody,
    exampleBody: {},
    responses: {
      ...startResponses,
      409: {
        description: 'Nothing to retry, or the tenant is busy',
        problems: ['nothing_to_retry', 'scope_busy'],
      },
    },
  },
  async ({ principal, membership, params, body, invocation }) => {
    const tenant = await requireTenant(params.workspaceId, params.tenantId);
    const retryOf = await getBackupServices().schedules.retryTarget(tenant, params.scheduleId);
    return startOperation({ principal, membership, invocation }, tenant, {
      type: backupScheduleRetry.type,
      scheduleId: params.scheduleId,
      retryOf,
      ...(body?.clickToken && { clickToken: body.clickToken }),
    });
  },
  durableClient,
);
