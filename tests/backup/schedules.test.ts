import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import {
  cadenceSchema,
  fireTimeText,
  latestFireAtOrBefore,
  nextFireAfter,
} from '../../shared/schedules/cadence';
import { api, demoUser, freshWorkspace } from '../support/api';
import { call, cloud, eventually } from '../support/http';
import { cosmosContainer, finished, invokeTimer, runsOfSchedule, setNextRunAt, sleep } from './support';

const SCHEDULER = 'backupScheduler';

/** A daily cadence whose slot today was `minutesAgo` minutes ago (UTC, so the test is the same all year). */
function dailyCadenceEndedAgo(minutesAgo: number) {
  const at = new Date(Date.now() - minutesAgo * 60_000);
  const timeOfDay = at.toISOString().slice(11, 16);
  return cadenceSchema.parse({ frequency: 'daily', timeOfDay, timeZone: 'UTC' });
}

async function createSchedule(base: string, body: Record<string, unknown>) {
  const created = await api('POST', `${base}/backup-schedules`, { as: 'mike', body });
  expect(created.status, created.text).toBe(201);
  return created.body;
}

/** A fresh tenant with one daily schedule (saved by mike) due at its slot of `minutesAgo` minutes ago. */
async function dueSchedule(label: string, minutesAgo: number) {
  const { workspaceId, tenantId } = await freshWorkspace(label);
  const base = `/workspaces/${workspaceId}/tenants/${tenantId}`;
  const cadence = dailyCadenceEndedAgo(minutesAgo);
  const schedule = await createSchedule(base, { name: label, cadence, retention: { keepLast: 3 } });
  const slot = latestFireAtOrBefore(cadence, new Date());
  await setNextRunAt(tenantId, schedule.id, slot);
  return { workspaceId, tenantId, base, cadence, schedule, slot };
}

/** Waits until the scheduler has handled the schedule (its nextRunAt moved past `slot`), then a little longer. */
async function settled(base: string, scheduleId: string, slot: Date) {
  await eventually(async () => {
    const schedule = await api('GET', `${base}/backup-schedules/${scheduleId}`, { as: 'rita' });
    return Date.parse(schedule.body.nextRunAt) > slot.getTime() ? true : undefined;
  });
  // Both racing ticks have claimed or skipped by now; give the slower one time to finish writing.
  await sleep(1500);
}

