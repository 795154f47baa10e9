import type { Container } from '@azure/cosmos';

/** Ids per query: a parameter array this size keeps each query small and cheap. */
const CHUNK = 100;

/**
 * Which of many tenants are active, in a few queries: the scheduler skips schedules of archived or
 * removed tenants without one read per schedule.
 */
export class TenantStatuses {
  constructor(private readonly tenants: Container) {}

  async active(tenantIds: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(tenantIds)];
    const active = new Set<string>();
    for (let start = 0; start < unique.length; start += CHUNK) {
      const { resources } = await this.tenants.items
        .query<string>({
          query:
            "SELECT VALUE c.id FROM c WHERE c.kind = 'tenant' AND c.status = 'active' AND ARRAY_CONTAINS(@ids, c.id)",
          parameters: [{ name: '@ids', value: unique.slice(start, start + CHUNK) }],
        })
        .fetchAll();
      for (const id of resources) active.add(id);
    }
    return active;
  }
}
