import { HubConnectionBuilder, LogLevel } from '@microsoft/signalr';
import { describe, expect, it } from 'vitest';
import type { GraphObject } from '../../shared/graph';
import { graphOf, ownCloudForFile } from '../restore/support';
import { evaluated, until, type Tenant, generalConfiguration, sync, goldenAndChecked } from './support';

/**
 * Signals of drift through the public surface: the notifications route (the baseline's owner), the
 * official SignalR client (the tenant's group) and the local operation-events topic. Contoso is the
 * golden tenant, Fabrikam is checked; the planted objects' differences are known.
 */
const cloud = ownCloudForFile();

const CONFIGURATIONS = '/deviceManagement/deviceConfigurations';

interface DriftNotification {
  id: string;
  kind: string;
  title: string;
  message: string;
  tenantId: string;
  baselineId: string;
  opened: number;
  resolved: number;
  link: string;
}
interface TopicMessage {
  body: Record<string, unknown> & { eventId: string; type: string; findingId: string };
}

/** These tests plant and compare configuration profiles only. */
const syncTypes = (tenant: Tenant) => sync(cloud, tenant, ['deviceConfigurations']);

async function driftNotifications(user: 'mike' | 'alice', tenantId: string): Promise<DriftNotification[]> {
  const page = await cloud.api('GET', '/me/notifications?limit=100', { as: user });
  expect(page.status, page.text).toBe(200);
  return (page.body.items as DriftNotification[]).filter(
    (n) => n.kind === 'drift.changed' && n.tenantId === tenantId,
  );
}

async function driftEvents(): Promise<TopicMessage[]> {
  const response = await fetch(`${cloud.description.functions.baseUrl}/_local/servicebus/operation-events`);
  const { items } = (await response.json()) as { items: TopicMessage[] };
  return items.filter((m) => String(m.body.type).startsWith('drift.'));
}

