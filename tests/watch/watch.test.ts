import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubConnectionBuilder, LogLevel } from '@microsoft/signalr';
import { api, tokenOf } from '../support/api';
import { call, cloud, eventually } from '../support/http';
import { topicMessages } from '../live/support';
import {
  allItems,
  connectedScope,
  control,
  finished,
  simulatedTenant,
  startSync,
  sync,
  type Scope,
} from '../inventory/support';
import { inventoryWatch } from '../../orchestrations/inventory-watch/orchestrator';
import { expectDeterministic, sharedCloudInstance } from '../support/replay';
import { watchHarness } from './at-least-once';
import { TENANT, adminChange, feed, otherApp, watchNow } from './support';

/**
 * The change watch end to end: changes made in the simulated tenant (as an administrator through the
 * control API, or as another app through Graph), one watch tick, the feed. Adatum is changed by these
 * tests only, one after another.
 */
let scope: Scope;

beforeAll(async () => {
  await control('POST', `/tenants/${TENANT}/reset`);
  scope = await connectedScope('Change watch', TENANT);
  expect((await sync(scope)).outcome).toBe('succeeded');
}, 120_000);

afterAll(async () => {
  await control('POST', `/tenants/${TENANT}/reset`);
});

const itemOf = async (graphId: string) =>
  (await allItems(scope, 'removed=any')).find((item) => item.graphId === graphId);

