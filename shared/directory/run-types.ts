import { z } from 'zod';
import { idSchema } from '../api/schemas';
import { ORCHESTRATORS } from '../operations/orchestrators';
import { defineRunType, runTypeList } from '../operations/run-type';

export const DIRECTORY_GROUPS_SYNC = 'directory.groups.sync';
export const DIRECTORY_ROLES_SYNC = 'directory.role_definitions.sync';

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
});

/** The directory cache's entries of the operation catalog. */
export const directoryRunTypes = runTypeList(directoryGroupsSyncRunType, directoryRolesSyncRunType);