/** Runs the signals function on a batch, as the change feed would deliver it again (the admin API). */
async function redeliver(documents: unknown[]) {
  const { baseUrl, masterKey } = cloud.description.functions;
  const response = await fetch(`${baseUrl}/admin/functions/driftSignals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-functions-key': masterKey },
    body: JSON.stringify({ input: JSON.stringify(documents) }),
  });
  expect(response.status).toBe(202);
}

/** A pair's summary or signal ledger (the `driftSummaries` container, whose change feed signals follow). */
const readDoc = async (workspaceId: string, id: string) =>
  (await cloud.container('driftSummaries').item(id, workspaceId).read<Record<string, unknown>>()).resource;

describe('drift signals', () => {
  let contoso: Tenant;
  let fabrikam: Tenant;
  let baselineId: string;
  const planted: Record<string, GraphObject> = {};
  const pushes: Array<{ id: string; opened: Array<{ findingId: string }>; resolved: unknown[] }> = [];

  it('new drift is announced to the baseline owner once per finding (one notification per evaluation), pushed to the tenant group and published as drift.detected', async () => {
    ({ contoso, fabrikam } = await goldenAndChecked(cloud, 'Signals'));
    const c = graphOf(cloud, 'contoso');
    const f = graphOf(cloud, 'fabrikam');
    const general = generalConfiguration;
    planted.changedC = await c.create('deviceConfigurations', general('Signal changed', 8));
    planted.missingC = await c.create('deviceConfigurations', general('Signal missing', 6));
    planted.changedF = await f.create('deviceConfigurations', general('Signal changed', 12));
    await syncTypes(contoso);
    await syncTypes(fabrikam);

    const live = new HubConnectionBuilder()
      .withUrl(cloud.description.functions.apiBaseUrl, { accessTokenFactory: () => cloud.token('rita') })
      .configureLogging(LogLevel.None)
      .build();
    live.on('driftChanged', (push: (typeof pushes)[number]) => {
      pushes.push(push);
    });
    await live.start();
    try {
      const subscribed = await cloud.api('POST', `/workspaces/${contoso.workspaceId}/live/subscribe`, {
        as: 'rita',
        body: { tenantIds: [fabrikam.tenantId] },
      });
      expect(subscribed.status, subscribed.text).toBe(200);

      const created = await cloud.api('POST', `/workspaces/${contoso.workspaceId}/baselines`, {
        as: 'mike',
        body: {
          name: 'Signals standard',
          source: {
            tenantId: contoso.tenantId,
            itemIds: [planted.changedC, planted.missingC].map((o) => `deviceConfigurations:${o!.id}`),
          },
        },
      });
      expect(created.status, created.text).toBe(201);
      baselineId = created.body.id;
      const assigned = await cloud.api(
        'PUT',
        `/workspaces/${contoso.workspaceId}/baselines/${baselineId}/tenants/${fabrikam.tenantId}`,
        { as: 'mike', body: {} },
      );
      expect(assigned.status, assigned.text).toBe(200);
      await evaluated(cloud, contoso.workspaceId, baselineId, fabrikam.tenantId);

      // Usually one notification for both; two when a change feed still delivering the syncs' writes
      // evaluated one object before the assignment's evaluation did both. Either way each new finding is
      // announced exactly once, one notification per evaluation.
      const notifications = await until(async () => {
        const list = await driftNotifications('mike', fabrikam.tenantId);
        return list.reduce((n, note) => n + note.opened, 0) >= 2 ? list : undefined;
      }, 'the notifications');
      expect(notifications.reduce((n, note) => n + note.opened, 0)).toBe(2);
      expect(notifications.length).toBeLessThanOrEqual(2);
      for (const notification of notifications)
        expect(notification).toMatchObject({
          title: `Signals checked: ${notification.opened === 2 ? '2 new drift findings' : '1 new drift finding'} against baseline 'Signals standard'`,
          baselineId,
          resolved: 0,
          link: `/api/workspaces/${contoso.workspaceId}/drift?baselineId=${baselineId}&tenantId=${fabrikam.tenantId}&state=all`,
        });
      const messages = notifications.map((n) => n.message).join('\n');
      expect(messages).toContain('Signal changed (different)');
      expect(messages).toContain('Signal missing (missing)');
      // Only the baseline's owner (who created it) hears about it, not every member.
      expect(await driftNotifications('alice', fabrikam.tenantId)).toEqual([]);

      const open = await cloud.api(
        'GET',
        `/workspaces/${contoso.workspaceId}/drift?baselineId=${baselineId}&tenantId=${fabrikam.tenantId}`,
        { as: 'rita' },
      );
      const openIds = (open.body.items as Array<{ id: string }>).map((x) => x.id).sort();
      expect(openIds).toHaveLength(2);
      const detected = await until(async () => {
        const events = (await driftEvents()).filter((m) => m.body.type === 'drift.detected');
        return events.length >= 2 ? events : undefined;
      }, 'the drift.detected events');
      expect(detected.map((m) => m.body.findingId).sort()).toEqual(openIds);
      expect(detected.find((m) => m.body.displayName === 'Signal changed')!.body).toMatchObject({
        tenantId: fabrikam.tenantId,
        baselineId,
        baselineName: 'Signals standard',
        outcome: 'different',
        differenceCount: 1,
        raisedByVersion: expect.any(String),
      });
      const pushed = await until(async () => {
        const ours = notifications.map((n) => pushes.find((p) => p.id === n.id));
        return ours.every((push) => push !== undefined) ? ours : undefined;
      }, 'the pushes');
      expect(pushed.flatMap((push) => push!.opened.map((o) => o.findingId)).sort()).toEqual(openIds);
    } finally {
      await live.stop();
    }
  }, 300_000);

  it('a resolution is signaled once, even when the batch runs again after the ledger write was lost', async () => {
    const ledgerId = `signals-${baselineId}-${fabrikam.tenantId}`;
    const ledgerBefore = await until(async () => {
      const ledger = await readDoc(contoso.workspaceId, ledgerId);
      return ledger && Object.keys(ledger.episodes as object).length === 2 ? ledger : undefined;
    }, 'both episodes on the ledger');

    await cloud.control(`/tenants/fabrikam/admin-changes`, 'POST', {
      action: 'update',
      collection: CONFIGURATIONS,
      id: planted.changedF!.id,
      patch: { passwordMinimumLength: 8 },
    });
    await syncTypes(fabrikam);
    const resolvedNote = await until(async () => {
      const list = await driftNotifications('mike', fabrikam.tenantId);
      return list.find((n) => n.resolved === 1);
    }, 'the resolution notification');
    expect(resolvedNote).toMatchObject({
      title: "Signals checked: 1 drift finding resolved against baseline 'Signals standard'",
      opened: 0,
      message: 'Resolved: Signal changed.',
    });
    const [resolvedEvent] = await until(async () => {
      const events = (await driftEvents()).filter((m) => m.body.type === 'drift.resolved');
      return events.length > 0 ? events : undefined;
    }, 'the drift.resolved event');
    const item = await cloud.api(
      'GET',
      `${fabrikam.base}/inventory/${encodeURIComponent(`deviceConfigurations:${planted.changedF!.id}`)}`,
      { as: 'rita' },
    );
    expect(resolvedEvent!.body).toMatchObject({
      displayName: 'Signal changed',
      resolvedByVersion: item.body.currentVersionId,
      resolvedAt: expect.any(String),
    });

    // The function dies after notifying and publishing, before its ledger write: the change feed
    // delivers the same summary again (twice). Same notification, same event ids: nothing new.
    const ledgerAfter = await readDoc(contoso.workspaceId, ledgerId);
    const notificationsBefore = await driftNotifications('mike', fabrikam.tenantId);
    const eventsBefore = await driftEvents();
    await cloud.container('driftSummaries').items.upsert(ledgerBefore!);
    const summary = await readDoc(contoso.workspaceId, `summary-${baselineId}-${fabrikam.tenantId}`);
    await redeliver([summary]);
    await redeliver([summary]);
    await until(async () => {
      const ledger = await readDoc(contoso.workspaceId, ledgerId);
      return JSON.stringify(ledger!.episodes) === JSON.stringify(ledgerAfter!.episodes) ? true : undefined;
    }, 'the replay');
    await new Promise((resolve) => setTimeout(resolve, 2000)); // the second delivery too
    expect(await driftNotifications('mike', fabrikam.tenantId)).toEqual(notificationsBefore);
    const eventsAfter = await driftEvents();
    // The replay did announce the resolution again (the ledger said it was not), under the same ids.
    expect(eventsAfter.length).toBeGreaterThan(eventsBefore.length);
    const ids = (events: TopicMessage[]) => [...new Set(events.map((m) => m.body.eventId))].sort();
    // The local topic keeps what it is sent; Service Bus drops a message id it has seen (duplicate detection).
    expect(ids(eventsAfter)).toEqual(ids(eventsBefore));
    for (const event of eventsAfter)
      expect(event.body).toEqual(eventsBefore.find((m) => m.body.eventId === event.body.eventId)!.body);
    expect(notificationsBefore.filter((n) => n.id === resolvedNote.id)).toHaveLength(1);
  }, 300_000);
});
