import { randomUUID } from 'node:crypto';
import { CosmosClient } from '@azure/cosmos';
import { systemClock } from '../../shared/clock';
import { createInventory } from '../../shared/inventory';
import type { RunLifecycle } from '../../shared/operations/lifecycle';
import type { Run } from '../../shared/operations/model';
import type { RunStore } from '../../shared/operations/run-store';
import type { GraphForRun } from '../../shared/providers/graph-access';
import { createWatch } from '../../shared/watch';
import { oracleClient } from '../inventory/oracle';
import { simulatedTenant } from '../inventory/support';
import { cloud } from '../support/http';

/**
 * The watch's steps called directly, against the shared cloud's Cosmos DB and the simulated tenant, in
 * a partition of their own (a fresh tenant id): so a test can run a step twice, or lose one of its
 * writes, as at-least-once execution does.
 */
export function watchHarness(tenant: string) {
  const { endpoint, key, database } = cloud().cosmos;
  const db = new CosmosClient({ endpoint, key }).database(database);
  const inventoryContainer = db.container('inventory');
  const tenantId = `alo-${randomUUID()}`;
  const runs = new Map<string, Run>();
  const newRun = (type: string): Run => {
    const now = systemClock.now().toISOString();
    const run = {
      id: randomUUID(),
      type,
      workspaceId: 'at-least-once',
      tenantId,
      tenantName: 'At least once',
      status: 'running',
      outcome: 'pending',
      identityKey: type,
      context: {},
      initiator: { kind: 'system', name: 'test' },
      counts: { total: 0, processed: 0, succeeded: 0, failed: 0, skipped: 0 },
      failures: [],
      progress: null,
      result: null,
      instanceId: type,
      createdAt: now,
      startedAt: now,
      completedAt: null,
      heartbeatAt: now,
      links: { self: '', durableStatus: '' },
    } as unknown as Run;
    runs.set(run.id, run);
    return run;
  };
  const runStore = {
    require: async (id: string) => runs.get(id)!,
    get: async (id: string) => runs.get(id),
  } as unknown as RunStore;
  const lifecycle = { progress: async (id: string) => runs.get(id)! } as unknown as RunLifecycle;
  const target = simulatedTenant(tenant);
  const graphForRun = (async () => ({
    client: oracleClient(tenant),
    connection: { entraTenantId: target.entraTenantId, clientId: target.clientId },
  })) as unknown as GraphForRun;
  const inventory = createInventory({
    inventory: inventoryContainer,
    policyVersions: db.container('policyVersions'),
    runs: runStore,
    lifecycle,
    graphForRun,
    clock: systemClock,
  });
  const watch = createWatch({
    inventory,
    container: inventoryContainer,
    runs: runStore,
    graphForRun,
    clock: systemClock,
    settings: { intervalMinutes: 5, overlapMs: 0 },
  });
  return { tenantId, newRun, inventory, watch, container: inventoryContainer };
}
