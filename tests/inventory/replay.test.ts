import { CosmosClient } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import type { InstanceState } from '../../emulators/durable/instance';
import { inventorySync, inventorySyncLane } from '../../orchestrations/inventory-sync/orchestrator';
import { cloud } from '../support/http';
import { expectDeterministic } from '../support/replay';
import { connectedScope, sync } from './support';

async function instance(id: string): Promise<InstanceState> {
  const { endpoint, key } = cloud().cosmos;
  const client = new CosmosClient({ endpoint, key });
  try {
    const { resource } = await client
      .database('durabletask-local')
      .container(`${process.env.DURABLE_TASK_HUB ?? 'TenantAtlasLocal'}-instances`)
      .item(id, id)
      .read<InstanceState>();
    if (!resource) throw new Error(`instance ${id} not found`);
    return resource;
  } finally {
    client.dispose();
  }
}

describe('inventory orchestration replay', () => {
  it('is deterministic: a replay after every event schedules what the run did', async () => {
    const scope = await connectedScope('Inventory replay', 'contoso');
    const run = await sync(scope, {
      selection: {
        policyTypes: [
          'deviceConfigurations',
          'configurationPolicies',
          'mobileApps',
          'deviceManagementScripts',
          'intents',
        ],
        includeFoundations: false,
      },
    });
    expect(run.outcome).toBe('succeeded');
    const parent = await instance(run.instanceId);
    expect(parent.status).toBe('Completed');
    expect(await expectDeterministic(inventorySync, parent)).toBeGreaterThan(5);
    for (let lane = 0; lane < 4; lane++) {
      const state = await instance(`${run.instanceId}:lane${lane}`);
      expect(await expectDeterministic(inventorySyncLane, state)).toBeGreaterThan(1);
    }
  });
});
