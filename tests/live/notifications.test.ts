import { describe, expect, it } from 'vitest';
import { api, freshWorkspace } from '../support/api';
import { eventually } from '../support/http';
import { finished, start } from './support';

/** A workspace of nora's own: nobody else starts runs as nora, so her notification list is this test's. */
async function norasWorkspace() {
  const workspace = await api('POST', '/workspaces', { as: 'nora', body: { name: 'Nora paging' } });
  const tenant = await api('POST', `/workspaces/${workspace.body.id}/tenants`, {
    as: 'nora',
    body: { name: `nora-${Date.now().toString(36)}`, displayName: 'Nora tenant' },
  });
  expect(tenant.status).toBe(201);
  return { workspaceId: workspace.body.id as string, tenantId: tenant.body.id as string };
}

async function notificationsOf(user: 'alice' | 'olga' | 'mike' | 'rita' | 'nora', runId: string) {
  const list = await api('GET', '/me/notifications?limit=200', { as: user });
  expect(list.status).toBe(200);
  return (list.body.items as Array<{ runId: string; kind: string }>).filter((n) => n.runId === runId);
}

describe('notifications', () => {
  it('reach only the initiator: one when queued, one when ended, with outcome and link', async () => {
    const scope = await freshWorkspace('Notifications');
    const run = await start(scope, 'olga', { type: 'test.progress', steps: 1, stepMs: 0 });
    await finished(run.id);
    const mine = await eventually(async () => {
      const found = await notificationsOf('olga', run.id);
      return found.length === 2 ? found : undefined;
    });
    expect(mine).toEqual([
      expect.objectContaining({
        id: `${run.id}.ended`,
        kind: 'run.ended',
        outcome: 'succeeded',
        link: `/api/operations/${run.id}`,
        readAt: null,
        workspaceId: scope.workspaceId,
        tenantId: scope.tenantId,
      }),
      expect.objectContaining({ id: `${run.id}.queued`, kind: 'run.queued', outcome: 'pending' }),
    ]);
    for (const other of ['alice', 'mike', 'rita'] as const)
      expect(await notificationsOf(other, run.id)).toEqual([]);
  });

  it('are paged newest first, filtered by unread and marked read by their owner only', async () => {
    const scope = await norasWorkspace();
    const first = await start(scope, 'nora', { type: 'test.progress', steps: 1, stepMs: 0, label: 'a' });
    await finished(first.id, 'nora');
    const second = await start(scope, 'nora', { type: 'test.progress', steps: 1, stepMs: 0, label: 'b' });
    await finished(second.id, 'nora');
    await eventually(async () =>
      (await notificationsOf('nora', second.id)).length === 2 ? true : undefined,
    );

    const page1 = await api('GET', '/me/notifications?limit=2', { as: 'nora' });
    expect(page1.body.items.map((n: { id: string }) => n.id)).toEqual([
      `${second.id}.ended`,
      `${second.id}.queued`,
    ]);
    expect(page1.body.continuationToken).toEqual(expect.any(String));
    const page2 = await api(
      'GET',
      `/me/notifications?limit=2&continuationToken=${encodeURIComponent(page1.body.continuationToken)}`,
      { as: 'nora' },
    );
    expect(page2.body.items.map((n: { id: string }) => n.id)).toEqual([
      `${first.id}.ended`,
      `${first.id}.queued`,
    ]);

    const id = `${second.id}.ended`;
    expect((await api('POST', `/me/notifications/${id}/read`, { as: 'olga' })).status).toBe(404);
    const read = await api('POST', `/me/notifications/${id}/read`, { as: 'nora' });
    expect(read.status).toBe(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    const again = await api('POST', `/me/notifications/${id}/read`, { as: 'nora' });
    expect(again.body.readAt).toBe(read.body.readAt);
    const unread = await api('GET', '/me/notifications?unread=true&limit=200', { as: 'nora' });
    const unreadIds = unread.body.items.map((n: { id: string }) => n.id);
    expect(unreadIds).not.toContain(id);
    expect(unreadIds).toContain(`${second.id}.queued`);
    expect((await api('POST', '/me/notifications/no-such-notification/read', { as: 'nora' })).status).toBe(
      404,
    );
    expect((await api('GET', '/me/notifications')).status).toBe(401);
  });
});