describe('backup schedules: the API', () => {
  it('a manager creates, reads, changes and deletes a schedule; nextRunAt follows the cadence', async () => {
    const { workspaceId, tenantId } = await freshWorkspace('Schedules CRUD');
    const base = `/workspaces/${workspaceId}/tenants/${tenantId}`;
    const cadence = {
      frequency: 'weekly',
      daysOfWeek: ['sun', 'wed'],
      timeOfDay: '02:30',
      timeZone: 'Europe/Berlin',
    };
    const created = await createSchedule(base, {
      name: 'Twice a week',
      cadence,
      retention: { keepLast: 5, keepDays: 30 },
    });
    expect(created).toMatchObject({
      name: 'Twice a week',
      enabled: true,
      cadence: { ...cadence, daysOfWeek: ['sun', 'wed'] },
      owner: { userId: demoUser('mike').oid },
      selection: { policyTypes: [], categories: [], includeFoundations: true, includeDependencies: true },
      lastRun: null,
    });
    expect(created.nextRunAt).toBe(
      nextFireAfter(cadenceSchema.parse(cadence), new Date(created.createdAt)).toISOString(),
    );
    const listed = await api('GET', `${base}/backup-schedules`, { as: 'rita' });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((s: { id: string }) => s.id)).toEqual([created.id]);

    const disabled = await api('PATCH', `${base}/backup-schedules/${created.id}`, {
      as: 'alice',
      body: { enabled: false },
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({
      enabled: false,
      nextRunAt: null,
      owner: { userId: demoUser('alice').oid },
    });
    const enabled = await api('PATCH', `${base}/backup-schedules/${created.id}`, {
      as: 'mike',
      body: {
        enabled: true,
        cadence: { frequency: 'daily', timeOfDay: '23:45', timeZone: 'America/New_York' },
      },
    });
    expect(enabled.body.nextRunAt).toBe(
      nextFireAfter(enabled.body.cadence, new Date(enabled.body.updatedAt)).toISOString(),
    );
    expect(enabled.body.owner.userId).toBe(demoUser('mike').oid);

    expect((await api('POST', `${base}/backup-schedules`, { as: 'olga', body: { name: 'x' } })).status).toBe(
      403,
    );
    const removed = await api('DELETE', `${base}/backup-schedules/${created.id}`, { as: 'mike' });
    expect(removed.status).toBe(204);
    const gone = await api('GET', `${base}/backup-schedules/${created.id}`, { as: 'mike' });
    expect(gone.status).toBe(404);
    expect(gone.body.detail).toBe('The backup schedule was not found.');

    const audit = await api('GET', `/workspaces/${workspaceId}/audit?tenantId=${tenantId}&limit=50`, {
      as: 'alice',
    });
    const actions = audit.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['backup_schedule.create', 'backup_schedule.update', 'backup_schedule.delete']),
    );
  });

  it('rejects unknown zones, impossible times, weekly without days and retention without a rule', async () => {
    const { workspaceId, tenantId } = await freshWorkspace('Schedules validation');
    const base = `/workspaces/${workspaceId}/tenants/${tenantId}`;
    const valid = {
      name: 'v',
      cadence: { frequency: 'daily', timeOfDay: '02:30', timeZone: 'Europe/Berlin' },
      retention: { keepLast: 3 },
    };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...valid, cadence: { ...valid.cadence, timeZone: 'Europe/Atlantis' } }, 'body.cadence.timeZone'],
      [{ ...valid, cadence: { ...valid.cadence, timeOfDay: '25:00' } }, 'body.cadence.timeOfDay'],
      [{ ...valid, cadence: { ...valid.cadence, frequency: 'weekly' } }, 'body.cadence.daysOfWeek'],
      [{ ...valid, retention: {} }, 'body.retention'],
      [{ ...valid, selection: { policyTypes: ['noSuchType'] } }, 'body.selection.policyTypes.0'],
    ];
    for (const [body, path] of cases) {
      const response = await api('POST', `${base}/backup-schedules`, { as: 'mike', body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
  });

  it('refuses to start a scheduled backup through the start route: only the scheduler does', async () => {
    const { workspaceId, tenantId } = await freshWorkspace('Scheduled is internal');
    const response = await api('POST', `/workspaces/${workspaceId}/tenants/${tenantId}/operations`, {
      as: 'alice',
      body: { type: 'backup_schedule.scheduled', scheduleId: 'x', scheduledFor: '2025-01-01T00:00:00Z' },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).not.toContain('backup_schedule.scheduled');
  });
});

