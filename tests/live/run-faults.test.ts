import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMPTY_COUNTS } from '../../shared/operations/model';
import { scopeLockId } from '../../shared/operations/run-store';
import { cosmosContainer } from '../backup/support';
import { api, freshWorkspace } from '../support/api';
import { cloud, eventually } from '../support/http';
import { finished, microsoftControl, operationsPath, start } from './support';

const STALE_AFTER_MS = 1500; // test.stuck's threshold (tests/fixtures/functions/runs.ts)

async function auditOf(workspaceId: string, runId: string) {
  const audit = await api('GET', `/workspaces/${workspaceId}/audit?limit=200`, { as: 'alice' });
  return (
    audit.body.items as Array<{
      action: string;
      outcome: string;
      actor: { kind: string };
      target: { id: string };
    }>
  )
    .filter((e) => e.target.id === runId)
    .map((e) => `${e.action}:${e.outcome}:${e.actor.kind}`);
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function durableStatus(instanceId: string) {
  const { durableBaseUrl, masterKey } = cloud().functions;
  const response = await fetch(
    `${durableBaseUrl}/instances/${encodeURIComponent(instanceId)}?code=${encodeURIComponent(masterKey)}`,
  );
  return ((await response.json()) as { runtimeStatus: string }).runtimeStatus;
}

describe('runs under faults', () => {
  it('fails the run at once with dispatch_failed (503) when the orchestration cannot be started', async () => {
    const scope = await freshWorkspace('Dispatch failure');
    const refused = await api('POST', operationsPath(scope), {
      as: 'olga',
      body: { type: 'test.no_orchestrator' },
    });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: 'dispatch_failed', run: { id: expect.any(String) } });
    // Already ended when the 503 was sent: never left queued.
    const run = await api('GET', `/operations/${refused.body.run.id}`, { as: 'olga' });
    expect(run.body).toMatchObject({
      status: 'completed',
      outcome: 'failed',
      failures: [expect.objectContaining({ reasonCode: 'dispatch_failed' })],
    });
    expect(await auditOf(scope.workspaceId, refused.body.run.id)).toEqual(
      expect.arrayContaining(['operation.start:success:user', 'operation.dispatch_failed:failure:system']),
    );
    // …and it does not hold the tenant.
    const next = await start(scope, 'olga', { type: 'test.progress', steps: 1, stepMs: 0 });
    expect((await finished(next.id)).outcome).toBe('succeeded');
  });

  it('a run that never progresses becomes failed/stale_run after its threshold, and a new start succeeds', async () => {
    const scope = await freshWorkspace('Stale run');
    const stuck = await start(scope, 'olga', { type: 'test.stuck' });
    const again = await api('POST', operationsPath(scope), { as: 'olga', body: { type: 'test.stuck' } });
    expect(again.status).toBe(200); // still fresh: the same operation, deduplicated
    expect(again.body.run.id).toBe(stuck.id);
    await sleep(STALE_AFTER_MS + 300);
    const next = await start(scope, 'olga', { type: 'test.progress', steps: 1, stepMs: 0 });
    const stale = await api('GET', `/operations/${stuck.id}`, { as: 'olga' });
    expect(stale.body).toMatchObject({
      status: 'completed',
      outcome: 'failed',
      failures: [expect.objectContaining({ reasonCode: 'stale_run' })],
    });
    expect((await finished(next.id)).outcome).toBe('succeeded');
    expect(await auditOf(scope.workspaceId, stuck.id)).toContain('operation.stale:failure:system');
    expect(
      await eventually(async () =>
        (await durableStatus(stuck.instanceId)) === 'Terminated' ? true : undefined,
      ),
    ).toBe(true);
  });

  it('the sweeper timer ends a stale run even when nobody starts another', async () => {
    const scope = await freshWorkspace('Stale sweep');
    const stuck = await start(scope, 'olga', { type: 'test.stuck' });
    await sleep(STALE_AFTER_MS + 300);
    const { baseUrl, masterKey } = cloud().functions;
    const invoked = await fetch(`${baseUrl}/admin/functions/sweepStaleRuns`, {
      method: 'POST',
      headers: { 'x-functions-key': masterKey, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(invoked.status).toBe(202);
    const swept = await finished(stuck.id, 'olga', 10_000);
    expect(swept).toMatchObject({
      outcome: 'failed',
      failures: [expect.objectContaining({ reasonCode: 'stale_run' })],
    });
  });

  it('a queued run whose orchestration was never started (its host died after creating it) is started by the sweeper, once', async () => {
    const scope = await freshWorkspace('Lost dispatch');
    // A finished run of the tenant is the template of the documents a start writes before it dispatches.
    const template = await start(scope, 'olga', { type: 'test.progress', steps: 1, stepMs: 0 });
    await finished(template.id, 'olga');
    const { resource: done } = await cosmosContainer('runs').item(template.id, template.id).read();
    const { _rid, _self, _etag, _ts, _attachments, ...fields } = done as Record<string, unknown>;
    const runId = randomUUID();
    const instanceId = `lost-dispatch-${runId}`;
    const longAgo = new Date(Date.now() - 120_000).toISOString(); // past test.progress's 60 s threshold
    await cosmosContainer('runs').items.create({
      ...fields,
      id: runId,
      instanceId,
      identityKey: `${String(fields.identityKey)}:lost`,
      status: 'queued',
      outcome: 'pending',
      counts: EMPTY_COUNTS,
      failures: [],
      progress: null,
      result: null,
      createdAt: longAgo,
      startedAt: null,
      completedAt: null,
      heartbeatAt: longAgo,
      links: {
        self: `/api/operations/${runId}`,
        durableStatus: `/runtime/webhooks/durabletask/instances/${instanceId}`,
      },
    });
    await cosmosContainer('runLocks').items.create({
      id: scopeLockId(scope.tenantId),
      runId,
      identityKey: `${String(fields.identityKey)}:lost`,
      type: 'test.progress',
      createdAt: longAgo,
    });

    // Two hosts' sweepers at once.
    const { baseUrl, masterKey } = cloud().functions;
    const sweep = () =>
      fetch(`${baseUrl}/admin/functions/sweepStaleRuns`, {
        method: 'POST',
        headers: { 'x-functions-key': masterKey, 'content-type': 'application/json' },
        body: '{}',
      });
    expect((await Promise.all([sweep(), sweep()])).map((r) => r.status)).toEqual([202, 202]);

    expect(await finished(runId, 'olga')).toMatchObject({ outcome: 'succeeded', failures: [] });
    // The orchestration ends a moment after the run it completed.
    expect(
      await eventually(async () => ((await durableStatus(instanceId)) === 'Completed' ? true : undefined)),
    ).toBe(true);
    const trail = await eventually(async () => {
      const entries = await auditOf(scope.workspaceId, runId);
      return entries.includes('operation.redispatched:success:system') ? entries : undefined;
    });
    expect(trail.filter((entry) => entry === 'operation.redispatched:success:system')).toHaveLength(1);
    expect(trail.some((entry) => entry.startsWith('operation.stale'))).toBe(false);
    // It held the tenant and gave it back at its end.
    const next = await start(scope, 'olga', { type: 'test.progress', steps: 1, stepMs: 0, label: 'after' });
    expect((await finished(next.id)).outcome).toBe('succeeded');
  });

  it('cancel terminates a running orchestration and ends the run cancelled', async () => {
    const scope = await freshWorkspace('Cancel');
    const run = await start(scope, 'olga', { type: 'test.waiting' });
    await eventually(async () => {
      const current = await api('GET', `/operations/${run.id}`, { as: 'olga' });
      return current.body.status === 'running' ? true : undefined;
    });
    expect((await api('POST', `/operations/${run.id}/cancel`, { as: 'rita' })).status).toBe(403);
    const cancelled = await api('POST', `/operations/${run.id}/cancel`, { as: 'olga' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      status: 'completed',
      outcome: 'cancelled',
      failures: [expect.objectContaining({ reasonCode: 'cancelled' })],
    });
    expect(await durableStatus(run.instanceId)).toBe('Terminated');
    expect((await api('POST', `/operations/${run.id}/cancel`, { as: 'olga' })).status).toBe(409);
    // The tenant is free again.
    const next = await start(scope, 'olga', { type: 'test.progress', steps: 1, stepMs: 0 });
    expect((await finished(next.id)).outcome).toBe('succeeded');
  });

  it('audits starts, deduplications, scope-busy refusals, cancels and denials', async () => {
    const scope = await freshWorkspace('Run audit');
    const run = await start(scope, 'olga', { type: 'test.waiting' });
    expect(
      (await api('POST', operationsPath(scope), { as: 'mike', body: { type: 'test.waiting' } })).status,
    ).toBe(200);
    expect(
      (await api('POST', operationsPath(scope), { as: 'mike', body: { type: 'test.stuck' } })).status,
    ).toBe(409);
    expect(
      (await api('POST', operationsPath(scope), { as: 'rita', body: { type: 'test.waiting' } })).status,
    ).toBe(403);
    expect((await api('POST', `/operations/${run.id}/cancel`, { as: 'alice' })).status).toBe(200);
    const audit = await api('GET', `/workspaces/${scope.workspaceId}/audit?limit=200`, { as: 'alice' });
    const seen = (audit.body.items as Array<{ action: string; outcome: string; target: { id: string } }>).map(
      (e) => `${e.action}:${e.outcome}`,
    );
    expect(seen).toEqual(
      expect.arrayContaining([
        'operation.start:success',
        'operation.deduplicated:success',
        'operation.scope_busy:denied',
        'authorization.denied:denied',
        'operation.cancel:success',
      ]),
    );
  });
});

describe('monitoring reads', () => {
  it('GET /operations and /operations/{id} never call Graph', async () => {
    // An app registration of our own, so only this test's Graph traffic carries its app id.
    const control = microsoftControl();
    const appResponse = await fetch(`${control}/tenants/fabrikam/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Monitoring probe' }),
    });
    expect(appResponse.ok).toBe(true);
    const app = (await appResponse.json()) as { clientId: string; clientSecret: string };
    const tenants = (cloud().microsoft as { tenants: Array<{ name: string; entraTenantId: string }> })
      .tenants;
    const scope = await freshWorkspace('Monitoring reads');
    const connection = await api(
      'POST',
      `/workspaces/${scope.workspaceId}/tenants/${scope.tenantId}/provider-connections`,
      {
        as: 'alice',
        body: {
          displayName: 'Monitoring probe',
          entraTenantId: tenants.find((t) => t.name === 'fabrikam')!.entraTenantId,
          clientId: app.clientId,
          credential: { authType: 'client_secret', clientSecret: app.clientSecret },
        },
      },
    );
    expect(connection.status).toBe(201);
    const run = await start(scope, 'olga', { type: 'provider.health_check' });
    expect((await finished(run.id)).outcome).toBe('succeeded');
    const log = async (since?: number) => {
      const response = await fetch(
        `${control}/requests?tenant=fabrikam${since === undefined ? '' : `&since=${since}`}`,
      );
      return (await response.json()) as {
        lastSeq: number;
        entries: Array<{ appId?: string; endpoint: string }>;
      };
    };
    const before = await log();
    expect(before.entries.some((e) => e.appId === app.clientId)).toBe(true); // the probe itself did call Graph
    for (let i = 0; i < 5; i++) {
      expect((await api('GET', `/operations?workspaceId=${scope.workspaceId}`, { as: 'rita' })).status).toBe(
        200,
      );
      expect((await api('GET', `/operations/${run.id}`, { as: 'rita' })).status).toBe(200);
    }
    const after = await log(before.lastSeq);
    expect(after.entries.filter((e) => e.appId === app.clientId)).toEqual([]);
  });
});
