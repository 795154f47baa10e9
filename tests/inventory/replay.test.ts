import { CosmosClient } from '@azure/cosmos';
import * as df from 'durable-functions';
import type { OrchestrationHandler } from 'durable-functions';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { flattenActions } from '../../emulators/durable/actions';
import { EventType, type HistoryEvent } from '../../emulators/durable/history';
import type { InstanceState } from '../../emulators/durable/instance';
import { inventorySync, inventorySyncLane } from '../../orchestrations/inventory-sync/orchestrator';
import { cloud } from '../support/http';
import { connectedScope, sync } from './support';

// The replay the Functions worker runs (durable-functions' own Orchestrator), fed histories by hand.
const { createOrchestrator } = createRequire(__filename)('durable-functions/lib/src/util/testingUtils') as {
  createOrchestrator(
    fn: OrchestrationHandler,
  ): (payload: unknown, context: unknown) => Promise<OrchestratorAnswer>;
};

interface OrchestratorAnswer {
  isDone: boolean;
  actions: unknown;
  output: unknown;
}

async function instance(id: string): Promise<InstanceState> {
  const { endpoint, key } = cloud().cosmos;
  const client = new CosmosClient({ endpoint, key });
  try {
    const { resource } = await client
      .database('durabletask-local')
      .container(`${process.env.DURABLE_TASK_HUB ?? 'TenantAtlasLocal'}-instances`)
      .item(id, id)
      .read<InstanceState>();
    if (!resource) throw new Error(`instance ${id} not found`);
    return resource;
  } finally {
    client.dispose();
  }
}

/** Replays the history as it stood at the start of episode `end` (events before it played). */
function replay(fn: OrchestrationHandler, state: InstanceState, end: number): Promise<OrchestratorAnswer> {
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
  flattenActions(actions).map((action) =>
    JSON.stringify([action.functionName, action.input, action.instanceId ?? null]),
  );

/**
 * Replays the orchestration after every event it received and checks each replay asks for exactly the
 * work the recorded run did, in the same order, and the last one ends with the recorded output.
 */
async function expectDeterministic(fn: OrchestrationHandler, state: InstanceState): Promise<number> {
  const episodes = state.history.flatMap((event, index) =>
    event.EventType === EventType.OrchestratorStarted ? [index + 2] : [],
  );
  const final = await replay(fn, state, episodes.at(-1)!);
  expect(final.isDone).toBe(true);
  expect(final.output).toEqual(state.output);
  const all = described(final.actions);
  const scheduled = new Set(
    state.history
      .filter((event: HistoryEvent) =>
        [EventType.TaskScheduled, EventType.SubOrchestrationInstanceCreated].includes(event.EventType),
      )
      .map((event) =>
        JSON.stringify([event.Name, JSON.parse(String(event.Input)), event.InstanceId ?? null]),
      ),
  );
  expect(new Set(all)).toEqual(scheduled);
  let previous = 0;
  for (const end of episodes) {
    const answer = await replay(fn, state, end);
    const actions = described(answer.actions);
    expect(actions).toEqual(all.slice(0, actions.length));
    expect(actions.length).toBeGreaterThanOrEqual(previous);
    previous = actions.length;
  }
  return episodes.length;
}

describe('inventory orchestration replay', () => {
  it('is deterministic: a replay after every event schedules what the run did', async () => {
    const scope = await connectedScope('Inventory replay', 'contoso');
    const run = await sync(scope, {
      selection: {
        policyTypes: [
          'deviceConfigurations',
          'configurationPolicies',
          'mobileApps',
          'deviceManagementScripts',
          'intents',
        ],
        includeFoundations: false,
      },
    });
    expect(run.outcome).toBe('succeeded');
    const parent = await instance(run.instanceId);
    expect(parent.status).toBe('Completed');
    expect(await expectDeterministic(inventorySync, parent)).toBeGreaterThan(5);
    for (let lane = 0; lane < 4; lane++) {
      const state = await instance(`${run.instanceId}:lane${lane}`);
      expect(await expectDeterministic(inventorySyncLane, state)).toBeGreaterThan(1);
    }
  });
});
