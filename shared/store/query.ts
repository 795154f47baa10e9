import type { SqlQuerySpec } from '@azure/cosmos';

/**
 * Builds `SELECT * FROM c WHERE …` from optional equality/range filters: a filter whose value is
 * undefined is left out. The first condition should name the partition key (the local server ignores
 * the partition key option of a query).
 */
export class QueryBuilder {
  private readonly conditions: string[] = [];
  private readonly parameters: Array<{ name: string; value: string }> = [];

  where(clause: string, name: string, value: string | undefined): this {
    if (value !== undefined) {
      this.conditions.push(clause);
      this.parameters.push({ name, value });
    }
    return this;
  }

  build(orderBy: string): SqlQuerySpec {
    return {
      query: `SELECT * FROM c WHERE ${this.conditions.join(' AND ')} ORDER BY ${orderBy}`,
      parameters: this.parameters,
    };
  }
}
