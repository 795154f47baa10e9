import { CosmosClient, type Container } from '@azure/cosmos';
import * as df from 'durable-functions';
import type { OrchestrationHandler } from 'durable-functions';
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import { ActionType, flattenActions } from '../../emulators/durable/actions';
import { EventType, type HistoryEvent } from '../../emulators/durable/history';
import type { InstanceState } from '../../emulators/durable/instance';
import { cloud } from './http';

// The replay the Functions worker runs (durable-functions' own Orchestrator), fed recorded histories.
const { createOrchestrator } = createRequire(__filename)('durable-functions/lib/src/util/testingUtils') as {
  createOrchestrator(fn: OrchestrationHandler): (payload: unknown, context: unknown) => Promise<Answer>;
};

interface Answer {
  isDone: boolean;
  actions: unknown;
  output: unknown;
}

/** The local Durable engine's record of an instance (one document per instance). */
/**
 * An instance from a Durable store, once it has ended: a run's document completes a moment before its
 * orchestration records its own end, and a replay needs the whole history (30 s at most).
 */
export async function instanceState(instances: Container, id: string): Promise<InstanceState> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { resource } = await instances.item(id, id).read<InstanceState>();
    if (!resource) throw new Error(`instance ${id} not found`);
    if (['Completed', 'Failed', 'Terminated'].includes(String(resource.status)) || Date.now() > deadline)
      return resource;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** An instance of the test run's shared local cloud, read from its Durable store. */
export async function sharedCloudInstance(id: string): Promise<InstanceState> {
  const { endpoint, key } = cloud().cosmos;
  const client = new CosmosClient({ endpoint, key });
  try {
    const hub = process.env.DURABLE_TASK_HUB ?? 'TenantAtlasLocal';
    return await instanceState(client.database('durabletask-local').container(`${hub}-instances`), id);
  } finally {
    client.dispose();
  }
}

/** Replays the history as it stood at the start of episode `end` (events before it played). */
function replay(fn: OrchestrationHandler, state: InstanceState, end: number): Promise<Answer> {
  const history = state.history.slice(0, end).map((event, index, all) => ({
    ...event,
    // The episode being processed is [OrchestratorStarted, its event]: not played yet.
    IsPlayed: index < all.length - 2,
  }));
  return createOrchestrator(fn)(
    {
      history,
      input: state.input,
      instanceId: state.id,
      isReplaying: end > 2,
      parentInstanceId: state.parentInstanceId,
      upperSchemaVersion: 1,
      upperSchemaVersionNew: 2,
      longRunningTimerIntervalDuration: '3.00:00:00',
      maximumShortTimerDuration: '3650.00:00:00',
      defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
    },
    new df.DummyOrchestrationContext(),
  );
}

const described = (actions: unknown) =>
  flattenActions(actions).map((a) =>
    JSON.stringify([a.functionName ?? a.actionType, a.input ?? a.fireAt ?? null, a.instanceId ?? null]),
  );

const SCHEDULING = [EventType.TaskScheduled, EventType.SubOrchestrationInstanceCreated];

/**
 * Replays the recorded orchestration after every event it received: each replay must ask for exactly
 * the work the run did, in the same order, and the last must end with the recorded output. Returns the
 * number of episodes replayed.
 */
export async function expectDeterministic(fn: OrchestrationHandler, state: InstanceState): Promise<number> {
  const episodes = state.history.flatMap((event, index) =>
    event.EventType === EventType.OrchestratorStarted ? [index + 2] : [],
  );
  const final = await replay(fn, state, episodes.at(-1)!);
  expect(final.isDone).toBe(true);
  expect(final.output).toEqual(state.output);
  const all = described(final.actions);
  // Every activity and sub-orchestration the run scheduled (a retried one several times) is asked for.
  const scheduled = state.history
    .filter((event: HistoryEvent) => SCHEDULING.includes(event.EventType))
    .map((event) => JSON.stringify([event.Name, JSON.parse(String(event.Input)), event.InstanceId ?? null]));
  const work = flattenActions(final.actions).map((a) => a.actionType);
  const scheduling = all.filter(
    (_, i) => work[i] !== ActionType.CreateTimer && work[i] !== ActionType.WaitForExternalEvent,
  );
  expect(new Set(scheduling)).toEqual(new Set(scheduled));
  let previous = 0;
  for (const end of episodes) {
    const actions = described((await replay(fn, state, end)).actions);
    expect(actions).toEqual(all.slice(0, actions.length));
    expect(actions.length).toBeGreaterThanOrEqual(previous);
    previous = actions.length;
  }
  return episodes.length;
}
