import { expect } from 'vitest';
import { allPages, api, freshWorkspace, type DemoUserName } from '../support/api';
import { cloud, eventually } from '../support/http';

export interface SimulatedTenant {
  name: string;
  entraTenantId: string;
  clientId: string;
  clientSecret: string;
}

export function microsoft() {
  return cloud().microsoft as {
    controlUrl: string;
    graphBaseUrl: string;
    authorityHost: string;
    tenants: SimulatedTenant[];
  };
}

export function simulatedTenant(name: string): SimulatedTenant {
  const found = microsoft().tenants.find((tenant) => tenant.name === name);
  if (!found) throw new Error(`no simulated tenant ${name}`);
  return found;
}

/** The simulator's control API (realism, permissions, administrator changes, request log). */
export async function control<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${microsoft().controlUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  expect(response.ok, `${method} ${path}: ${text}`).toBe(true);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface Scope {
  workspaceId: string;
  tenantId: string;
  /** `/workspaces/{w}/tenants/{t}` */
  base: string;
}

/** A fresh workspace whose tenant is connected to a simulated tenant (with its own app when given). */
export async function connectedScope(
  label: string,
  tenant: string,
  app?: { clientId: string; clientSecret: string },
): Promise<Scope> {
  const { workspaceId, tenantId } = await freshWorkspace(label);
  const target = simulatedTenant(tenant);
  const base = `/workspaces/${workspaceId}/tenants/${tenantId}`;
  const created = await api('POST', `${base}/provider-connections`, {
    as: 'alice',
    body: {
      displayName: `Simulated ${tenant}`,
      entraTenantId: target.entraTenantId,
      clientId: app?.clientId ?? target.clientId,
      credential: { authType: 'client_secret', clientSecret: app?.clientSecret ?? target.clientSecret },
    },
  });
  expect(created.status, created.text).toBe(201);
  return { workspaceId, tenantId, base };
}

export async function startSync(
  scope: Scope,
  input: Record<string, unknown> = {},
  as: DemoUserName = 'olga',
) {
  return api('POST', `${scope.base}/operations`, { as, body: { type: 'inventory.sync', ...input } });
}

export async function finished(runId: string, timeoutMs = 60_000) {
  return eventually(async () => {
    const run = await api('GET', `/operations/${runId}`, { as: 'rita' });
    return run.body?.status === 'completed' ? run.body : undefined;
  }, timeoutMs);
}

/** Starts a sync and waits for its end. */
export async function sync(scope: Scope, input: Record<string, unknown> = {}) {
  const started = await startSync(scope, input);
  expect(started.status, started.text).toBe(202);
  return finished(started.body.run.id);
}

/** Every inventory item matching the query, following continuation tokens. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert item fields one by one
export async function allItems(scope: Scope, query = ''): Promise<any[]> {
  return allPages(`${scope.base}/inventory`, query);
}
