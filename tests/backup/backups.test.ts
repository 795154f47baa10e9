import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventType } from '../../emulators/durable/history';
import { cadenceSchema, latestFireAtOrBefore } from '../../shared/schedules/cadence';
import { backupRunOrchestrator, backupScheduledOrchestrator } from '../../orchestrations/backup/orchestrator';
import { OwnCloud } from './own-cloud';
import { expectDeterministic, instanceState } from '../support/replay';

/**
 * Backups against a cloud of their own: these tests change objects of the simulated Microsoft tenant
 * and shorten how long a scheduled backup waits for a busy tenant (BACKUP_SCOPE_WAIT_SECONDS).
 */
const SCOPE_WAIT_SECONDS = 6;
let cloud: OwnCloud;

beforeAll(async () => {
  cloud = await OwnCloud.start({ BACKUP_SCOPE_WAIT_SECONDS: String(SCOPE_WAIT_SECONDS) });
});

afterAll(async () => {
  await cloud?.stop();
});

async function startBackup(base: string, body: Record<string, unknown> = {}) {
  const started = await cloud.api('POST', `${base}/operations`, {
    as: 'olga',
    body: { type: 'backup.run', ...body },
  });
  expect(started.status, started.text).toBe(202);
  return cloud.finished(started.body.run.id);
}

async function runNow(base: string, scheduleId: string) {
  const started = await cloud.api('POST', `${base}/backup-schedules/${scheduleId}/run-now`, {
    as: 'mike',
    body: {},
  });
  expect(started.status, started.text).toBe(202);
  const run = await cloud.finished(started.body.run.id);
  expect(run.outcome, JSON.stringify(run.failures)).toBe('succeeded');
  return run;
}

