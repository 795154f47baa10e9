import { CosmosClient } from '@azure/cosmos';
import { describe, expect, it } from 'vitest';
import type { InstanceState } from '../../emulators/durable/instance';
import {
  directoryGroupsSync,
  directoryRoleDefinitionsSync,
} from '../../orchestrations/directory-sync/orchestrator';
import { cloud } from '../support/http';
import { expectDeterministic } from '../support/replay';
import { connectedScope } from '../inventory/support';
import { runDirectorySync } from './support';

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

describe('directory orchestration replay', () => {
  it('is deterministic: a replay after every event schedules what the runs did', async () => {
    // Fabrikam: nobody changes its groups or roles.
    const scope = await connectedScope('Directory replay', 'fabrikam');
    const groups = await runDirectorySync(scope, 'directory.groups.sync');
    expect(groups.outcome).toBe('succeeded');
    expect(await expectDeterministic(directoryGroupsSync, await instance(groups.instanceId))).toBeGreaterThan(
      3,
    );
    const roles = await runDirectorySync(scope, 'directory.role_definitions.sync');
    expect(roles.outcome).toBe('succeeded');
    expect(
      await expectDeterministic(directoryRoleDefinitionsSync, await instance(roles.instanceId)),
    ).toBeGreaterThan(1);
  });
});
