import {
  assignmentsRequest,
  createGraphClientFactory,
  graphSettingsSchema,
  type GraphClient,
  type GraphContract,
  type GraphObject,
} from '../../shared/graph';
import { microsoft, simulatedTenant } from './support';

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A Graph client of our own for a simulated tenant: the test's independent view of what is there. */
export function oracleClient(tenant: string): GraphClient {
  const { graphBaseUrl, authorityHost } = microsoft();
  const target = simulatedTenant(tenant);
  const factory = createGraphClientFactory({
    settings: graphSettingsSchema.parse({
      GRAPH_BASE_URL: graphBaseUrl,
      GRAPH_AUTHORITY_HOST: authorityHost,
    }),
    logger: silent,
  });
  return factory.forConnection({
    connectionId: `oracle-${tenant}`,
    entraTenantId: target.entraTenantId,
    clientId: target.clientId,
    credential: { kind: 'secret', secret: target.clientSecret },
  });
}

export interface OracleObject {
  id: string;
  displayName: string;
  /** `include:{groupId}` / `exclude:{groupId}` of its assignments (or Conditional Access conditions). */
  groupTargets: string[];
}

/** Every object of a contract with the groups it is assigned to, read with plain list and assignment calls. */
export async function oracleRead(client: GraphClient, contract: GraphContract): Promise<OracleObject[]> {
  const objects: GraphObject[] = [];
  for await (const object of client.listAll(contract)) objects.push(object);
  const assignments = new Map<string, GraphObject[]>();
  if (contract.assignments.read === 'subresource') {
    const results = await client.batch(
      objects.map((object) => assignmentsRequest(contract, String(object.id))),
    );
    results.forEach((result, index) => {
      if (!result.ok) throw result.error;
      assignments.set(String(objects[index]!.id), (result.body as { value: GraphObject[] }).value);
    });
  }
  return objects.map((object) => {
    const list =
      assignments.get(String(object.id)) ?? (object.assignments as GraphObject[] | undefined) ?? [];
    const targets = list.flatMap((assignment) => {
      const target = (assignment.target ?? {}) as { '@odata.type'?: string; groupId?: string };
      if (!target.groupId) return [];
      return [`${/exclusion/i.test(target['@odata.type'] ?? '') ? 'exclude' : 'include'}:${target.groupId}`];
    });
    const users = ((object.conditions as { users?: Record<string, string[]> } | undefined)?.users ??
      {}) as Record<string, string[]>;
    for (const id of users.includeGroups ?? []) targets.push(`include:${id}`);
    for (const id of users.excludeGroups ?? []) targets.push(`exclude:${id}`);
    return {
      id: String(object.id),
      // A singleton has no name of its own: the inventory names it by its contract.
      displayName: String(
        object.displayName ??
          object.name ??
          (contract.shape.kind === 'singleton' ? contract.label : object.id),
      ),
      groupTargets: targets.sort(),
    };
  });
}