describe('backup sets', () => {
  it('a manual backup pins every object with per-type counts; backing up the unchanged tenant again adds no versions', async () => {
    const { base, tenantId, workspaceId } = await cloud.connectedTenant('Backup contents', 'fabrikam');
    const first = await startBackup(base, { name: 'Before the change window' });
    expect(first.outcome, JSON.stringify(first.failures)).toBe('succeeded');
    expect(first.result).toMatchObject({ backupSetId: first.id });
    expect(first.result.items).toBeGreaterThan(100);
    expect(first.result.newVersions).toBeGreaterThan(0);

    const list = await cloud.api('GET', `${base}/backups`, { as: 'olga' });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const set = list.body.items[0];
    expect(set).toMatchObject({
      id: first.id,
      name: 'Before the change window',
      status: 'complete',
      pinned: false,
      runType: 'backup.run',
      scheduleId: null,
      initiator: { kind: 'user', userId: cloud.oid('olga') },
      counts: { total: first.result.items },
    });
    expect(set.counts.byType.deviceConfigurations).toBeGreaterThan(0);
    expect(set.counts.byType.groups).toBeGreaterThan(0);
    const total = Object.values(set.counts.byType as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total).toBe(set.counts.total);

    const items = await cloud.backupItems(base, set.id);
    expect(items).toHaveLength(set.counts.total);
    expect(items.every((item) => item.versionId && item.graphId && item.policyType)).toBe(true);
    expect(items.filter((item) => item.displayName).length).toBe(items.length);
    const stored = new Set(await cloud.versionIds(tenantId));
    expect(items.every((item) => stored.has(item.versionId))).toBe(true);

    // The tenant has not changed: the second backup stores nothing new and pins the same versions.
    const second = await startBackup(base);
    expect(second.outcome).toBe('succeeded');
    expect(second.result.newVersions).toBe(0);
    expect((await cloud.versionIds(tenantId)).sort()).toEqual([...stored].sort());
    const again = await cloud.backupItems(base, second.id);
    expect(again.map((i) => i.versionId).sort()).toEqual(items.map((i) => i.versionId).sort());

    // The orchestration is deterministic: replayed after every event, it asks for what the run did.
    const recorded = await instanceState(cloud.instances(), first.instanceId);
    expect(await expectDeterministic(backupRunOrchestrator, recorded)).toBeGreaterThan(5);

    const other = await cloud.api(
      'GET',
      `/workspaces/${workspaceId}/tenants/${tenantId}/backups/no-such-set`,
      {
        as: 'rita',
      },
    );
    expect(other.status).toBe(404);
    expect(other.body.detail).toBe('The backup set was not found.');
  });

  it('retention prunes exactly the sets beyond keepLast, never a pinned one; unreferenced versions are collected, referenced ones never', async () => {
    const { base, tenantId } = await cloud.connectedTenant('Retention', 'fabrikam');
    const selection = {
      policyTypes: ['deviceConfigurations'],
      includeFoundations: false,
      includeDependencies: false,
    };
    const created = await cloud.api('POST', `${base}/backup-schedules`, {
      as: 'mike',
      body: {
        name: 'Keep two',
        selection,
        cadence: { frequency: 'daily', timeOfDay: '01:00', timeZone: 'Europe/Berlin' },
        retention: { keepLast: 2 },
      },
    });
    expect(created.status, created.text).toBe(201);
    const scheduleId = created.body.id as string;
    const collection = '/deviceManagement/deviceConfigurations';
    const changeObject = async (description: string, id?: string) =>
      (
        await cloud.control('/tenants/fabrikam/admin-changes', 'POST', {
          action: 'update',
          collection,
          ...(id ? { id } : { seed: 42 }),
          patch: { description },
        })
      ).changes[0].id as string;

    const s1 = await runNow(base, scheduleId);
    const pinned = await cloud.api('PATCH', `${base}/backups/${s1.id}`, {
      as: 'mike',
      body: { pinned: true },
    });
    expect(pinned.body.pinned).toBe(true);
    const objectId = await changeObject('second revision');
    const s2 = await runNow(base, scheduleId);
    expect(s2.result.newVersions).toBe(1);
    await changeObject('third revision', objectId);
    const s3 = await runNow(base, scheduleId);
    expect(s3.result.pruned).toBe(0);

    // Versions nothing references (left by an interrupted sync, or fallen out of an item's capped
    // history and out of every backup): one inline, one whose content was cut into chunks.
    const versions = cloud.container('policyVersions');
    const orphan = (id: string, chunks: number) => ({
      id,
      tenantId,
      docType: 'version',
      itemId: `deviceConfigurations:${id}`,
      policyType: 'deviceConfigurations',
      graphId: id,
      displayName: 'Orphan',
      odataType: null,
      contentHash: id,
      content: chunks ? null : { object: {}, subResources: {}, assignments: [] },
      chunks,
      size: 2,
      redactedPaths: [],
    });
    await versions.items.create(orphan('orphan-inline', 0));
    await versions.items.create(orphan('orphan-chunked', 2));
    for (const index of [0, 1])
      await versions.items.create({
        id: `orphan-chunked.chunk${index}`,
        tenantId,
        docType: 'versionChunk',
        versionId: 'orphan-chunked',
        index,
        data: '{}',
      });
    await new Promise((resolve) => setTimeout(resolve, 1100)); // written in an earlier second than the run

    const s4 = await runNow(base, scheduleId);
    expect(s4.result.pruned).toBe(1);
    expect(s4.result.collected).toBe(2);
    const remaining = await cloud.api('GET', `${base}/backups?scheduleId=${scheduleId}`, { as: 'mike' });
    expect(remaining.body.items.map((s: { id: string }) => s.id).sort()).toEqual(
      [s1.id, s3.id, s4.id].sort(),
    );

    const stored = new Set(await cloud.versionIds(tenantId));
    expect(stored.has('orphan-inline')).toBe(false);
    expect(stored.has('orphan-chunked')).toBe(false);
    const chunks = await versions.items
      .query({
        query: "SELECT VALUE c.id FROM c WHERE c.tenantId = @t AND c.docType = 'versionChunk'",
        parameters: [{ name: '@t', value: tenantId }],
      })
      .fetchAll();
    expect(chunks.resources).toEqual([]);
    // Everything a remaining set pins, and everything the inventory points at, is still stored —
    // including the revision only the pruned set had pinned, which the object's history still names.
    for (const set of [s1, s3, s4]) {
      for (const item of await cloud.backupItems(base, set.id)) expect(stored.has(item.versionId)).toBe(true);
    }
    const { resources: inventory } = await cloud
      .container('inventory')
      .items.query<{ currentVersionId: string; history: Array<{ versionId: string }> }>({
        query: "SELECT c.currentVersionId, c.history FROM c WHERE c.tenantId = @t AND c.docType = 'item'",
        parameters: [{ name: '@t', value: tenantId }],
      })
      .fetchAll();
    expect(inventory.length).toBeGreaterThan(0);
    for (const item of inventory) {
      expect(stored.has(item.currentVersionId)).toBe(true);
      for (const entry of item.history) expect(stored.has(entry.versionId)).toBe(true);
    }
    const { resources: prunedPages } = await cloud
      .container('backups')
      .items.query({
        query: "SELECT VALUE c.id FROM c WHERE c.tenantId = @t AND c.kind = 'backupPage' AND c.setId = @s",
        parameters: [
          { name: '@t', value: tenantId },
          { name: '@s', value: s2.id },
        ],
      })
      .fetchAll();
    expect(prunedPages).toEqual([]);

    // A pinned set is not deleted by hand either until it is unpinned; deletes are audited.
    const refused = await cloud.api('DELETE', `${base}/backups/${s1.id}`, { as: 'mike' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('backup_pinned');
    await cloud.api('PATCH', `${base}/backups/${s1.id}`, { as: 'mike', body: { pinned: false } });
    expect((await cloud.api('DELETE', `${base}/backups/${s1.id}`, { as: 'olga' })).status).toBe(403);
    expect((await cloud.api('DELETE', `${base}/backups/${s1.id}`, { as: 'mike' })).status).toBe(204);
    const workspaceId = base.split('/')[2];
    const audit = await cloud.api('GET', `/workspaces/${workspaceId}/audit?tenantId=${tenantId}&limit=100`, {
      as: 'alice',
    });
    const events = audit.body.items.map(
      (e: { action: string; target: { id: string } }) => `${e.action}:${e.target.id}`,
    );
    expect(events).toEqual(
      expect.arrayContaining([`backup.prune:${s2.id}`, `backup.pin:${s1.id}`, `backup.delete:${s1.id}`]),
    );
  });
});

describe('a scheduled backup and a busy tenant', () => {
  async function dueSchedule(base: string, tenantId: string) {
    const at = new Date(Date.now() - 3 * 60_000);
    const cadence = cadenceSchema.parse({
      frequency: 'daily',
      timeOfDay: at.toISOString().slice(11, 16),
      timeZone: 'UTC',
    });
    const created = await cloud.api('POST', `${base}/backup-schedules`, {
      as: 'mike',
      body: {
        name: 'Waits',
        cadence,
        selection: {
          policyTypes: ['deviceCompliancePolicies'],
          includeFoundations: false,
          includeDependencies: false,
        },
        retention: { keepLast: 3 },
      },
    });
    expect(created.status, created.text).toBe(201);
    const item = cloud.container('backups').item(created.body.id, tenantId);
    const { resource } = await item.read();
    await item.replace({ ...resource, nextRunAt: latestFireAtOrBefore(cadence, new Date()).toISOString() });
    return created.body.id as string;
  }

  /** A run that holds the tenant: a health check whose one Graph request takes a minute. */
  async function blocker(base: string) {
    await cloud.control('/tenants/contoso/realism', 'PATCH', { latency: { fixedMs: 60_000, jitterMs: 0 } });
    const started = await cloud.api('POST', `${base}/operations`, {
      as: 'olga',
      body: { type: 'provider.health_check' },
    });
    expect(started.status).toBe(202);
    return started.body.run.id as string;
  }

  async function scheduledRun(workspaceId: string, scheduleId: string) {
    for (let i = 0; i < 100; i++) {
      const runs = await cloud.api(
        'GET',
        `/operations?workspaceId=${workspaceId}&type=backup_schedule.scheduled&initiator=${scheduleId}`,
        { as: 'alice' },
      );
      if (runs.body.items.length > 0) return runs.body.items[0];
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('no scheduled run');
  }

  it('waits for the tenant while another run holds it, then backs up', async () => {
    const { base, tenantId, workspaceId } = await cloud.connectedTenant('Busy, then free', 'contoso');
    const scheduleId = await dueSchedule(base, tenantId);
    const blocking = await blocker(base);
    try {
      await cloud.invokeTimer('backupScheduler');
      const queued = await scheduledRun(workspaceId, scheduleId);
      for (let i = 0; i < 50; i++) {
        const run = await cloud.api('GET', `/operations/${queued.id}`, { as: 'alice' });
        if (run.body.progress?.startsWith('Waiting for the tenant')) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const waiting = await cloud.api('GET', `/operations/${queued.id}`, { as: 'alice' });
      expect(waiting.body).toMatchObject({
        status: 'queued',
        progress: expect.stringContaining('provider.health_check'),
      });
    } finally {
      await cloud.control('/tenants/contoso/realism', 'PATCH', { latency: { fixedMs: 0, jitterMs: 0 } });
      await cloud.api('POST', `/operations/${blocking}/cancel`, { as: 'olga' });
    }
    const run = await cloud.finished((await scheduledRun(workspaceId, scheduleId)).id);
    expect(run.outcome, JSON.stringify(run.failures)).toBe('succeeded');
    expect(run.result.items).toBeGreaterThan(0);
    // Replayed after every event, including the timers it waited with, it asks for what the run did.
    const state = await instanceState(cloud.instances(), run.instanceId);
    expect(state.history.some((event) => event.EventType === EventType.TimerFired)).toBe(true);
    expect(await expectDeterministic(backupScheduledOrchestrator, state)).toBeGreaterThan(5);
  });

  it('fails with scope_busy when the tenant stays busy past the bound', async () => {
    const { base, tenantId, workspaceId } = await cloud.connectedTenant('Busy for too long', 'contoso');
    const scheduleId = await dueSchedule(base, tenantId);
    const blocking = await blocker(base);
    try {
      await cloud.invokeTimer('backupScheduler');
      const run = await cloud.finished((await scheduledRun(workspaceId, scheduleId)).id, 60_000);
      expect(run).toMatchObject({ outcome: 'failed', failures: [{ reasonCode: 'scope_busy' }] });
      expect(run.failures[0].message).toContain('provider.health_check');
      expect(Date.parse(run.completedAt) - Date.parse(run.createdAt)).toBeGreaterThanOrEqual(
        SCOPE_WAIT_SECONDS * 1000,
      );
      const schedule = await cloud.api('GET', `${base}/backup-schedules/${scheduleId}`, { as: 'rita' });
      expect(schedule.body.lastRun).toMatchObject({ runId: run.id, outcome: 'failed' });
    } finally {
      await cloud.control('/tenants/contoso/realism', 'PATCH', { latency: { fixedMs: 0, jitterMs: 0 } });
      await cloud.api('POST', `/operations/${blocking}/cancel`, { as: 'olga' });
    }
  });
});
