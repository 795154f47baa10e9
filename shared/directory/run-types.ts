import { z } from 'zod';
import { idSchema } from '../api/schemas';
import type { Run } from '../operations/model';
import { ORCHESTRATORS } from '../operations/orchestrators';
import { cancelDetail, count, failureDetail, resultNumber } from '../operations/run-text';
import { defineRunType, runTypeList } from '../operations/run-type';

export const DIRECTORY_GROUPS_SYNC = 'directory.groups.sync';
export const DIRECTORY_ROLES_SYNC = 'directory.role_definitions.sync';

/** "250 groups read (delta), 3 written, 1 removed" from the run's result. */
function groupsRead(run: Run): string {
  const mode = (run.result as { mode?: string } | undefined)?.mode;
  const read = `${count(resultNumber(run, 'read'), 'group')} read${mode ? ` (${mode})` : ''}`;
  return `${read}, ${resultNumber(run, 'written')} written, ${resultNumber(run, 'removed')} removed`;
}

/** "84 role definitions, 2 written" from the run's result. */
function rolesRead(run: Run): string {
  return `${count(resultNumber(run, 'read'), 'role definition')}, ${resultNumber(run, 'written')} written`;
}

const input = z.object({ connectionId: idSchema.optional() }).strict();

/**
 * The directory cache's own runs (the inventory's group reads do not replace them). Same capability as
 * `inventory.sync`; one sync of a kind per tenant at a time (the identity is the tenant).
 */
export const directoryGroupsSyncRunType = defineRunType({
  type: DIRECTORY_GROUPS_SYNC,
  summary:
    "Read the tenant's groups into the directory cache (Graph delta query: later runs read only changes)",
  capability: 'operations.start',
  input,
  identity: () => ({}),
  orchestrator: ORCHESTRATORS.directoryGroupsSync,
  // Segments report progress at least every few seconds while they read.
  staleAfterMs: 10 * 60_000,
  touchesGraph: true,
  text: {
    label: 'Directory groups sync',
    ended: {
      succeeded: groupsRead,
      partially_succeeded: groupsRead,
      failed: failureDetail,
      cancelled: cancelDetail,
    },
  },
});

export const directoryRolesSyncRunType = defineRunType({
  type: DIRECTORY_ROLES_SYNC,
  summary:
    "Read the tenant's Intune and Entra role definitions (built-in and custom) into the directory cache",
  capability: 'operations.start',
  input,
  identity: () => ({}),
  orchestrator: ORCHESTRATORS.directoryRoleDefinitionsSync,
  staleAfterMs: 5 * 60_000,
  touchesGraph: true,
  text: {
    label: 'Role definitions sync',
    ended: {
      succeeded: rolesRead,
      partially_succeeded: (run) => `${rolesRead(run)}; ${failureDetail(run)}`,
      failed: failureDetail,
      cancelled: cancelDetail,
    },
  },
});

/** The directory cache's entries of the operation catalog. */
export const directoryRunTypes = runTypeList(directoryGroupsSyncRunType, directoryRolesSyncRunType);
