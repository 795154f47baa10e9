import { describe, expect, it } from 'vitest';
import { inventorySync, inventorySyncLane } from '../../orchestrations/inventory-sync/orchestrator';
import { expectDeterministic, sharedCloudInstance } from '../support/replay';
import { connectedScope, sync } from './support';

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
    const parent = await sharedCloudInstance(run.instanceId);
    expect(parent.status).toBe('Completed');
    expect(await expectDeterministic(inventorySync, parent)).toBeGreaterThan(5);
    for (let lane = 0; lane < 4; lane++) {
      const state = await sharedCloudInstance(`${run.instanceId}:lane${lane}`);
      expect(await expectDeterministic(inventorySyncLane, state)).toBeGreaterThan(1);
    }
  });
});
