import { describe, expect, it } from 'vitest';
import { api, contosoWorkspace, demoUser, freshWorkspace } from '../support/api';
import { cloud, eventually } from '../support/http';

async function finished(runId: string, as: 'alice' | 'olga' = 'alice') {
  return eventually(async () => {
    const run = await api('GET', `/operations/${runId}`, { as });
    return run.body?.status === 'completed' ? run.body : undefined;
  });
}

function microsoftTenant(name: string) {
  const tenants = (
    cloud().microsoft as {
      tenants: Array<{ name: string; entraTenantId: string; clientId: string; clientSecret: string }>;
    }
  ).tenants;
  return tenants.find((t) => t.name === name)!;
}

async function control(path: string, method: string, body?: unknown) {
  const { controlUrl } = cloud().microsoft as { controlUrl: string };
  const response = await fetch(`${controlUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  expect(response.ok, await response.clone().text()).toBe(true);
}

/** A fresh workspace whose tenant is connected to a simulated Microsoft tenant, with the given secret. */
async function connectedTenant(name: string, secret?: string) {
  const scope = await freshWorkspace(name);
  const microsoft = microsoftTenant('fabrikam');
  const created = await api(
    'POST',
    `/workspaces/${scope.workspaceId}/tenants/${scope.tenantId}/provider-connections`,
    {
      as: 'alice',
      body: {
        displayName: 'Fabrikam (simulated)',
        entraTenantId: microsoft.entraTenantId,
        clientId: microsoft.clientId,
        credential: { authType: 'client_secret', clientSecret: secret ?? microsoft.clientSecret },
      },
    },
  );
  expect(created.status).toBe(201);
  return {
    ...scope,
    base: `/workspaces/${scope.workspaceId}/tenants/${scope.tenantId}/operations`,
    microsoft,
  };
}

describe('operation runs: health check and verification', () => {
  it('a health check against the simulated tenant succeeds and is found in the runs list', async () => {
    const { base, workspaceId, tenantId } = await connectedTenant('Health OK');
    const started = await api('POST', base, { as: 'olga', body: { type: 'provider.health_check' } });
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe(`/api/operations/${started.body.run.id}`);
    expect(started.body).toMatchObject({
      deduplicated: false,
      run: { status: 'queued', outcome: 'pending' },
    });
    expect(started.body.run.instanceId).toBe(`provider.health_check:${tenantId}:${started.body.run.id}`);
    const run = await finished(started.body.run.id, 'olga');
    expect(run).toMatchObject({
      outcome: 'succeeded',
      failures: [],
      result: { latencyMs: expect.any(Number) },
    });
    expect(run.startedAt).not.toBeNull();
    const list = await api(
      'GET',
      `/operations?workspaceId=${workspaceId}&type=provider.health_check&initiator=${demoUser('olga').oid}`,
      { as: 'rita' },
    );
    expect(list.body.items.map((r: { id: string }) => r.id)).toContain(run.id);
    const connection = (
      await api('GET', `/workspaces/${workspaceId}/tenants/${tenantId}/provider-connections`, { as: 'rita' })
    ).body.items[0];
    expect(connection.lastHealthCheck).toMatchObject({ status: 'succeeded', reasonCode: null });
  });

  it('a wrong secret fails with provider_auth_failed, and nothing secret reaches the run', async () => {
    const { base } = await connectedTenant('Health wrong secret', 'definitely-not-the-secret');
    const started = await api('POST', base, { as: 'mike', body: { type: 'provider.health_check' } });
    const run = await finished(started.body.run.id);
    expect(run.outcome).toBe('failed');
    expect(run.failures).toEqual([expect.objectContaining({ reasonCode: 'provider_auth_failed' })]);
    expect(JSON.stringify(run)).not.toContain('definitely-not-the-secret');
  });

  it('still succeeds when the tenant throttles', async () => {
    const { base, microsoft } = await connectedTenant('Health throttled');
    await control(`/tenants/fabrikam/realism?reseed=true`, 'PATCH', {
      faults: { rate429: 0.6, retryAfterSeconds: 1, seed: 7 },
    });
    try {
      const started = await api('POST', base, { as: 'olga', body: { type: 'provider.health_check' } });
      const run = await finished(started.body.run.id);
      expect(run.outcome).toBe('succeeded');
    } finally {
      await control(`/tenants/fabrikam/realism`, 'PATCH', { faults: { rate429: 0 } });
    }
    expect(microsoft.name).toBe('fabrikam');
  });

  it('verification reports exactly the permissions removed from the app registration', async () => {
    const { base, microsoft } = await connectedTenant('Verification');
    const app = `/tenants/fabrikam/apps/${microsoft.clientId}/permissions`;
    await control(`${app}/Policy.Read.All`, 'DELETE');
    await control(`${app}/CloudPC.ReadWrite.All`, 'DELETE');
    try {
      const started = await api('POST', base, { as: 'olga', body: { type: 'provider.verification' } });
      const run = await finished(started.body.run.id);
      expect(run.outcome).toBe('succeeded');
      const missing = Object.fromEntries(
        Object.entries(run.result.features as Record<string, { missing: string[] }>).map(([id, f]) => [
          id,
          f.missing,
        ]),
      );
      expect(missing).toEqual({
        inventory: ['Policy.Read.All', 'CloudPC.Read.All'],
        backup: ['Policy.Read.All', 'CloudPC.Read.All'],
        restore: ['Policy.Read.All', 'CloudPC.ReadWrite.All'],
        directory: [],
        verification: [],
        watch: [],
      });
    } finally {
      await control(`${app}`, 'POST', { permission: 'Policy.Read.All' });
      await control(`${app}`, 'POST', { permission: 'CloudPC.ReadWrite.All' });
    }
  });
});

/** Graph latency that outlasts a burst of 100 starts on a loaded 2-core machine (1.5 s did not). */
const SLOW_GRAPH_MS = 6000;

describe('the start gate', () => {
  it('deduplicates 100 simultaneous starts of the same operation into one run', async () => {
    const { base, workspaceId } = await connectedTenant('Gate dedupe');
    // Slow Graph keeps the run active while all 100 starts arrive, even on a busy machine.
    await control(`/tenants/fabrikam/realism`, 'PATCH', { latency: { fixedMs: SLOW_GRAPH_MS, jitterMs: 0 } });
    const responses = await Promise.all(
      Array.from({ length: 100 }, () =>
        api('POST', base, { as: 'olga', body: { type: 'provider.verification' } }),
      ),
    ).finally(() => control(`/tenants/fabrikam/realism`, 'PATCH', { latency: { fixedMs: 0, jitterMs: 0 } }));
    expect(responses.filter((r) => r.status >= 500)).toEqual([]);
    const started = responses.filter((r) => r.status === 202);
    expect(started).toHaveLength(1);
    const runIds = new Set(responses.map((r) => r.body.run?.id));
    // Everyone got the one run, either as its starter or deduplicated — unless it had already finished.
    const deduplicated = responses.filter((r) => r.status === 200);
    expect(
      deduplicated.every((r) => r.body.deduplicated === true && r.body.run.id === started[0]!.body.run.id),
    ).toBe(true);
    expect(started.length + deduplicated.length).toBe(100);
    expect(runIds.size).toBe(1);
    const runs = await api('GET', `/operations?workspaceId=${workspaceId}&limit=200`, { as: 'alice' });
    expect(runs.body.items).toHaveLength(1);
  });

  it('lets one of 100 mixed simultaneous starts run on a tenant; the rest are 409 scope_busy or deduplicated', async () => {
    const { base } = await connectedTenant('Gate mixed');
    const types = ['provider.verification', 'provider.health_check'];
    await control(`/tenants/fabrikam/realism`, 'PATCH', { latency: { fixedMs: SLOW_GRAPH_MS, jitterMs: 0 } });
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => api('POST', base, { as: 'olga', body: { type: types[i % 2] } })),
    ).finally(() => control(`/tenants/fabrikam/realism`, 'PATCH', { latency: { fixedMs: 0, jitterMs: 0 } }));
    expect(responses.filter((r) => r.status >= 500)).toEqual([]);
    const started = responses.filter((r) => r.status === 202);
    expect(started).toHaveLength(1);
    const winner = started[0]!.body.run;
    for (const response of responses.filter((r) => r.status !== 202)) {
      if (response.status === 200) expect(response.body.run.id).toBe(winner.id);
      else {
        expect(response.status).toBe(409);
        expect(response.body).toMatchObject({
          code: 'scope_busy',
          activeRun: { id: winner.id, links: { self: winner.links.self } },
        });
      }
    }
  });

  it('answers a deduplicated or refused start with three point reads and no query, and never with a run of another workspace', async () => {
    const { base, workspaceId, tenantId } = await connectedTenant('Gate cost');
    const other = await freshWorkspace('Gate cost, another workspace');
    await control(`/tenants/fabrikam/realism`, 'PATCH', { latency: { fixedMs: SLOW_GRAPH_MS, jitterMs: 0 } });
    try {
      const started = await api('POST', base, { as: 'olga', body: { type: 'provider.verification' } });
      expect(started.status).toBe(202);
      // The local host counts each request's Cosmos round trips: membership, scope lock, its holder.
      const costOf = (response: { headers: Headers }) => response.headers.get('x-local-cosmos-round-trips');
      const again = await api('POST', base, { as: 'mike', body: { type: 'provider.verification' } });
      expect(again.status).toBe(200);
      expect(again.body.run.id).toBe(started.body.run.id);
      expect(costOf(again)).toBe('pointReads=3 creates=1'); // the one write is the audit record
      const busy = await api('POST', base, { as: 'mike', body: { type: 'provider.health_check' } });
      expect(busy.status).toBe(409);
      expect(costOf(busy)).toBe('pointReads=3 creates=1');
      // The same tenant id under another workspace of the caller's: the tenant is not that workspace's.
      const elsewhere = `/workspaces/${other.workspaceId}/tenants/${tenantId}/operations`;
      for (const type of ['provider.verification', 'provider.health_check']) {
        const response = await api('POST', elsewhere, { as: 'alice', body: { type } });
        expect(response.status).toBe(404);
        expect(response.text).not.toContain(started.body.run.id);
      }
      const runs = await api('GET', `/operations?workspaceId=${workspaceId}&limit=10`, { as: 'alice' });
      expect(runs.body.items).toHaveLength(1);
    } finally {
      await control(`/tenants/fabrikam/realism`, 'PATCH', { latency: { fixedMs: 0, jitterMs: 0 } });
    }
  });

  it("answers 404 for a tenant that is not the workspace's, and writes nothing", async () => {
    const scope = await freshWorkspace('Gate unknown tenant');
    const missing = `/workspaces/${scope.workspaceId}/tenants/00000000-0000-4000-8000-000000000000/operations`;
    const response = await api('POST', missing, { as: 'olga', body: { type: 'provider.health_check' } });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('not_found');
    const runs = await api('GET', `/operations?workspaceId=${scope.workspaceId}&limit=10`, { as: 'alice' });
    expect(runs.body.items).toEqual([]);
  });

  it('lets the same user start again once the run has finished, and refuses readonly members', async () => {
    const { base } = await connectedTenant('Gate sequential');
    const first = await api('POST', base, { as: 'olga', body: { type: 'provider.health_check' } });
    await finished(first.body.run.id);
    const second = await api('POST', base, { as: 'olga', body: { type: 'provider.health_check' } });
    expect(second.status).toBe(202);
    expect(second.body.run.id).not.toBe(first.body.run.id);
    expect((await api('POST', base, { as: 'rita', body: { type: 'provider.health_check' } })).status).toBe(
      403,
    );
    const unknown = await api('POST', base, { as: 'olga', body: { type: 'no.such_type' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('body.type');
    const invalid = await api('POST', base, {
      as: 'olga',
      body: { type: 'provider.health_check', bogus: true },
    });
    expect(invalid.status).toBe(400);
  });

  it('does not expose a run to a member of another workspace', async () => {
    const contoso = contosoWorkspace();
    const list = await api('GET', `/operations?workspaceId=${contoso.id}`, { as: 'nora' });
    expect(list.status).toBe(404);
  });
});
