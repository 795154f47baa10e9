import * as df from 'durable-functions';
import type { ActivityHandler } from 'durable-functions';

/** A feature's activities by function name; one that starts or inspects instances asks for the Durable client. */
export type Activities = Record<string, ActivityHandler | { handler: ActivityHandler; durableClient: true }>;

/**
 * Registers a feature's activities. Factories (`createBackupActivities(deps)` …) receive their
 * dependencies as a function that the handlers call when they run, so the composition root is built on
 * the first invocation, not when the host loads the app.
 */
export function registerActivities(activities: Activities): void {
  for (const [name, activity] of Object.entries(activities)) {
    if (typeof activity === 'function') df.app.activity(name, { handler: activity });
    else df.app.activity(name, { handler: activity.handler, extraInputs: [df.input.durableClient()] });
  }
}
