import type { Container } from '@azure/cosmos';
import { isConflict } from '../store/documents';
import { byPhase, type PlanItem, type RestorePlan } from './model';

/**
 * Restore plans and their items, in the `backups` container (partition = the target tenant, `kind`
 * `restorePlan` / `restorePlanItem`): a plan is the record of what a preview saw and an execute did,
 * deleted with the tenant's other backup data.
 */
export class RestoreStore {
  constructor(private readonly container: Container) {}

  async getPlan(tenantId: string, planId: string): Promise<RestorePlan | undefined> {
    const { resource } = await this.container.item(planId, tenantId).read<RestorePlan>();
    return resource?.kind === 'restorePlan' ? resource : undefined;
  }

  /** Writes the plan document (a retried preview writes the same document again). */
  async savePlan(plan: RestorePlan): Promise<void> {
    await this.container.items.upsert(plan);
  }

  /**
   * Marks the plan executed by this run, once: another run finds it taken. Conditional on the etag, so
   * two executes racing cannot both take it.
   */
  async claimPlan(tenantId: string, planId: string, runId: string): Promise<'claimed' | 'taken' | 'missing'> {
    for (;;) {
      const { resource, etag } = await this.container.item(planId, tenantId).read<RestorePlan>();
      if (!resource || resource.kind !== 'restorePlan') return 'missing';
      if (resource.executedBy === runId) return 'claimed';
      if (resource.executedBy) return 'taken';
      try {
        await this.container
          .item(planId, tenantId)
          .replace(
            { ...resource, executedBy: runId },
            { accessCondition: { type: 'IfMatch', condition: etag! } },
          );
        return 'claimed';
      } catch (error) {
        if ((error as { code?: number }).code !== 412) throw error;
      }
    }
  }

  async saveItems(items: readonly PlanItem[]): Promise<void> {
    for (const item of items) await this.container.items.upsert(item);
  }

  async saveItem(item: PlanItem, etag?: string): Promise<boolean> {
    try {
      if (etag)
        await this.container.item(item.id, item.tenantId).replace(item, {
          accessCondition: { type: 'IfMatch', condition: etag },
        });
      else await this.container.items.upsert(item);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 412 || isConflict(error)) return false;
      throw error;
    }
  }

  async item(tenantId: string, id: string): Promise<{ item: PlanItem; etag: string } | undefined> {
    const { resource, etag } = await this.container.item(id, tenantId).read<PlanItem>();
    return resource ? { item: resource, etag: etag! } : undefined;
  }

  /** The plan's items, optionally of one type or with these source ids, in write order. */
  async items(
    tenantId: string,
    planId: string,
    filter: { policyType?: string; phase?: number } = {},
  ): Promise<PlanItem[]> {
    const conditions = ["c.kind = 'restorePlanItem'", 'c.planId = @planId'];
    const parameters: Array<{ name: string; value: string | number }> = [{ name: '@planId', value: planId }];
    if (filter.policyType !== undefined) {
      conditions.push('c.policyType = @policyType');
      parameters.push({ name: '@policyType', value: filter.policyType });
    }
    if (filter.phase !== undefined) {
      conditions.push('c.phase = @phase');
      parameters.push({ name: '@phase', value: filter.phase });
    }
    const { resources } = await this.container.items
      .query<PlanItem>(
        {
          query: `SELECT * FROM c WHERE ${conditions.join(' AND ')}`,
          parameters,
        },
        { partitionKey: tenantId },
      )
      .fetchAll();
    return resources.sort(byPhase);
  }

  /** One page of the plan's items for the plan route. */
  async page(
    tenantId: string,
    planId: string,
    options: { limit: number; continuationToken?: string },
  ): Promise<{ items: PlanItem[]; continuationToken?: string }> {
    const response = await this.container.items
      .query<PlanItem>(
        {
          query: "SELECT * FROM c WHERE c.kind = 'restorePlanItem' AND c.planId = @planId ORDER BY c.id",
          parameters: [{ name: '@planId', value: planId }],
        },
        { partitionKey: tenantId, maxItemCount: options.limit, continuationToken: options.continuationToken },
      )
      .fetchNext();
    return {
      items: response.resources,
      ...(response.continuationToken && { continuationToken: response.continuationToken }),
    };
  }
}
