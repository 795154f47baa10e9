import type { Container } from '@azure/cosmos';

/** Ids per query: a parameter array this size keeps each query small and cheap. */
const CHUNK = 100;

/**
 * Which of many tenants are active, in a few queries: the scheduler skips schedules of archived or
 * removed tenants without one read per schedule.
 */
export class TenantStatuses {
  constructor(private readonly tenants: Container) {}

  /** The active ones among `tenantIds`, with their display names. */
  async active(tenantIds: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(tenantIds)];
    const active = new Map<string, string>();
    for (let start = 0; start < unique.length; start += CHUNK) {
      const { resources } = await this.tenants.items
        .query<{ id: string; displayName: string }>({
          query:
            "SELECT c.id, c.displayName FROM c WHERE c.kind = 'tenant' AND c.status = 'active' AND ARRAY_CONTAINS(@ids, c.id)",
          parameters: [{ name: '@ids', value: unique.slice(start, start + CHUNK) }],
        })
        .fetchAll();
      for (const { id, displayName } of resources) active.set(id, displayName);
    }
    return active;
  }
}
