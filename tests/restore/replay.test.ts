import { describe, expect, it } from 'vitest';
import { restoreExecute, restorePreview } from '../../orchestrations/restore/orchestrator';
import { EventType } from '../../emulators/durable/history';
import { expectDeterministic, instanceState } from '../support/replay';
import {
  backUp,
  execute,
  graphOf,
  preview,
  syncDirectory,
  ownCloudForFile,
  changeOneDeleteOne,
  failedPreview,
} from './support';

/**
 * Both restore orchestrations are deterministic: replayed after every event they received, they ask for
 * exactly the work the run did, including an execute whose write activity failed once and was retried
 * (a lost answer) and a preview that ended failed.
 */
const cloud = ownCloudForFile();

describe('restore orchestration replay', () => {
  it('a preview and an execute with a retried write replay deterministically', async () => {
    const tenant = await cloud.connectedTenant('Restore replay', 'fabrikam');
    const before = await graphOf(cloud, 'fabrikam').list('deviceConfigurations');
    await syncDirectory(cloud, tenant);
    const setId = await backUp(cloud, tenant, ['deviceConfigurations']);
    const [changed, deleted] = before;
    await changeOneDeleteOne(cloud, 'fabrikam', changed!, deleted!);

    const planned = await preview(cloud, tenant, {
      source: { tenantId: tenant.tenantId, backupSetId: setId },
    });
    expect(planned.run.result).toMatchObject({ create: 1, update: 1 });
    const previewState = await instanceState(cloud.instances(), planned.run.instanceId);
    expect(await expectDeterministic(restorePreview, previewState)).toBeGreaterThan(3);

    // The create's answer is lost once: its write activity fails and runs again.
    await cloud.control('/tenants/fabrikam/realism', 'PATCH', {
      faults: {
        lostResponses: [
          { method: 'POST', pathPattern: '^/(beta|v1\\.0)/deviceManagement/deviceConfigurations$', times: 1 },
        ],
      },
    });
    const executed = await execute(cloud, tenant, planned.run);
    await cloud.control('/tenants/fabrikam/realism', 'PATCH', { faults: { lostResponses: [] } });
    expect(executed.outcome, JSON.stringify(executed)).toBe('succeeded');
    expect(executed.result).toMatchObject({ created: 1, updated: 1, failed: 0 });
    const executeState = await instanceState(cloud.instances(), executed.instanceId);
    expect(executeState.history.some((event) => event.EventType === EventType.TaskFailed)).toBe(true);
    expect(await expectDeterministic(restoreExecute, executeState)).toBeGreaterThan(5);
  }, 120_000);

  it('a preview that fails (its source is gone) replays deterministically', async () => {
    const tenant = await cloud.connectedTenant('Restore replay failed', 'fabrikam');
    const failed = await failedPreview(cloud, tenant);
    const state = await instanceState(cloud.instances(), failed.instanceId);
    expect(await expectDeterministic(restorePreview, state)).toBeGreaterThan(1);
  }, 60_000);
});