describe('backup schedules: the scheduler', () => {
  it('two concurrent timer invocations start one run for a due slot, and a later one none', async () => {
    const { workspaceId, tenantId, base, cadence, schedule, slot } = await dueSchedule(
      'Scheduler exactly once',
      2,
    );

    await Promise.all([invokeTimer(SCHEDULER), invokeTimer(SCHEDULER)]);
    await settled(base, schedule.id, slot);
    const runs = await runsOfSchedule(workspaceId, schedule.id);
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    const scheduledFor = fireTimeText(slot);
    const instanceId = `backup-schedule:${schedule.id}:${scheduledFor}`;
    expect(run).toMatchObject({
      type: 'backup_schedule.scheduled',
      instanceId,
      initiator: { kind: 'schedule', scheduleId: schedule.id },
      context: { scheduleId: schedule.id, scheduledFor, ownerUserId: demoUser('mike').oid },
    });
    const after = await api('GET', `${base}/backup-schedules/${schedule.id}`, { as: 'rita' });
    expect(after.body.nextRunAt).toBe(nextFireAfter(cadence, slot).toISOString());
    await finished(run.id);
    // The schedule's owner (mike saved it) is told about the scheduled run, as an initiator would be.
    const notified = await eventually(async () => {
      const mine = await api('GET', '/me/notifications', { as: 'mike' });
      const kinds = mine.body.items
        .filter((n: { runId: string }) => n.runId === run.id)
        .map((n: { kind: string }) => n.kind);
      return kinds.includes('run.ended') ? kinds : undefined;
    });
    expect(notified.sort()).toEqual(['run.ended', 'run.queued']);
    const instance = await call(
      'GET',
      `/runtime/webhooks/durabletask/instances/${encodeURIComponent(instanceId)}?code=${cloud().functions.masterKey}`,
    );
    expect(instance.json.runtimeStatus).toBe('Completed');

    // A third invocation later: the slot is done, nothing is due.
    await invokeTimer(SCHEDULER);
    await sleep(1500);
    expect(await runsOfSchedule(workspaceId, schedule.id)).toHaveLength(1);

    // Even a host that still sees the old nextRunAt (rewound here) makes no second run, and the finished
    // Durable instance is not restarted.
    await setNextRunAt(tenantId, schedule.id, slot);
    await invokeTimer(SCHEDULER);
    await settled(base, schedule.id, slot);
    expect(await runsOfSchedule(workspaceId, schedule.id)).toHaveLength(1);
    const again = await call(
      'GET',
      `/runtime/webhooks/durabletask/instances/${encodeURIComponent(instanceId)}?code=${cloud().functions.masterKey}`,
    );
    expect(again.json).toMatchObject({ runtimeStatus: 'Completed', createdTime: instance.json.createdTime });

    const view = await api('GET', `${base}/backup-schedules/${schedule.id}`, { as: 'rita' });
    expect(view.body.lastRun).toMatchObject({ runId: run.id, status: 'completed', scheduledFor });

    // With the run document gone (removed by hand), the conditional create succeeds again — and the
    // instance check still refuses to restart the finished orchestration: the new run fails at once.
    await cosmosContainer('runs').item(run.id, run.id).delete();
    await setNextRunAt(tenantId, schedule.id, slot);
    await invokeTimer(SCHEDULER);
    await settled(base, schedule.id, slot);
    const [refused, ...others] = await runsOfSchedule(workspaceId, schedule.id);
    expect(others).toEqual([]);
    expect(refused).toMatchObject({
      id: run.id,
      status: 'completed',
      outcome: 'failed',
      failures: [{ reasonCode: 'dispatch_failed', message: 'This start already ran; it is not run again.' }],
    });
    const untouched = await call(
      'GET',
      `/runtime/webhooks/durabletask/instances/${encodeURIComponent(instanceId)}?code=${cloud().functions.masterKey}`,
    );
    expect(untouched.json).toMatchObject({
      runtimeStatus: 'Completed',
      createdTime: instance.json.createdTime,
    });
  });

  it('racing ticks at the minute of the slot: one run, and its claimer advances the schedule', async () => {
    // The slot of the minute now running: the tick that lost the claim leaves the schedule to the winner
    // (nothing else would move it on within the minute).
    const { workspaceId, base, cadence, schedule, slot } = await dueSchedule('Scheduler at the minute', 0);
    await Promise.all([invokeTimer(SCHEDULER), invokeTimer(SCHEDULER)]);
    await settled(base, schedule.id, slot);
    const runs = await runsOfSchedule(workspaceId, schedule.id);
    expect(runs).toHaveLength(1);
    const after = await api('GET', `${base}/backup-schedules/${schedule.id}`, { as: 'rita' });
    expect(after.body.nextRunAt).toBe(nextFireAfter(cadence, slot).toISOString());
    await finished(runs[0]!.id);
  });

  it('after downtime past three missed slots, catches up with one run for the latest', async () => {
    const { workspaceId, tenantId } = await freshWorkspace('Scheduler catch-up');
    const base = `/workspaces/${workspaceId}/tenants/${tenantId}`;
    const cadence = dailyCadenceEndedAgo(10);
    const schedule = await createSchedule(base, { name: 'Nightly', cadence, retention: { keepDays: 7 } });
    const latest = latestFireAtOrBefore(cadence, new Date());
    // The scheduler last ran three days ago: the slots of three days ago, two, one and today are due.
    const threeDaysAgo = new Date(latest.getTime() - 3 * 86_400_000);
    await setNextRunAt(tenantId, schedule.id, threeDaysAgo);

    await invokeTimer(SCHEDULER);
    await settled(base, schedule.id, latest);
    const runs = await runsOfSchedule(workspaceId, schedule.id);
    expect(runs.map((r) => r.context.scheduledFor)).toEqual([fireTimeText(latest)]);
    const after = await api('GET', `${base}/backup-schedules/${schedule.id}`, { as: 'rita' });
    expect(after.body.nextRunAt).toBe(nextFireAfter(cadence, latest).toISOString());
  });

  it('skips disabled schedules and schedules of archived tenants', async () => {
    const { workspaceId, tenantId } = await freshWorkspace('Scheduler skips');
    const base = `/workspaces/${workspaceId}/tenants/${tenantId}`;
    const cadence = dailyCadenceEndedAgo(3);
    const slot = latestFireAtOrBefore(cadence, new Date());
    const disabled = await createSchedule(base, {
      name: 'Disabled',
      cadence,
      retention: { keepLast: 1 },
      enabled: false,
    });
    expect(disabled.nextRunAt).toBeNull();
    // Even with a fire time left in the past, a disabled schedule does not run.
    await setNextRunAt(tenantId, disabled.id, slot);
    const archived = await createSchedule(base, { name: 'Archived', cadence, retention: { keepLast: 1 } });
    await setNextRunAt(tenantId, archived.id, slot);
    expect((await api('PATCH', base, { as: 'alice', body: { status: 'archived' } })).status).toBe(200);
    await invokeTimer(SCHEDULER);
    await settled(base, archived.id, slot);
    expect(await runsOfSchedule(workspaceId, archived.id)).toHaveLength(0);
    expect(await runsOfSchedule(workspaceId, disabled.id)).toHaveLength(0);
  });
});

