import type { RunStore } from '../../shared/operations/run-store';
import type { SecretStore } from '../../shared/secrets/secret-store';
import { purgeBatch, type TenantPurgeContainers } from '../../shared/workspaces/purge';
import type { Activities } from '../runs/register';
import { TENANT_PURGE, type PurgeStepInput, type PurgeStepResult } from './contract';

export interface TenantPurgeActivityDeps {
  runs: RunStore;
  secrets: SecretStore;
  purgeContainers: TenantPurgeContainers;
}

export function createTenantPurgeActivities(deps: () => TenantPurgeActivityDeps): Activities {
  return {
    [TENANT_PURGE.step]: async ({ runId, step }: PurgeStepInput): Promise<PurgeStepResult> => {
      const { runs, secrets, purgeContainers } = deps();
      const run = await runs.require(runId);
      return purgeBatch({ containers: purgeContainers, secrets }, step, {
        workspaceId: run.workspaceId,
        tenantId: run.tenantId,
        runId,
      });
    },
  };
}
