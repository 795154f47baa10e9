import type { RunType } from './run-type';

/**
 * The operation types the app knows, by type name: what the start route validates against, what the
 * gate and the sweeper read stale thresholds from. Built once by the composition root from each
 * feature's list (`shared/app/catalog.ts`); nothing registers itself by being imported.
 */
export class OperationCatalog {
  private readonly byType = new Map<string, RunType>();

  constructor(entries: readonly RunType[]) {
    this.add(...entries);
  }

  /**
   * Entries beyond the app's own: only for entry files loaded beside the app in the same host (the
   * test fixtures' run types), which must share the app's catalog instance.
   */
  add(...entries: readonly RunType[]): void {
    for (const entry of entries) {
      if (this.byType.has(entry.type)) throw new Error(`Run type ${entry.type} is in the catalog twice.`);
      this.byType.set(entry.type, entry);
    }
  }

  find(type: string): RunType | undefined {
    return this.byType.get(type);
  }

  /** The types callers may start through the start route (internal ones are the app's own). */
  startable(): RunType[] {
    return [...this.byType.values()].filter((entry) => !entry.internal);
  }
}
