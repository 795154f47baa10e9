import type { Container } from '@azure/cosmos';
import { readItem, withoutSystemFields } from '../../store/documents';
import { inventoryItemSchema, type InventoryItem } from '../model';
import { upsertAll, type WriteStats } from './batch-writer';

/** Inventory items of a tenant (partition `/tenantId`); every query names the partition in its filter. */
export class ItemStore {
  constructor(readonly container: Container) {}

  async get(tenantId: string, itemId: string): Promise<InventoryItem | undefined> {
    const doc = await readItem<InventoryItem>(this.container, itemId, tenantId);
    return doc && doc.docType === 'item' ? inventoryItemSchema.parse(withoutSystemFields(doc)) : undefined;
  }

  /** The stored items of these Graph objects (one query per page of objects). */
  async byGraphIds(
    tenantId: string,
    policyType: string,
    graphIds: readonly string[],
  ): Promise<InventoryItem[]> {
    if (graphIds.length === 0) return [];
    return this.query(
      "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.docType = 'item' AND c.policyType = @type AND ARRAY_CONTAINS(@ids, c.graphId)",
      tenantId,
      [
        { name: '@type', value: policyType },
        { name: '@ids', value: [...graphIds] },
      ],
    );
  }

  /** The items of these Graph ids whatever their type (one Graph id can only be one object). */
  async anyByGraphIds(tenantId: string, graphIds: readonly string[]): Promise<InventoryItem[]> {
    if (graphIds.length === 0) return [];
    return this.query(
      "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.docType = 'item' AND ARRAY_CONTAINS(@ids, c.graphId)",
      tenantId,
      [{ name: '@ids', value: [...graphIds] }],
    );
  }

  /**
   * The type's present (not removed) items written at or after a Cosmos timestamp (`_ts`, seconds; 0 =
   * all of them): what a type's observation may not hold yet.
   */
  async presentWrittenSince(tenantId: string, policyType: string, ts: number): Promise<InventoryItem[]> {
    return this.query(
      "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.docType = 'item' AND c.policyType = @type AND c._ts >= @ts AND IS_NULL(c.removedAt)",
      tenantId,
      [
        { name: '@type', value: policyType },
        { name: '@ts', value: ts },
      ],
    );
  }

  async upsert(tenantId: string, items: readonly InventoryItem[], stats: WriteStats): Promise<void> {
    await upsertAll(this.container, tenantId, items, stats);
  }

  private async query(
    query: string,
    tenantId: string,
    parameters: Array<{ name: string; value: string | number | string[] }>,
  ): Promise<InventoryItem[]> {
    const { resources } = await this.container.items
      .query<InventoryItem>(
        { query, parameters: [{ name: '@tenantId', value: tenantId }, ...parameters] },
        { partitionKey: tenantId },
      )
      .fetchAll();
    return resources.map((doc) => inventoryItemSchema.parse(withoutSystemFields(doc)));
  }
}
