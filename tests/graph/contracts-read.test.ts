import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MicrosoftCloud, SimulatedTenantInfo } from '../../emulators/microsoft';
import {
  assignmentsRequest,
  derivePlatform,
  graphContracts,
  subResourceRequest,
  type GraphClient,
  type GraphContract,
  type GraphObject,
  type GraphRequestSpec,
} from '../../shared/graph';
import { CapturingLogger, factoryFor, secretConnection, simulatedTenant, startCloud } from './support/cloud';

let cloud: MicrosoftCloud;
let contoso: SimulatedTenantInfo;
let client: GraphClient;

beforeAll(async () => {
  cloud = await startCloud([{ name: 'contoso' }]);
  contoso = simulatedTenant(cloud, 'contoso');
  client = factoryFor(cloud, new CapturingLogger()).forConnection(secretConnection(contoso));
});

afterAll(async () => {
  await cloud?.stop();
});

async function firstPage(contract: GraphContract): Promise<GraphObject[]> {
  const options = contract.namedFilters?.byAppId
    ? { namedFilter: { name: 'byAppId', params: { appId: contoso.clientId } } }
    : {};
  const page = await client.listPages(contract, options).next();
  return page.value?.items ?? [];
}

async function batchOk(specs: GraphRequestSpec[]): Promise<GraphObject[][]> {
  const results = await client.batch(specs);
  return results.map((result) => {
    if (!result.ok) throw result.error;
    return (result.body as { value: GraphObject[] }).value;
  });
}

/** Every contract, read the way the inventory will read it, against the seeded contoso tenant. */
describe.each(graphContracts.map((contract) => [contract.key, contract] as const))(
  '%s reads from the simulated tenant',
  (_key, contract) => {
    it('lists with its $select, $expand and $filter, and reads one object by id', async () => {
      const items = await firstPage(contract);
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) {
        expect(derivePlatform(contract, item)).not.toBe('unknown');
        if (contract.assignments.read === 'expand') expect(Array.isArray(item.assignments)).toBe(true);
        for (const sub of contract.subResources) {
          if (sub.read === 'expand') expect(Array.isArray(item[sub.name]), sub.name).toBe(true);
        }
        const type = String(item['@odata.type'] ?? '');
        if (contract.excludedTypes)
          expect(contract.excludedTypes.map((t) => `#microsoft.graph.${t}`)).not.toContain(type);
        if (contract.filter) expect(type).toMatch(/windowsUpdateForBusinessConfiguration$/);
      }
      if (contract.shape.kind === 'singleton') {
        // One object per tenant, read by its path: there is no id to read it by.
        expect(items).toHaveLength(1);
        await expect(client.getById(contract, String(items[0]!.id))).rejects.toThrow(/singleton/);
        return;
      }
      const again = await client.getById(contract, String(items[0]!.id));
      expect(again.id).toBe(items[0]!.id);
    });

    it('reads its assignments and sub-resources through $batch', async () => {
      const items = (await firstPage(contract)).slice(0, 3);
      const batched = contract.subResources.filter((sub) => sub.read === 'batch');
      const specs = items.flatMap((item) => [
        ...(contract.assignments.read === 'subresource'
          ? [assignmentsRequest(contract, String(item.id))]
          : []),
        ...batched.map((sub) => subResourceRequest(contract, String(item.id), sub.name)),
      ]);
      const collections = await batchOk(specs);
      expect(collections).toHaveLength(specs.length);
      for (const sub of batched) {
        for (const child of sub.children ?? []) {
          const parent = items[0]!;
          const values = (await batchOk([subResourceRequest(contract, String(parent.id), sub.name)]))[0]!;
          expect(values.length).toBeGreaterThan(0);
          const children = await batchOk(
            values.map((value) =>
              subResourceRequest(contract, String(parent.id), sub.name, {
                id: String(value.id),
                name: child.name,
              }),
            ),
          );
          expect(children).toHaveLength(values.length);
        }
      }
    });
  },
);
