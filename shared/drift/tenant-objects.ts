import type { Container } from '@azure/cosmos';
import { inventoryItemSchema, type InventoryItem } from '../inventory/model';
import { readItem, withoutSystemFields } from '../store/documents';

/** What drift needs of an inventory item (a projection: items carry their history). */
export type TenantObject = Pick<
  InventoryItem,
  | 'id'
  | 'tenantId'
  | 'workspaceId'
  | 'policyType'
  | 'graphId'
  | 'displayName'
  | 'searchName'
  | 'currentVersionId'
  | 'changedAt'
  | 'removedAt'
>;

const FIELDS = [
  'id',
  'tenantId',
  'workspaceId',
  'policyType',
  'graphId',
  'displayName',
  'searchName',
  'currentVersionId',
  'changedAt',
  'removedAt',
] as const;

/** Groups one `referencingGroups` query asks for (an OR of ARRAY_CONTAINS each). */
const GROUPS_PER_QUERY = 50;

const projection = FIELDS.map((field) => `c.${field}`).join(', ');

const objectSchema = inventoryItemSchema.pick(
  Object.fromEntries(FIELDS.map((field) => [field, true])) as { [K in (typeof FIELDS)[number]]: true },
);

/** Reads a tenant's inventory items (Cosmos only) the way drift compares them. */
export class TenantObjects {
  constructor(private readonly inventory: Container) {}

  /** Present and removed items of these types, or only those with these ids / lower-cased names. */
  async find(
    tenantId: string,
    filter: { policyTypes?: readonly string[]; ids?: readonly string[]; names?: readonly string[] },
  ): Promise<TenantObject[]> {
    const conditions = ['c.tenantId = @t', "c.docType = 'item'"];
    const parameters: Array<{ name: string; value: string | string[] }> = [{ name: '@t', value: tenantId }];
    const add = (clause: string, name: string, value: readonly string[] | undefined) => {
      if (!value) return;
      conditions.push(clause);
      parameters.push({ name, value: [...value] });
    };
    add('ARRAY_CONTAINS(@types, c.policyType)', '@types', filter.policyTypes);
    add('ARRAY_CONTAINS(@ids, c.id)', '@ids', filter.ids);
    add('ARRAY_CONTAINS(@names, c.searchName)', '@names', filter.names);
    const { resources } = await this.inventory.items
      .query<TenantObject>(
        { query: `SELECT ${projection} FROM c WHERE ${conditions.join(' AND ')}`, parameters },
        { partitionKey: tenantId },
      )
      .fetchAll();
    return resources.map((doc) => objectSchema.parse(withoutSystemFields(doc)));
  }

  /**
   * Present items of these types whose current version names one of these groups (an assignment or a
   * Conditional Access condition: the item's `targetIds`). One query in the tenant's partition per
   * GROUPS_PER_QUERY groups.
   */
  async referencingGroups(
    tenantId: string,
    groupIds: readonly string[],
    policyTypes: readonly string[],
  ): Promise<TenantObject[]> {
    const out: TenantObject[] = [];
    const ids = [...new Set(groupIds)];
    for (let start = 0; start < ids.length; start += GROUPS_PER_QUERY) {
      const chunk = ids.slice(start, start + GROUPS_PER_QUERY);
      const { resources } = await this.inventory.items
        .query<TenantObject>(
          {
            query: `SELECT ${projection} FROM c WHERE c.tenantId = @t AND c.docType = 'item' AND IS_NULL(c.removedAt) AND ARRAY_CONTAINS(@types, c.policyType) AND (${chunk.map((_, i) => `ARRAY_CONTAINS(c.targetIds, @g${i})`).join(' OR ')})`,
            parameters: [
              { name: '@t', value: tenantId },
              { name: '@types', value: [...policyTypes] },
              ...chunk.map((id, i) => ({ name: `@g${i}`, value: id })),
            ],
          },
          { partitionKey: tenantId },
        )
        .fetchAll();
      out.push(...resources.map((doc) => objectSchema.parse(withoutSystemFields(doc))));
    }
    return [...new Map(out.map((item) => [item.id, item])).values()];
  }

  /** Items by id (`{policyType}:{graphId}`): point reads, no query; unknown ids are left out. */
  async byIds(tenantId: string, ids: readonly string[]): Promise<TenantObject[]> {
    const docs = await Promise.all(
      [...new Set(ids)].map((id) =>
        readItem<TenantObject & { docType?: string }>(this.inventory, id, tenantId),
      ),
    );
    return docs.flatMap((doc) =>
      doc?.docType === 'item' ? [objectSchema.parse(withoutSystemFields(doc))] : [],
    );
  }
}

/** The item in a changed inventory document (the change feed), or undefined for any other document. */
export function tenantObjectOf(doc: unknown): TenantObject | undefined {
  if (!doc || typeof doc !== 'object' || (doc as { docType?: unknown }).docType !== 'item') return undefined;
  const parsed = objectSchema.safeParse(doc);
  return parsed.success ? parsed.data : undefined;
}
