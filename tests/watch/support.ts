import { ClientSecretCredential } from '@azure/identity';
import { expect } from 'vitest';
import { api } from '../support/api';
import { call, eventually } from '../support/http';
import { control, finished, microsoft, simulatedTenant, type Scope } from '../inventory/support';

/** The simulated tenant only the change watch tests change. */
export const TENANT = 'adatum';

/** One watch tick for the scope's tenant now (the timer's tick, forced); waits for its run to end. */
export async function watchNow(scope: Scope) {
  const tick = await call('POST', '/api/test/watch/tick', { tenantId: scope.tenantId });
  expect(tick.status, tick.text).toBe(200);
  expect(tick.json.runIds, JSON.stringify(tick.json)).toHaveLength(1);
  return finished(tick.json.runIds[0] as string);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert feed fields one by one
export async function feed(scope: Scope, query = ''): Promise<any[]> {
  const response = await api(
    'GET',
    `/workspaces/${scope.workspaceId}/changes?tenantId=${scope.tenantId}${query ? `&${query}` : ''}`,
    { as: 'rita' },
  );
  expect(response.status, response.text).toBe(200);
  return response.body.items;
}

type Change = { action: string; collection: string; id: string; displayName: string };
export const adminChange = async (body: Record<string, unknown>) =>
  (await control<{ changes: Change[] }>('POST', `/tenants/${TENANT}/admin-changes`, body)).changes[0]!;

/** Another app registration of the tenant (an automation tool), and a Graph call as that app. */
export async function otherApp(displayName: string) {
  const app = await control<{ clientId: string; clientSecret: string }>('POST', `/tenants/${TENANT}/apps`, {
    displayName,
    permissions: ['DeviceManagementConfiguration.ReadWrite.All'],
  });
  const credential = new ClientSecretCredential(
    simulatedTenant(TENANT).entraTenantId,
    app.clientId,
    app.clientSecret,
    { authorityHost: microsoft().authorityHost, disableInstanceDiscovery: true },
  );
  return {
    clientId: app.clientId,
    async graph(method: string, path: string, body?: unknown) {
      const { token } = await credential.getToken('https://graph.microsoft.com/.default');
      const response = await fetch(`${microsoft().graphBaseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      expect(response.status, await response.clone().text()).toBeLessThan(300);
    },
  };
}

export { eventually };