describe('the change watch', () => {
  it('a full sync starts the watch; a quiet tenant costs one request per audit log', async () => {
    const watch = await api('GET', `${scope.base}/watch`, { as: 'rita' });
    expect(watch.status, watch.text).toBe(200);
    expect(watch.body).toMatchObject({ enabled: true, intervalMinutes: 5, lastFailure: null });
    // The timer leaves this tenant alone until the last test: these tests start its watches themselves.
    const off = await api('PATCH', `${scope.base}/watch`, { as: 'alice', body: { enabled: false } });
    expect(off.status, off.text).toBe(200);
    const since = (await control<{ lastSeq: number }>('GET', `/requests?tenant=${TENANT}`)).lastSeq;
    const run = await watchNow(scope);
    expect(run.outcome).toBe('succeeded');
    expect(run.result).toMatchObject({ changes: 0, unmapped: 0, graphRequests: 2 });
    expect(run.summary).toMatch(/^Change watch of .* finished — no changes$/);
    const log = await control<{ entries: Array<{ endpoint: string }> }>(
      'GET',
      `/requests?tenant=${TENANT}&since=${since}`,
    );
    expect(log.entries.map((entry) => entry.endpoint).sort()).toEqual([
      'GET /v1.0/auditLogs/directoryAudits',
      'GET /v1.0/deviceManagement/auditEvents',
    ]);
  });

  it('never runs beside a full sync: the slot is skipped while the sync holds the tenant', async () => {
    const started = await startSync(scope);
    expect(started.status, started.text).toBe(202);
    const tick = await call('POST', '/api/test/watch/tick', { tenantId: scope.tenantId });
    expect(tick.json).toMatchObject({ due: 1, started: 0, busy: 1, runIds: [] });
    expect((await finished(started.body.run.id)).outcome).toBe('succeeded');
    expect((await watchNow(scope)).outcome).toBe('succeeded');
  });

  it('an administrator change is stored as a version with her name, and is on the feed', async () => {
    const items = await allItems(scope);
    const target = items.find((item) => item.policyType === 'deviceConfigurations')!;
    await adminChange({
      action: 'update',
      collection: '/deviceManagement/deviceConfigurations',
      id: target.graphId,
      actor: 'adele.vance@adatum.example',
      patch: { description: 'Changed in the portal by Adele' },
    });
    const run = await watchNow(scope);
    expect(run.outcome).toBe('succeeded');
    expect(run.result).toMatchObject({ changes: 1, updated: 1, unmapped: 0 });
    // Replayed after every event of its history, the orchestrator schedules what the run did.
    expect(
      await expectDeterministic(inventoryWatch, await sharedCloudInstance(run.instanceId)),
    ).toBeGreaterThan(3);

    const [change] = await feed(scope);
    expect(change).toMatchObject({
      itemId: target.id,
      kind: 'updated',
      versionBefore: target.currentVersionId,
      changedBy: { kind: 'user', userPrincipalName: 'adele.vance@adatum.example' },
      activity: expect.stringMatching(/^Patch /),
      source: 'watch',
    });
    expect(change.versionAfter).not.toBe(target.currentVersionId);
    expect(change.links.diff).toContain(`from=${target.currentVersionId}`);
    const diff = await api('GET', change.links.diff.replace(/^\/api/, ''), { as: 'rita' });
    expect(diff.status, diff.text).toBe(200);
    expect(diff.body.changes).toContainEqual(
      expect.objectContaining({ path: '/object/description', after: 'Changed in the portal by Adele' }),
    );
    const version = await api('GET', change.links.versionAfter.replace(/^\/api/, ''), { as: 'rita' });
    expect(version.status, version.text).toBe(200);
    expect(version.body.attribution).toMatchObject({
      changedBy: { kind: 'user', userPrincipalName: 'adele.vance@adatum.example' },
      activity: expect.stringMatching(/^Patch /),
    });
    const history = await api('GET', `${scope.base}/inventory/${target.id}/versions`, { as: 'rita' });
    expect(history.body.items.map((entry: { attribution: unknown }) => entry.attribution)).toEqual([
      expect.objectContaining({ changedBy: expect.objectContaining({ kind: 'user' }) }),
      { changedBy: { kind: 'unknown', reason: 'found_by_full_sync' }, activity: null, activityAt: null },
    ]);
    expect((await itemOf(target.graphId))!.currentVersionId).toBe(change.versionAfter);
    expect(await feed(scope, 'actor=ADELE.VANCE@adatum.example')).toHaveLength(1);
    expect(await feed(scope, 'actor=someone@else.example')).toHaveLength(0);
  });

  it('a new change is pushed to the tenant group and published as an inventory.changed event', async () => {
    const received: Array<{ id: string; kind: string; changedBy: { userPrincipalName?: string } }> = [];
    const connection = new HubConnectionBuilder()
      .withUrl(cloud().functions.apiBaseUrl, { accessTokenFactory: () => tokenOf('rita') })
      .configureLogging(LogLevel.None)
      .build();
    connection.on('inventoryChanged', (change: (typeof received)[number]) => {
      received.push(change);
    });
    await connection.start();
    try {
      const subscribed = await api('POST', `/workspaces/${scope.workspaceId}/live/subscribe`, {
        as: 'rita',
        body: { tenantIds: [scope.tenantId] },
      });
      expect(subscribed.status, subscribed.text).toBe(200);
      const target = (await allItems(scope)).find((item) => item.policyType === 'groupPolicyConfigurations')!;
      await adminChange({
        action: 'update',
        collection: '/deviceManagement/groupPolicyConfigurations',
        id: target.graphId,
        actor: 'megan.bowen@adatum.example',
        patch: { description: 'Pushed live' },
      });
      expect((await watchNow(scope)).result).toMatchObject({ changes: 1 });
      const [change] = await feed(scope, 'type=groupPolicyConfigurations');
      const pushed = await eventually(async () => received.find((c) => c.id === change.id));
      expect(pushed).toMatchObject({
        kind: 'updated',
        changedBy: { userPrincipalName: 'megan.bowen@adatum.example' },
      });
      const event = await eventually(async () =>
        (await topicMessages()).find((m) => m.body.eventId === change.id),
      );
      expect(event.body).toMatchObject({
        type: 'inventory.changed',
        tenantId: scope.tenantId,
        itemId: target.id,
        versionAfter: change.versionAfter,
      });
    } finally {
      await connection.stop();
    }
  });

  it('a change by another app shows the app', async () => {
    const items = await allItems(scope);
    const target = items.find((item) => item.policyType === 'deviceCompliancePolicies')!;
    const app = await otherApp('Adatum Automation');
    await app.graph('PATCH', `/beta/deviceManagement/deviceCompliancePolicies/${target.graphId}`, {
      '@odata.type': target.odataType,
      description: 'Set by the automation',
    });
    const run = await watchNow(scope);
    expect(run.result).toMatchObject({ changes: 1, updated: 1 });
    const [change] = await feed(scope, 'type=deviceCompliancePolicies');
    expect(change).toMatchObject({
      itemId: target.id,
      kind: 'updated',
      changedBy: { kind: 'app', appId: app.clientId, displayName: 'Adatum Automation' },
    });
  });

  it('a delete and an assignment-only change are attributed too', async () => {
    const items = await allItems(scope);
    const configurations = items.filter((item) => item.policyType === 'deviceConfigurations');
    const deleted = configurations.at(-1)!;
    const assigned = configurations.at(-2)!;
    await adminChange({
      action: 'delete',
      collection: '/deviceManagement/deviceConfigurations',
      id: deleted.graphId,
      actor: 'nestor.wilke@adatum.example',
    });
    await adminChange({
      action: 'assign',
      collection: '/deviceManagement/deviceConfigurations',
      id: assigned.graphId,
      actor: 'alex.wilber@adatum.example',
      assignments: [{ target: { '@odata.type': '#microsoft.graph.allLicensedUsersAssignmentTarget' } }],
    });
    const run = await watchNow(scope);
    expect(run.result).toMatchObject({ changes: 2, deleted: 1, assignmentsChanged: 1 });
    const byItem = new Map((await feed(scope)).map((change) => [change.itemId, change]));
    expect(byItem.get(deleted.id)).toMatchObject({
      kind: 'deleted',
      versionBefore: deleted.currentVersionId,
      versionAfter: null,
      changedBy: { kind: 'user', userPrincipalName: 'nestor.wilke@adatum.example' },
    });
    expect(byItem.get(assigned.id)).toMatchObject({
      kind: 'assignments_changed',
      changedBy: { kind: 'user', userPrincipalName: 'alex.wilber@adatum.example' },
    });
    expect((await itemOf(deleted.graphId))!.removedAt).toEqual(expect.any(String));
    expect(await feed(scope, 'kind=deleted')).toHaveLength(1);
  });

  it('a new object is found through its audit record, with its creator', async () => {
    const source = (await allItems(scope)).find((item) => item.policyType === 'configurationPolicies')!;
    const created = await adminChange({
      action: 'create',
      collection: '/deviceManagement/configurationPolicies',
      id: source.graphId,
      actor: 'megan.bowen@adatum.example',
    });
    const run = await watchNow(scope);
    expect(run.result).toMatchObject({ changes: 1, created: 1 });
    const [change] = await feed(scope, 'kind=created');
    expect(change).toMatchObject({
      graphId: created.id,
      policyType: 'configurationPolicies',
      versionBefore: null,
      changedBy: { kind: 'user', userPrincipalName: 'megan.bowen@adatum.example' },
    });
  });

  it('a conditional access change is read from the Entra log, with the admin display name', async () => {
    const policy = (await allItems(scope)).find((item) => item.policyType === 'conditionalAccessPolicies')!;
    await adminChange({
      action: 'update',
      collection: '/identity/conditionalAccess/policies',
      id: policy.graphId,
      actor: 'adele.vance@adatum.example',
      patch: { displayName: `${policy.displayName} (reviewed)` },
    });
    const run = await watchNow(scope);
    expect(run.result).toMatchObject({ changes: 1, updated: 1, records: { entra: 1 } });
    const [change] = await feed(scope, 'type=conditionalAccessPolicies');
    expect(change).toMatchObject({
      itemId: policy.id,
      changedBy: {
        kind: 'user',
        userPrincipalName: 'adele.vance@adatum.example',
        displayName: 'Adele Vance',
      },
      activity: 'Update conditional access policy',
    });
  });

  it('a record arriving late (inside the overlap) is not missed and not doubled', async () => {
    await control('PATCH', `/tenants/${TENANT}/realism`, { audit: { delaySeconds: 4 } });
    try {
      const target = (await allItems(scope)).find((item) => item.policyType === 'deviceManagementScripts')!;
      await adminChange({
        action: 'update',
        collection: '/deviceManagement/deviceManagementScripts',
        id: target.graphId,
        actor: 'adele.vance@adatum.example',
        patch: { description: 'Late audit record' },
      });
      // The record is not in the log yet: the watch sees nothing, and its watermark moves past the change.
      const early = await watchNow(scope);
      expect(early.result).toMatchObject({ changes: 0 });
      await new Promise((resolve) => setTimeout(resolve, 4500));
      const late = await watchNow(scope);
      expect(late.result).toMatchObject({ changes: 1, updated: 1 });
      const again = await watchNow(scope);
      expect(again.result).toMatchObject({ changes: 0 });
      expect(await feed(scope, 'type=deviceManagementScripts')).toHaveLength(1);
    } finally {
      await control('PATCH', `/tenants/${TENANT}/realism`, { audit: { delaySeconds: 0 } });
    }
  });

  it('a full sync after the watches finds no change they had not seen', async () => {
    const run = await sync(scope);
    expect(run.outcome).toBe('succeeded');
    expect(run.result.totals, JSON.stringify(run.result.types)).toMatchObject({
      new: 0,
      changed: 0,
      removed: 0,
      restored: 0,
    });
    expect(run.result.changesNotSeenByWatch).toBe(0);
  });

  it('without the audit permission the watch fails with provider_permission_denied; syncs go on', async () => {
    const { clientId } = simulatedTenant(TENANT);
    await control('DELETE', `/tenants/${TENANT}/apps/${clientId}/permissions/AuditLog.Read.All`);
    try {
      const run = await watchNow(scope);
      expect(run.outcome).toBe('failed');
      expect(run.failures[0].reasonCode).toBe('provider_permission_denied');
      const watch = await api('GET', `${scope.base}/watch`, { as: 'rita' });
      expect(watch.body.lastFailure).toBe('provider_permission_denied');
      expect((await sync(scope)).outcome).toBe('succeeded');
    } finally {
      await control('POST', `/tenants/${TENANT}/apps/${clientId}/permissions`, {
        permission: 'AuditLog.Read.All',
      });
    }
  });
});

