import { randomUUID } from 'node:crypto';
import { CosmosClient } from '@azure/cosmos';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../../shared/audit/audit';
import { operationCatalog } from '../../shared/app/catalog';
import { systemClock } from '../../shared/clock';
import type { Dispatcher } from '../../shared/operations/dispatcher';
import { startRun, type GateDeps, type StartOutcome } from '../../shared/operations/gate';
import { RunLifecycle } from '../../shared/operations/lifecycle';
import { RunStore } from '../../shared/operations/run-store';
import { ScopeClaims } from '../../shared/operations/scope-claims';
import { cloud } from '../support/http';

/**
 * The gate as the start route calls it, on the shared cloud's Cosmos DB, for tenants of their own:
 * starts that reach an idle tenant together. One gate is one instance of the app (its `ScopeClaims`);
 * two gates are two instances sharing the store. Only the Durable client is recorded instead of
 * starting orchestrations: what they would run is not the gate's concern.
 */

const { endpoint, key, database } = cloud().cosmos;
const client = new CosmosClient({ endpoint, key });
const db = client.database(database);
const runs = new RunStore(db.container('runs'), db.container('runLocks'));
const lifecycle = new RunLifecycle(runs, systemClock);
const audit = new AuditLog(db.container('audit'), systemClock);
const healthCheck = operationCatalog.find('provider.health_check')!;
const started: string[] = [];

afterAll(() => client.dispose());
// A spy on the shared store is removed even when its test fails.
afterEach(() => vi.restoreAllMocks());

/** One instance of the app: its own claims, the shared store; its Durable client records starts. */
function instance(): GateDeps {
  const dispatcher: Dispatcher = {
    start: async (_orchestrator, instanceId) => void started.push(instanceId),
    terminate: async () => undefined,
    exists: async () => false,
  };
  return {
    runs,
    lifecycle,
    audit,
    catalog: operationCatalog,
    clock: systemClock,
    claims: new ScopeClaims(),
    dispatcher,
  };
}

function start(gate: GateDeps, tenantId: string, tenantName = async () => 'Claims test tenant') {
  return startRun(gate, {
    runType: healthCheck,
    workspaceId: 'claims-test',
    tenantId,
    tenantName,
    input: {},
    initiator: { kind: 'user', userId: 'claims-test', displayName: 'Claims test' },
  });
}

/** The one started run, every other start deduplicated onto it; then it is ended (its lock given back). */
async function expectOneRun(outcomes: StartOutcome[]) {
  const runIds = new Set(outcomes.map((o) => (o.kind === 'busy' ? o.activeRun.id : o.run.id)));
  expect(runIds.size).toBe(1);
  expect(outcomes.filter((o) => o.kind === 'started')).toHaveLength(1);
  expect(outcomes.filter((o) => o.kind !== 'started').every((o) => o.kind === 'deduplicated')).toBe(true);
  const [runId] = [...runIds];
  expect(started.filter((instanceId) => instanceId.includes(runId!))).toHaveLength(1);
  await lifecycle.complete(runId!, { outcome: 'cancelled' });
}

describe('starts reaching an idle tenant together', () => {
  it('make one attempt on its scope lock in one instance: the others wait for it, then are deduplicated', async () => {
    const gate = instance();
    const tryLock = vi.spyOn(runs, 'tryLock');
    // A slow tenant read (100 ms): the other starts have long read "no lock" when the first creates it.
    const tenantRead = vi.fn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return 'Claims test tenant';
    });
    const tenantId = `claims-${randomUUID()}`;
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => start(gate, tenantId, tenantRead)));
    // Without the claims, all ten read "no lock" together and all ten read the tenant and try the create.
    expect(tryLock).toHaveBeenCalledTimes(1);
    expect(tenantRead).toHaveBeenCalledTimes(1);
    await expectOneRun(outcomes);
  });

  it('still make exactly one run when two instances race for the lock', async () => {
    const [first, second] = [instance(), instance()];
    const tryLock = vi.spyOn(runs, 'tryLock');
    const tenantId = `claims-${randomUUID()}`;
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => start(i % 2 === 0 ? first : second, tenantId)),
    );
    // One attempt per instance at most: each instance's other starts wait for its own.
    expect(tryLock.mock.calls.length).toBeLessThanOrEqual(2);
    await expectOneRun(outcomes);
  });

  it('go on when the claiming start fails: the next one takes the lock', async () => {
    const gate = instance();
    const tenantId = `claims-${randomUUID()}`;
    let reads = 0;
    // The first start's tenant read fails (as a 404 would); its claim must not hold the others.
    const failingOnce = async () => {
      if (reads++ === 0) throw new Error('tenant read failed');
      return 'Claims test tenant';
    };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => start(gate, tenantId, failingOnce)),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    await expectOneRun(outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : [])));
  });
});
