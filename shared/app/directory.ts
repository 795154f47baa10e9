import { getConfig } from '../config';
import { createDirectory, type Directory } from '../directory';
import { DirectoryStore } from '../directory/store';
import { graphForRun } from '../providers/graph-access';
import { systemClock } from '../schedules/clock';
import { container } from '../store/cosmos';
import { getServices } from './services';

let directory: Directory | undefined;

/** The directory cache wired to the process's services (created on first use). */
export function directoryModule(): Directory {
  if (!directory) {
    const services = getServices();
    directory = createDirectory({
      store: new DirectoryStore(container('directory')),
      loadRun: (runId) => services.runs.get(runId),
      graphForRun,
      progress: (runId, change) => services.lifecycle.progress(runId, change),
      clock: systemClock,
      cacheMaxAgeMinutes: getConfig().DIRECTORY_CACHE_MAX_AGE_MINUTES,
    });
  }
  return directory;
}
