import { describe, expect, it } from 'vitest';
import { api, freshWorkspace } from '../support/api';
import { eventually } from '../support/http';
import { finished, operationsPath, start, topicMessages } from './support';

async function eventsOf(runId: string, count: number) {
  return eventually(async () => {
    const events = (await topicMessages()).filter((m) => m.body.runId === runId);
    return events.length >= count ? events : undefined;
  });
}

describe('lifecycle events on the operation-events topic', () => {
  it('arrive once per state change, in order, with run id + state as their id', async () => {
    const scope = await freshWorkspace('Events');
    const run = await start(scope, 'olga', { type: 'test.progress', steps: 3, stepMs: 300 });
    await finished(run.id);
    const events = await eventsOf(run.id, 3);
    // Progress in between must not repeat states: wait a poll longer and count again.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const settled = (await topicMessages()).filter((m) => m.body.runId === run.id);
    expect(settled).toHaveLength(3);
    expect(events.map((m) => m.body)).toEqual([
      expect.objectContaining({ eventId: `${run.id}:queued`, state: 'queued', outcome: 'pending' }),
      expect.objectContaining({ eventId: `${run.id}:running`, state: 'running' }),
      expect.objectContaining({
        eventId: `${run.id}:completed`,
        state: 'completed',
        outcome: 'succeeded',
        runType: 'test.progress',
        workspaceId: scope.workspaceId,
        tenantId: scope.tenantId,
        link: `/api/operations/${run.id}`,
        reasonCodes: [],
      }),
    ]);
  });

  it('a run that never started announces queued and completed only', async () => {
    const scope = await freshWorkspace('Events dispatch failure');
    const refused = await api('POST', operationsPath(scope), {
      as: 'olga',
      body: { type: 'test.no_orchestrator' },
    });
    expect(refused.status).toBe(503);
    const events = await eventsOf(refused.body.run.id, 2);
    expect(events.map((m) => m.body.state)).toEqual(['queued', 'completed']);
    expect(events[1]!.body).toMatchObject({ outcome: 'failed', reasonCodes: ['dispatch_failed'] });
  });
});
