import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { HUB_METHODS } from '../../shared/live/names';
import { api, demoUser, freshWorkspace } from '../support/api';
import { cloud } from '../support/http';
import { liveClient, start } from './support';

const { runUpdated, tenantRunUpdated } = HUB_METHODS;
const ORDER = ['queued', 'running', 'completed'];

describe('live progress with the official SignalR client', () => {
  it('the initiator sees queued → progress → completed; a readonly member sees the tenant group; another workspace sees nothing', async () => {
    const scope = await freshWorkspace('Live progress');
    const olga = await liveClient('olga'); // the initiator: needs no subscription
    const rita = await liveClient('rita'); // readonly member of the workspace
    const nora = await liveClient('nora'); // owner of another workspace
    const subscribed = await api('POST', `/workspaces/${scope.workspaceId}/live/subscribe`, {
      as: 'rita',
      body: {},
    });
    expect(subscribed.status).toBe(200);
    expect(subscribed.body.groups).toEqual([{ tenantId: scope.tenantId, group: `tenant.${scope.tenantId}` }]);
    expect(Date.parse(subscribed.body.expiresAt)).toBeGreaterThan(Date.now());
    const refused = await api('POST', `/workspaces/${scope.workspaceId}/live/subscribe`, {
      as: 'nora',
      body: {},
    });
    expect(refused.status).toBe(404);

    const run = await start(scope, 'olga', { type: 'test.progress', steps: 3, stepMs: 700 });
    const mine = await olga.until(run.id, runUpdated, 'completed');
    expect(mine[0]!.event).toBe('queued');
    expect(mine.at(-1)).toMatchObject({ event: 'completed', status: 'completed', outcome: 'succeeded' });
    const between = mine.slice(1, -1);
    expect(between.some((u) => u.event === 'progress' && u.counts.processed > 0)).toBe(true);
    expect(between.every((u) => u.status === 'running')).toBe(true);
    // States never go backwards, and counts only grow.
    const states = mine.map((u) => ORDER.indexOf(u.status));
    expect(states).toEqual([...states].sort((a, b) => a - b));
    const processed = mine.map((u) => u.counts.processed);
    expect(processed).toEqual([...processed].sort((a, b) => a - b));
    expect(mine.at(-1)!.counts.processed).toBe(3);
    expect(mine.every((u) => u.link === `/api/operations/${run.id}` && u.tenantId === scope.tenantId)).toBe(
      true,
    );

    const watched = await rita.until(run.id, tenantRunUpdated, 'completed');
    expect(watched.map((u) => u.event)).toContain('progress');
    expect(rita.of(run.id, runUpdated)).toEqual([]); // not hers
    expect(olga.of(run.id, tenantRunUpdated)).toEqual([]); // she did not subscribe
    // Pushes of one batch leave together: by now anything addressed to nora would have arrived.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(nora.updates).toEqual([]);
  });

  it('progress pushes of a run are coalesced to a few per second', async () => {
    const scope = await freshWorkspace('Live coalescing');
    const olga = await liveClient('olga');
    const run = await start(scope, 'olga', { type: 'test.progress', steps: 12, stepMs: 50 });
    const updates = await olga.until(run.id, runUpdated, 'completed');
    const progress = updates.filter((u) => u.event === 'progress');
    expect(progress.length).toBeLessThan(12);
    expect(updates.at(-1)!.counts.processed).toBe(12);
  });

  it('binds the SignalR user to the verified token, never to a header the caller sends', async () => {
    const negotiated = await api('POST', '/negotiate?negotiateVersion=1', {
      as: 'nora',
      headers: { 'x-ms-client-principal-id': demoUser('olga').oid },
    });
    expect(negotiated.status).toBe(200);
    expect(negotiated.body.url).toBe(`${cloud().signalr.hubUrl}?hub=${cloud().signalr.hub}`);
    expect(decodeJwt(negotiated.body.accessToken).nameid).toBe(demoUser('nora').oid);
    expect((await api('POST', '/negotiate')).status).toBe(401);
  });

  it('refuses to subscribe anyone to a tenant outside the workspace named', async () => {
    const mine = await freshWorkspace('Live other tenant');
    const other = await freshWorkspace('Live foreign tenant');
    const foreign = await api('POST', `/workspaces/${mine.workspaceId}/live/subscribe`, {
      as: 'rita',
      body: { tenantIds: [other.tenantId] },
    });
    expect(foreign.status).toBe(404);
    const own = await api('POST', `/workspaces/${mine.workspaceId}/live/subscribe`, {
      as: 'rita',
      body: { tenantIds: [mine.tenantId] },
    });
    expect(own.status).toBe(200);
  });

  it('answers browser preflights and CORS on negotiate', async () => {
    const origin = 'https://portal.example';
    const preflight = await fetch(`${cloud().functions.apiBaseUrl}/negotiate?negotiateVersion=1`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,x-requested-with,x-signalr-user-agent',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    const negotiated = await api('POST', '/negotiate?negotiateVersion=1', {
      as: 'alice',
      headers: { origin },
    });
    expect(negotiated.headers.get('access-control-allow-origin')).toBe(origin);
  });
});
