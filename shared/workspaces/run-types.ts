import { z } from 'zod';
import type { Run } from '../operations/model';
import { ORCHESTRATORS } from '../operations/orchestrators';
import { cancelDetail, count, failureDetail, resultNumber } from '../operations/run-text';
import { defineRunType, runTypeList } from '../operations/run-type';

function purged(run: Run): string {
  return `${count(resultNumber(run, 'deleted'), 'document')} deleted`;
}

/**
 * The purge of one tenant of a deleted workspace, after WORKSPACE_PURGE_AFTER_DAYS (started by the
 * `purgeDeletedWorkspaces` timer only). One per (tenant, deletion): the stable run id makes a second
 * timer firing, on this host or another, find the same run.
 */
export const tenantPurge = defineRunType({
  type: 'tenant.purge',
  summary: "Delete a deleted workspace's tenant data after the retention window (started by a timer only)",
  capability: 'workspace.delete',
  input: z.object({ deletedAt: z.string() }).strict(),
  identity: (input) => ({ deletedAt: input.deletedAt }),
  stableRunId: true,
  internal: true,
  orchestrator: ORCHESTRATORS.tenantPurge,
  staleAfterMs: 30 * 60_000,
  touchesGraph: false,
  text: {
    label: 'Tenant data purge',
    ended: { succeeded: purged, partially_succeeded: purged, failed: failureDetail, cancelled: cancelDetail },
  },
});

/** The workspace feature's entries of the operation catalog. */
export const workspaceRunTypes = runTypeList(tenantPurge);
