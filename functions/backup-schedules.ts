import * as df from 'durable-functions';
import { idSchema, listOf, tenantParams } from '../shared/api/schemas';
import { backupScheduleRetry, backupScheduleRunNow } from '../shared/backup/run-types';
import { getServices } from '../shared/app/services';
import { clickBody, createScheduleBody, scheduleView, updateScheduleBody } from '../shared/schedules/model';
import { startOperation, startResponses } from './http/start-operation';
import { defineRoute } from './http/route';

const tag = 'Backup schedules';
const manage = { kind: 'workspace', capability: 'schedules.manage', scope: 'tenant' } as const;
const view = { kind: 'workspace', capability: 'workspace.view', scope: 'tenant' } as const;
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
  async ({ tenant }) => {
    return { status: 200, body: { items: await getServices().schedules.list(tenant) } };
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
  async ({ principal, body, tenant }) => {
    const schedule = await getServices().schedules.create(principal, tenant, body);
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
  async ({ params, tenant }) => {
    return { status: 200, body: await getServices().schedules.get(tenant, params.scheduleId) };
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
  async ({ principal, params, body, tenant }) => {
    return {
      status: 200,
      body: await getServices().schedules.update(principal, tenant, params.scheduleId, body),
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
  async ({ principal, params, tenant }) => {
    await getServices().schedules.delete(principal, tenant, params.scheduleId);
    return { status: 204 };
  },
);

const clickResponses = startResponses('The same click token was already used (deduplicated)');

defineRoute(
  {
    name: 'runBackupScheduleNow',
    method: 'POST',
    path: `${collection}/{scheduleId}/run-now`,
    summary: "Back up now with the schedule's selection and retention; one run per `clickToken`",
    tag,
    access: { kind: 'workspace', capability: 'operations.start', scope: 'tenant' },
    params: scheduleParams,
    body: clickBody,
    exampleBody: {},
    responses: clickResponses,
  },
  async ({ principal, membership, params, body, invocation, tenant }) => {
    await getServices().schedules.require(tenant, params.scheduleId);
    return startOperation({ principal, membership, invocation }, params, {
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
    access: { kind: 'workspace', capability: 'operations.start', scope: 'tenant' },
    params: scheduleParams,
    body: clickBody,
    exampleBody: {},
    responses: { ...clickResponses, 409: { description: '`nothing_to_retry` or `scope_busy`' } },
  },
  async ({ principal, membership, params, body, invocation, tenant }) => {
    const retryOf = await getServices().schedules.retryTarget(tenant, params.scheduleId);
    return startOperation({ principal, membership, invocation }, params, {
      type: backupScheduleRetry.type,
      scheduleId: params.scheduleId,
      retryOf,
      ...(body?.clickToken && { clickToken: body.clickToken }),
    });
  },
  durableClient,
);
