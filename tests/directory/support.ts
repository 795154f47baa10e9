import { CosmosClient } from '@azure/cosmos';
import { expect } from 'vitest';
import { DirectoryStore } from '../../shared/directory/store';
import { getContract, type GraphObject } from '../../shared/graph';
import { allPages, api } from '../support/api';
import { cloud } from '../support/http';
import { oracleClient } from '../inventory/oracle';
import { control, finished, type Scope } from '../inventory/support';

/**
 * Wingtip is the simulated tenant only the directory tests change (groups created, renamed, deleted,
 * delta tokens expired), so they run one after another in one file and nobody else reads it.
 */
export const TENANT = 'wingtip';

/** Starts a directory run and waits for its end. */
export async function runDirectorySync(scope: Scope, type: string) {
  const started = await api('POST', `${scope.base}/operations`, { as: 'olga', body: { type } });
  expect(started.status, started.text).toBe(202);
  return finished(started.body.run.id, 120_000);
}

/** Every cached group matching the query, following continuation tokens. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert group fields one by one
export async function cachedGroups(scope: Scope, query = ''): Promise<any[]> {
  return allPages(`${scope.base}/directory/groups`, query);
}

/** The tenant's groups as a plain Graph list reads them (not the delta query the sync uses). */
export async function oracleGroups(): Promise<GraphObject[]> {
  const groups: GraphObject[] = [];
  for await (const group of oracleClient(TENANT).listAll(getContract('groups'))) groups.push(group);
  return groups;
}

export async function adminChange(body: Record<string, unknown>) {
  const { changes } = await control<{ changes: Array<{ id: string; displayName: string }> }>(
    'POST',
    `/tenants/${TENANT}/admin-changes`,
    { collection: '/groups', ...body },
  );
  return changes[0]!;
}

/** Graph requests the simulator logged for the tenant after `since` (a log sequence number). */
export async function graphRequestsSince(since: number) {
  const log = await control<{ lastSeq: number; entries: Array<{ endpoint: string; seq: number }> }>(
    'GET',
    `/requests?tenant=${TENANT}&since=${since}`,
  );
  return log;
}

export function directoryStore(): DirectoryStore {
  const { endpoint, key, database } = cloud().cosmos;
  return new DirectoryStore(new CosmosClient({ endpoint, key }).database(database).container('directory'));
}
