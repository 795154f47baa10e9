import { operationCatalog } from '../../shared/app/catalog';
import { describe, expect, it } from 'vitest';
import { RunFanOut } from '../../shared/live/fan-out';
import type { RunLifecycleEvent } from '../../shared/live/run-events';
import type { RunNotification as Notification } from '../../shared/notifications/model';
import type { NotificationStore } from '../../shared/notifications/store';
import { EMPTY_COUNTS, type Run } from '../../shared/operations/model';

// The fan-out's rules without the local cloud: derived states, what is announced once, coalescing.

function run(overrides: Partial<Run> = {}): Run {
  return {
    id: 'run-1',
    type: 'test.progress',
    workspaceId: 'w1',
    tenantId: 't1',
    status: 'queued',
    outcome: 'pending',
    identityKey: 'k',
    context: {},
    initiator: { kind: 'user', userId: 'olga', displayName: 'Olga' },
    counts: EMPTY_COUNTS,
    failures: [],
    progress: null,
    result: null,
    instanceId: 'i1',
    createdAt: '2026-01-01T00:00:00.000Z',
    startedAt: null,
    completedAt: null,
    heartbeatAt: '2026-01-01T00:00:00.000Z',
    links: { self: '/api/operations/run-1', durableStatus: '/runtime/x' },
    ...overrides,
  };
}

const running = (processed: number, extra: Partial<Run> = {}) =>
  run({
    status: 'running',
    startedAt: '2026-01-01T00:00:01.000Z',
    progress: `step ${processed}`,
    counts: { ...EMPTY_COUNTS, total: 3, processed },
    ...extra,
  });
const completed = run({
  status: 'completed',
  outcome: 'failed',
  startedAt: '2026-01-01T00:00:01.000Z',
  completedAt: '2026-01-01T00:00:02.000Z',
  failures: [{ reasonCode: 'graph_error', message: 'Graph said no.' }],
});

function setup(options: { failPublishing?: number } = {}) {
  const notifications: Notification[] = [];
  const published: RunLifecycleEvent[] = [];
  const sleeps: number[] = [];
  let clock = 1_000_000;
  let failures = options.failPublishing ?? 0;
  const store = {
    createOnce: async (n: Notification) => {
      if (notifications.some((m) => m.id === n.id)) return false;
      notifications.push(n);
      return true;
    },
  } as unknown as NotificationStore;
  const fanOut = new RunFanOut({
    notifications: store,
    describe: operationCatalog.describe,
    publisher: {
      publish: async (events) => {
        if (failures-- > 0) throw new Error('Service Bus is down');
        published.push(...events);
      },
    },
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
  });
  return { fanOut, notifications, published, sleeps, advance: (ms: number) => (clock += ms) };
}

describe('run fan-out', () => {
  it('announces every state the document has passed, in order, even when only the last version arrives', async () => {
    const { fanOut, notifications, published } = setup();
    const result = await fanOut.handle([{ ...completed, _etag: '"x"', _ts: 1 }]);
    expect(published.map((e) => e.messageId)).toEqual(['run-1:queued', 'run-1:running', 'run-1:completed']);
    expect(published[2]!.body).toMatchObject({ outcome: 'failed', reasonCodes: ['graph_error'] });
    expect(result.unpublished).toEqual([]);
    expect(result.pushes.map((p) => [p.target, p.arguments[0].event, p.userId ?? p.groupName])).toEqual([
      ['runUpdated', 'queued', 'olga'],
      ['tenantRunUpdated', 'queued', 'tenant.t1'],
      ['runUpdated', 'running', 'olga'],
      ['tenantRunUpdated', 'running', 'tenant.t1'],
      ['runUpdated', 'completed', 'olga'],
      ['tenantRunUpdated', 'completed', 'tenant.t1'],
    ]);
    expect(result.pushes[0]!.arguments[0]).toMatchObject({
      status: 'queued',
      outcome: 'pending',
      failures: [],
    });
    expect(notifications.map((n) => [n.id, n.userId, n.outcome])).toEqual([
      ['run-1.queued', 'olga', 'pending'],
      ['run-1.ended', 'olga', 'failed'],
    ]);
    // A re-delivery of the same version announces nothing again.
    expect(await fanOut.handle([completed])).toEqual({ pushes: [], unpublished: [] });
    expect(published).toHaveLength(3);
  });

  it('pushes progress only when something visible changed, at most a few times per second', async () => {
    const { fanOut, published, sleeps, advance } = setup();
    await fanOut.handle([run()]);
    expect((await fanOut.handle([running(0)])).pushes.map((p) => p.arguments[0].event)).toEqual([
      'running',
      'running',
    ]);
    // A heartbeat alone changes nothing the user sees.
    expect((await fanOut.handle([running(0, { heartbeatAt: '2026-01-01T00:00:09.000Z' })])).pushes).toEqual(
      [],
    );
    advance(10);
    const progress = await fanOut.handle([running(1)]);
    expect(progress.pushes.map((p) => p.arguments[0].event)).toEqual(['progress', 'progress']);
    expect(progress.pushes[0]!.arguments[0].counts.processed).toBe(1);
    // It came 10 ms after the previous push: the batch was held for the rest of the 250 ms interval.
    expect(sleeps).toEqual([240]);
    advance(1000);
    await fanOut.handle([running(2)]);
    expect(sleeps).toEqual([240]);
    expect(published.map((e) => e.body.state)).toEqual(['queued', 'running']);
  });

  it('announces again after a failed batch (nothing is remembered until the side effects succeed)', async () => {
    const { fanOut, published, notifications } = setup({ failPublishing: 1 });
    await expect(fanOut.handle([run()])).rejects.toThrow('Service Bus is down');
    await fanOut.handle([run()]);
    expect(published.map((e) => e.messageId)).toEqual(['run-1:queued']);
    expect(notifications).toHaveLength(1);
  });

  it('scheduled runs reach the tenant group only and notify nobody yet', async () => {
    const { fanOut, notifications } = setup();
    const result = await fanOut.handle([run({ initiator: { kind: 'schedule', scheduleId: 's1' } })]);
    expect(result.pushes.map((p) => p.groupName)).toEqual(['tenant.t1']);
    expect(notifications).toEqual([]);
  });

  it('hands events back for the output binding when no publisher is configured, and skips non-runs', async () => {
    const warnings: string[] = [];
    const fanOut = new RunFanOut({
      notifications: { createOnce: async () => true } as unknown as NotificationStore,
      describe: operationCatalog.describe,
      warn: (message) => warnings.push(message),
    });
    const result = await fanOut.handle([{ id: 'not-a-run' }, run()]);
    expect(result.unpublished.map((e) => e.messageId)).toEqual(['run-1:queued']);
    expect(warnings).toHaveLength(1);
  });
});
