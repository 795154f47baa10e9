import type { TestProject } from 'vitest/node';
import type { CloudDescription } from '../../emulators/cloud';
import { startCloudProcess } from './cloud-process';

declare module 'vitest' {
  export interface ProvidedContext {
    cloud: CloudDescription;
    /** The shared cloud's data folder and log, for tests that inspect what it wrote. */
    cloudFiles: { dataDir: string; logFile: string };
  }
}

/** One local cloud (the compiled `npm start`, with the test-only functions) shared by the whole run. */
export default async function setup(project: TestProject) {
  const cloud = await startCloudProcess();
  project.provide('cloud', cloud.description);
  project.provide('cloudFiles', { dataDir: cloud.dataDir, logFile: cloud.logFile });
  return async () => {
    await cloud.stop();
  };
}
