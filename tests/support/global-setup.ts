import type { TestProject } from 'vitest/node';
import type { CloudDescription } from '../../emulators/cloud';
import { startCloudProcess } from './cloud-process';

declare module 'vitest' {
  export interface ProvidedContext {
    cloud: CloudDescription;
  }
}

/** One local cloud (the compiled `npm start`, with the test-only functions) shared by the whole run. */
export default async function setup(project: TestProject) {
  const cloud = await startCloudProcess();
  project.provide('cloud', cloud.description);
  return async () => {
    await cloud.stop();
  };
}
