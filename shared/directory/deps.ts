import type { GraphClient } from '../graph';
import type { RunCounts } from '../operations/model';
import type { Clock } from '../clock';
import type { DirectoryStore } from './store';

/** The run fields the directory syncs need. */
export interface DirectoryRun {
  id: string;
  workspaceId: string;
  tenantId: string;
  context: Record<string, unknown>;
}

/** What the directory module is given by the composition root (no global lookups inside). */
export interface DirectoryDeps {
  store: DirectoryStore;
  loadRun(runId: string): Promise<DirectoryRun | undefined>;
  /** The Graph client of the run's connection; throws like `graphForRun` when there is none. */
  graphForRun(run: DirectoryRun): Promise<{ client: GraphClient }>;
  /** Heartbeat and progress line of a run. */
  progress(runId: string, change: { progress?: string; counts?: Partial<RunCounts> }): Promise<unknown>;
  clock: Clock;
  /** How old the last groups sync may be for the inventory to take groups from the cache; 0 = never. */
  cacheMaxAgeMinutes: number;
}