describe('the watch timer', () => {
  it('starts the watch of a tenant whose time has come, once per slot (hourly after a permission failure)', async () => {
    const before = await api('GET', `${scope.base}/watch`, { as: 'rita' });
    const on = await api('PATCH', `${scope.base}/watch`, { as: 'alice', body: { enabled: true } });
    expect(on.status, on.text).toBe(200);
    // nextDueAt is long past: the next minute's tick starts one run for the current slot.
    const watched = await eventually(
      async () => {
        const state = await api('GET', `${scope.base}/watch`, { as: 'rita' });
        return state.body.lastRunId !== before.body.lastRunId && state.body.nextDueAt > before.body.nextDueAt
          ? state.body
          : undefined;
      },
      90_000,
      1000,
    );
    const run = await finished(watched.lastRunId);
    expect(run).toMatchObject({
      type: 'inventory.watch',
      outcome: 'succeeded',
      initiator: { kind: 'system' },
    });
    // The tenant's last watch lacked the audit permission (the test before): the next try is an hour
    // after this slot, not an interval; this watch succeeded, so the one after is on the interval again.
    expect(Date.parse(watched.nextDueAt) - Date.parse(run.context.slot)).toBe(60 * 60_000);
    expect((await api('GET', `${scope.base}/watch`, { as: 'rita' })).body.lastFailure).toBeNull();
    await api('PATCH', `${scope.base}/watch`, { as: 'alice', body: { enabled: false } });
  }, 120_000);
});

