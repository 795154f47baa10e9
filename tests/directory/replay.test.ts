import { describe, expect, it } from 'vitest';
import {
  directoryGroupsSync,
  directoryRoleDefinitionsSync,
} from '../../orchestrations/directory-sync/orchestrator';
import { expectDeterministic, sharedCloudInstance } from '../support/replay';
import { connectedScope } from '../inventory/support';
import { runDirectorySync } from './support';

describe('directory orchestration replay', () => {
  it('is deterministic: a replay after every event schedules what the runs did', async () => {
    // Fabrikam: nobody changes its groups or roles.
    const scope = await connectedScope('Directory replay', 'fabrikam');
    const groups = await runDirectorySync(scope, 'directory.groups.sync');
    expect(groups.outcome).toBe('succeeded');
    expect(
      await expectDeterministic(directoryGroupsSync, await sharedCloudInstance(groups.instanceId)),
    ).toBeGreaterThan(3);
    const roles = await runDirectorySync(scope, 'directory.role_definitions.sync');
    expect(roles.outcome).toBe('succeeded');
    expect(
      await expectDeterministic(directoryRoleDefinitionsSync, await sharedCloudInstance(roles.instanceId)),
    ).toBeGreaterThan(1);
  });
});