describe('backup schedules: run now and click tokens', () => {
  it('two clicks are two runs; the same click token submitted twice is one', async () => {
    const { workspaceId, tenantId } = await freshWorkspace('Run now');
    const base = `/workspaces/${workspaceId}/tenants/${tenantId}`;
    const schedule = await createSchedule(base, {
      name: 'Manual too',
      cadence: { frequency: 'daily', timeOfDay: '03:00', timeZone: 'UTC' },
      retention: { keepLast: 10 },
    });
    const runNow = `${base}/backup-schedules/${schedule.id}/run-now`;

    const first = await api('POST', runNow, { as: 'olga', body: {} });
    expect(first.status).toBe(202);
    expect(first.body.run).toMatchObject({
      type: 'backup_schedule.run_now',
      initiator: { kind: 'user', userId: demoUser('olga').oid },
      context: { scheduleId: schedule.id },
    });
    await finished(first.body.run.id);
    const second = await api('POST', runNow, { as: 'olga', body: {} });
    expect(second.status).toBe(202);
    expect(second.body.run.id).not.toBe(first.body.run.id);
    await finished(second.body.run.id);

    // A double submit of one click, at once and again after the run has ended: one run.
    const clickToken = `click-${Date.now()}`;
    const [a, b] = await Promise.all([
      api('POST', runNow, { as: 'olga', body: { clickToken } }),
      api('POST', runNow, { as: 'olga', body: { clickToken } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 202]);
    expect(a.body.run.id).toBe(b.body.run.id);
    await finished(a.body.run.id);
    const late = await api('POST', runNow, { as: 'olga', body: { clickToken } });
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ deduplicated: true, run: { id: a.body.run.id } });

    expect(await runsOfSchedule(workspaceId, schedule.id)).toHaveLength(3);
    expect((await api('POST', runNow, { as: 'rita', body: {} })).status).toBe(403);
    const unknown = await api('POST', `${base}/backup-schedules/no-such-schedule/run-now`, {
      as: 'olga',
      body: {},
    });
    expect(unknown.status).toBe(404);
  });

  it("retry repeats the schedule's failed run; with nothing failed there is nothing to retry", async () => {
    const { workspaceId, tenantId } = await freshWorkspace('Retry');
    const base = `/workspaces/${workspaceId}/tenants/${tenantId}`;
    const schedule = await createSchedule(base, {
      name: 'No connection yet',
      cadence: { frequency: 'daily', timeOfDay: '04:00', timeZone: 'UTC' },
      retention: { keepLast: 10 },
    });
    const retry = `${base}/backup-schedules/${schedule.id}/retry`;
    const nothing = await api('POST', retry, { as: 'olga', body: {} });
    expect(nothing.status).toBe(409);
    expect(nothing.body.code).toBe('nothing_to_retry');

    // The tenant has no provider connection: the backup fails at once, before reading anything.
    const first = await api('POST', `${base}/backup-schedules/${schedule.id}/run-now`, {
      as: 'olga',
      body: {},
    });
    const failed = await finished(first.body.run.id);
    expect(failed).toMatchObject({
      outcome: 'failed',
      failures: [{ reasonCode: 'provider_not_configured' }],
    });
    const view = await api('GET', `${base}/backup-schedules/${schedule.id}`, { as: 'rita' });
    expect(view.body.lastRun).toMatchObject({ runId: failed.id, outcome: 'failed' });

    const retried = await api('POST', retry, { as: 'olga', body: { clickToken: 'retry-click-1' } });
    expect(retried.status).toBe(202);
    expect(retried.body.run).toMatchObject({
      type: 'backup_schedule.retry',
      context: { scheduleId: schedule.id, retryOf: failed.id, clickToken: 'retry-click-1' },
    });
    await finished(retried.body.run.id);
    expect((await api('POST', retry, { as: 'olga', body: { clickToken: 'retry-click-1' } })).status).toBe(
      200,
    );
    const backups = await api('GET', `${base}/backups`, { as: 'rita' });
    expect(backups.body.items).toEqual([]);

    // A set a run left "in progress" when it died can still be deleted once that run has ended.
    await cosmosContainer('backups').items.create({
      id: `abandoned-${failed.id}`,
      kind: 'backupSet',
      workspaceId,
      tenantId,
      name: 'Abandoned',
      selection: { policyTypes: [], categories: [], includeFoundations: true, includeDependencies: true },
      runId: failed.id,
      runType: failed.type,
      scheduleId: schedule.id,
      scheduledFor: null,
      retryOf: null,
      initiator: failed.initiator,
      status: 'in_progress',
      pinned: false,
      counts: { total: 0, byType: {} },
      failedTypes: [],
      createdAt: failed.createdAt,
      completedAt: null,
    });
    const removed = await api('DELETE', `${base}/backups/abandoned-${failed.id}`, { as: 'mike' });
    expect(removed.status).toBe(204);
  });

  it('the scheduler tick is logged with isPastDue', async () => {
    const { workspaceId, tenantId } = await freshWorkspace('Scheduler log');
    const base = `/workspaces/${workspaceId}/tenants/${tenantId}`;
    const cadence = dailyCadenceEndedAgo(4);
    const slot = latestFireAtOrBefore(cadence, new Date());
    const schedule = await createSchedule(base, { name: 'Logged', cadence, retention: { keepLast: 1 } });
    await setNextRunAt(tenantId, schedule.id, slot);
    await invokeTimer(SCHEDULER);
    await settled(base, schedule.id, slot);
    const ticks = readFileSync(inject('cloudFiles').logFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('backupScheduler tick'))
      .map((line) => JSON.parse(line.slice(line.indexOf('{'))));
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks.at(-1)).toMatchObject({ isPastDue: false, errors: 0 });
  });
});
