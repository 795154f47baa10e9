import { readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveAppSettings } from './expressions';

/** The parts of host.json the local host honours (the rest is for Azure). */
export interface HostSettings {
  routePrefix: string;
  taskHub: string;
  maxConcurrentActivityFunctions: number;
  maxConcurrentOrchestratorFunctions: number;
}

export function readHostSettings(appRoot: string, env: Record<string, string | undefined>): HostSettings {
  const json = JSON.parse(readFileSync(path.join(appRoot, 'host.json'), 'utf8')) as {
    extensions?: {
      http?: { routePrefix?: string };
      durableTask?: {
        hubName?: string;
        maxConcurrentActivityFunctions?: number;
        maxConcurrentOrchestratorFunctions?: number;
      };
    };
  };
  const durable = json.extensions?.durableTask ?? {};
  return {
    routePrefix: (json.extensions?.http?.routePrefix ?? 'api').replace(/^\/+|\/+$/g, ''),
    taskHub: resolveAppSettings(durable.hubName ?? 'TestHubName', env),
    maxConcurrentActivityFunctions: durable.maxConcurrentActivityFunctions ?? 10,
    maxConcurrentOrchestratorFunctions: durable.maxConcurrentOrchestratorFunctions ?? 10,
  };
}