describe('the change watch under at-least-once execution', () => {
  it('plan, apply and finish run twice, and an item write lost in between, leave one version and one change', async () => {
    const harness = watchHarness(TENANT);
    const baseline = harness.newRun('inventory.sync');
    const read = await harness.inventory.syncPolicyType({
      runId: baseline.id,
      policyType: 'deviceConfigurations',
    });
    expect(read.status).toBe('succeeded');
    await harness.watch.ensureState({ ...baseline, startedAt: new Date().toISOString() });
    const target = read.versions[0]!;
    await adminChange({
      action: 'update',
      collection: '/deviceManagement/deviceConfigurations',
      id: target.graphId,
      actor: 'adele.vance@adatum.example',
      patch: { description: 'At least once' },
    });

    const run = harness.newRun('inventory.watch');
    const plan = await harness.watch.plan(run.id);
    expect(plan).toMatchObject({ targets: 1, batches: 1 });
    expect(await harness.watch.plan(run.id)).toEqual(plan);

    const itemBefore = await harness.container.item(target.itemId, harness.tenantId).read();
    const first = await harness.watch.apply({ runId: run.id, batch: 0 });
    expect(first).toMatchObject({ updated: 1, unchanged: 0 });
    // The same step again: the item is current already, the count stays.
    expect(await harness.watch.apply({ runId: run.id, batch: 0 })).toEqual(first);
    // The step's item write is lost (the activity died after the change record): the retry redoes it.
    await harness.container.items.upsert(itemBefore.resource!);
    expect(await harness.watch.apply({ runId: run.id, batch: 0 })).toEqual(first);

    const completion = await harness.watch.finish({ runId: run.id, totals: first });
    expect(await harness.watch.finish({ runId: run.id, totals: first })).toEqual(completion);
    expect(completion).toMatchObject({
      outcome: 'succeeded',
      result: { changes: 1, watermarkAdvanced: true },
    });

    const item = (await harness.inventory.queries.item(harness.tenantId, target.itemId)) as {
      currentVersionId: string;
      versionCount: number;
    };
    expect(item.versionCount).toBe(2);
    const { items: changes } = await harness.watch.changes.list({
      tenantId: harness.tenantId,
      limit: 50,
    });
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      versionBefore: target.versionId,
      versionAfter: item.currentVersionId,
      changedBy: { kind: 'user', userPrincipalName: 'adele.vance@adatum.example' },
    });
    const version = await harness.inventory.readVersion(harness.tenantId, item.currentVersionId);
    expect(version?.attribution?.changedBy).toMatchObject({
      userPrincipalName: 'adele.vance@adatum.example',
    });
    const state = await harness.watch.state(harness.tenantId);
    expect(state?.watermark).toBe((completion.result as { window: { to: string } }).window.to);
  });
});
