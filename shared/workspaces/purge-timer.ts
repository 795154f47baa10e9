import { startScheduledRun, type GateDeps } from '../operations/gate';
import type { WorkspaceDeletion } from './deletion';
import { tenantPurge } from './run-types';

export interface PurgeTimerSummary {
  due: number;
  purgesStarted: number;
  /** Purges already started for that deletion (by an earlier firing or another host). */
  alreadyStarted: number;
  workspacesRemoved: number;
}

/**
 * One firing of the purge timer. A workspace past its retention gets one `tenant.purge` run per tenant
 * still there (the stable run id makes a repeat find the same run); once its last tenant document is
 * gone (the last step of each purge), the workspace document goes too.
 */
export async function purgeDeletedWorkspaces(deps: {
  deletion: WorkspaceDeletion;
  gate: GateDeps;
}): Promise<PurgeTimerSummary> {
  const summary: PurgeTimerSummary = { due: 0, purgesStarted: 0, alreadyStarted: 0, workspacesRemoved: 0 };
  for (const { workspace, tenants } of await deps.deletion.duePurges()) {
    summary.due++;
    if (tenants.length === 0) {
      await deps.deletion.removePurgedWorkspace(workspace);
      summary.workspacesRemoved++;
      continue;
    }
    for (const tenant of tenants) {
      const outcome = await startScheduledRun(deps.gate, {
        runType: tenantPurge,
        workspaceId: workspace.id,
        tenantId: tenant.id,
        tenantName: tenant.displayName,
        input: { deletedAt: workspace.deletion!.deletedAt },
        initiator: { kind: 'system', name: 'workspace purge' },
      });
      if (outcome.kind === 'started') summary.purgesStarted++;
      else summary.alreadyStarted++;
    }
  }
  return summary;
}
