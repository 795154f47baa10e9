/**
 * The directory cache (docs/directory.md): groups and role definitions of each managed tenant, synced by
 * `directory.groups.sync` and `directory.role_definitions.sync`, read from Cosmos only.
 */
import type { DirectoryDeps } from './deps';
import { createFreshGroupReader, createGroupDirectory } from './group-directory';
import { createGroupSync } from './group-sync';
import { createDirectoryQueries } from './queries';
import { createRoleSync } from './role-sync';

export type { DirectoryGroup, GroupDirectory, GroupKind } from './model';
export type { DirectoryDeps, DirectoryRun } from './deps';
export { DIRECTORY_GROUPS_SYNC, DIRECTORY_ROLES_SYNC } from './run-types';
import { ROLE_SOURCES } from './role-sync';

/** The Graph contracts the directory syncs read (their read permissions are the feature's). */
export const DIRECTORY_CONTRACT_KEYS: readonly string[] = [
  'groups',
  ...ROLE_SOURCES.map((source) => source.contractKey),
];

export function createDirectory(deps: DirectoryDeps) {
  return {
    groups: createGroupDirectory(deps.store),
    graphGroupsIfFresh: createFreshGroupReader(deps),
    groupSync: createGroupSync(deps),
    syncRoleDefinitions: createRoleSync(deps),
    queries: createDirectoryQueries(deps.store),
  };
}

export type Directory = ReturnType<typeof createDirectory>;
