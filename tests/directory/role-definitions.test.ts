import { beforeAll, describe, expect, it } from 'vitest';
import { getContract, type GraphObject } from '../../shared/graph';
import { api } from '../support/api';
import { oracleClient } from '../inventory/oracle';
import { connectedScope, type Scope } from '../inventory/support';
import { runDirectorySync } from './support';

/** Fabrikam's role definitions: nobody changes them. */
const TENANT = 'fabrikam';
let scope: Scope;

beforeAll(async () => {
  scope = await connectedScope('Directory role definitions', TENANT);
});

async function graphRoles(contractKey: string): Promise<GraphObject[]> {
  const roles: GraphObject[] = [];
  for await (const role of oracleClient(TENANT).listAll(getContract(contractKey))) roles.push(role);
  return roles;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert fields one by one
async function cachedRoles(query = ''): Promise<any> {
  const items = [];
  let token: string | undefined;
  let cache;
  do {
    const params = new URLSearchParams(query);
    params.set('limit', '20');
    if (token) params.set('continuationToken', token);
    const page = await api('GET', `${scope.base}/directory/role-definitions?${params}`, { as: 'rita' });
    expect(page.status, page.text).toBe(200);
    items.push(...page.body.items);
    cache = page.body.cache;
    token = page.body.continuationToken;
  } while (token);
  return { items, cache };
}

describe('directory.role_definitions.sync', () => {
  it('says the cache is empty before the first sync', async () => {
    const { items, cache } = await cachedRoles();
    expect(items).toEqual([]);
    expect(cache.status).toBe('empty');
    expect(cache.message).toContain('directory.role_definitions.sync');
  });

  it('caches the Intune and Entra role definitions, built-in and custom, with their permissions', async () => {
    const run = await runDirectorySync(scope, 'directory.role_definitions.sync');
    expect(run.outcome, JSON.stringify(run.failures)).toBe('succeeded');
    const intune = await graphRoles('roleDefinitions');
    const entra = await graphRoles('directoryRoleDefinitions');
    const { items, cache } = await cachedRoles();
    expect(cache).toMatchObject({ status: 'synced', runId: run.id });
    expect(items).toHaveLength(intune.length + entra.length);
    for (const [source, roles] of [
      ['intune', intune],
      ['entra', entra],
    ] as const) {
      const cached = items.filter((role: { source: string }) => role.source === source);
      expect(cached.map((role: { id: string }) => role.id).sort()).toEqual(
        roles.map((role) => String(role.id)).sort(),
      );
      expect(cached.some((role: { isBuiltIn: boolean }) => role.isBuiltIn)).toBe(true);
      expect(cached.some((role: { isBuiltIn: boolean }) => !role.isBuiltIn)).toBe(true);
    }
    const builtIn = items.find(
      (role: { isBuiltIn: boolean; source: string }) => role.isBuiltIn && role.source === 'entra',
    );
    expect(builtIn.permissions.length).toBeGreaterThan(0);
    expect(run.result).toMatchObject({ read: items.length, written: items.length, removed: 0 });
  });

  it('searches by part of the name and source; an unchanged re-sync writes no role', async () => {
    const { items } = await cachedRoles('search=ADMIN&source=entra');
    expect(items.length).toBeGreaterThan(0);
    for (const role of items) {
      expect(role.displayName.toLowerCase()).toContain('admin');
      expect(role.source).toBe('entra');
    }
    const again = await runDirectorySync(scope, 'directory.role_definitions.sync');
    expect(again.result).toMatchObject({ written: 0, removed: 0 });
  });
});
