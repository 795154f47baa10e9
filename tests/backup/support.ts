import { CosmosClient, type Container } from '@azure/cosmos';
import { expect } from 'vitest';
import { api, freshWorkspace } from '../support/api';
import { cloud, eventually } from '../support/http';

let client: CosmosClient | undefined;

/** A container of the shared local cloud's database, for setting up state the API cannot (past fire times). */
export function cosmosContainer(name: string): Container {
  const { endpoint, key, database } = cloud().cosmos;
  client ??= new CosmosClient({ endpoint, key, connectionPolicy: { enableEndpointDiscovery: false } });
  return client.database(database).container(name);
}

export function microsoftTenant(name: string) {
  const tenants = (
    cloud().microsoft as {
      tenants: Array<{ name: string; entraTenantId: string; clientId: string; clientSecret: string }>;
    }
  ).tenants;
  return tenants.find((t) => t.name === name)!;
}

/** The simulated Microsoft cloud's control API (change objects, latency, faults). */
export async function control(path: string, method: string, body?: unknown) {
  const { controlUrl } = cloud().microsoft as { controlUrl: string };
  const response = await fetch(`${controlUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  expect(response.ok, text).toBe(true);
  return text ? JSON.parse(text) : undefined;
}

/** A fresh workspace whose tenant is connected to a simulated Microsoft tenant. */
export async function connectedTenant(name: string, microsoftName = 'fabrikam') {
  const scope = await freshWorkspace(name);
  const microsoft = microsoftTenant(microsoftName);
  const created = await api(
    'POST',
    `/workspaces/${scope.workspaceId}/tenants/${scope.tenantId}/provider-connections`,
    {
      as: 'alice',
      body: {
        displayName: `${microsoftName} (simulated)`,
        entraTenantId: microsoft.entraTenantId,
        clientId: microsoft.clientId,
        credential: { authType: 'client_secret', clientSecret: microsoft.clientSecret },
      },
    },
  );
  expect(created.status).toBe(201);
  return { ...scope, base: `/workspaces/${scope.workspaceId}/tenants/${scope.tenantId}`, microsoft };
}

/** Runs a timer function now through the Azure admin API (master key), as an operator would. */
export async function invokeTimer(name: string): Promise<void> {
  const { baseUrl, masterKey } = cloud().functions;
  const response = await fetch(`${baseUrl}/admin/functions/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-functions-key': masterKey },
    body: JSON.stringify({ input: '' }),
  });
  expect(response.status).toBe(202);
}

export async function finished(runId: string) {
  return eventually(async () => {
    const run = await api('GET', `/operations/${runId}`, { as: 'alice' });
    return run.body?.status === 'completed' ? run.body : undefined;
  }, 60_000);
}

/** Runs whose context names the schedule (scheduled, run-now, retry), newest first. */
export async function runsOfSchedule(workspaceId: string, scheduleId: string) {
  const { resources } = await cosmosContainer('runs')
    .items.query<{
      id: string;
      type: string;
      status: string;
      outcome: string;
      createdAt: string;
      failures: Array<{ reasonCode: string; message: string }>;
      context: Record<string, unknown>;
    }>({
      query:
        'SELECT * FROM c WHERE c.workspaceId = @workspaceId AND c.context.scheduleId = @scheduleId ORDER BY c.createdAt DESC',
      parameters: [
        { name: '@workspaceId', value: workspaceId },
        { name: '@scheduleId', value: scheduleId },
      ],
    })
    .fetchAll();
  return resources;
}

/**
 * Moves a schedule's planned fire time into the past, as if the scheduler had not run since then:
 * the honest way to make a slot due without bending the app's clock.
 */
export async function setNextRunAt(tenantId: string, scheduleId: string, nextRunAt: Date) {
  const item = cosmosContainer('backups').item(scheduleId, tenantId);
  const { resource } = await item.read();
  expect(resource?.kind).toBe('schedule');
  await item.replace({ ...resource, nextRunAt: nextRunAt.toISOString() });
}

export function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
