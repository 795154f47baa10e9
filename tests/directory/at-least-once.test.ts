import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createGroupSync } from '../../shared/directory/group-sync';
import { getContract } from '../../shared/graph';
import { systemClock } from '../../shared/clock';
import { oracleClient } from '../inventory/oracle';
import { directoryStore } from './support';

/**
 * The groups sync's activities run against the real Cosmos emulator and the simulated Graph (contoso,
 * which nobody changes), called directly so the test can run a step twice and lose a write, as
 * at-least-once execution does.
 */
const READ_TENANT = 'contoso';

function harness() {
  const store = directoryStore();
  const run = {
    id: randomUUID(),
    workspaceId: 'at-least-once',
    tenantId: `alo-${randomUUID()}`,
    context: {},
  };
  const progress: string[] = [];
  const sync = createGroupSync({
    store,
    loadRun: async (runId) => (runId === run.id ? run : undefined),
    graphForRun: async () => ({ client: oracleClient(READ_TENANT) }),
    progress: async (_runId, change) => {
      if (change.progress) progress.push(change.progress);
    },
    clock: systemClock,
    cacheMaxAgeMinutes: 60,
  });
  return { store, run, sync, progress };
}

async function graphGroupCount(): Promise<number> {
  let count = 0;
  for await (const _group of oracleClient(READ_TENANT).listAll(getContract('groups'))) count++;
  return count;
}

describe('directory.groups.sync under at-least-once execution', () => {
  it('a page re-read after its move was lost, and every step run twice, leave each group once', async () => {
    const { store, run, sync, progress } = harness();
    const pageLimit = { maxPages: 1, maxMs: 60_000 };
    expect(await sync.begin(run.id)).toEqual({ mode: 'full' });
    expect(await sync.begin(run.id)).toEqual({ mode: 'full' });
    const first = await sync.segment(run.id, pageLimit);
    expect(first).toMatchObject({ done: false, pages: 1, read: 100 });

    // The second segment writes its page's groups, then the write that moves the round on is lost.
    const beforeSecond = await store.groupState(run.tenantId);
    const second = await sync.segment(run.id, pageLimit);
    expect(second).toMatchObject({ done: false, pages: 2, read: 200 });
    await store.saveState(beforeSecond);
    const replayed = await sync.segment(run.id, pageLimit);
    expect(replayed).toEqual(second);

    let segments = 3;
    while (!(await sync.segment(run.id, pageLimit)).done) segments++;
    const completion = await sync.finish(run.id);
    expect(await sync.finish(run.id)).toEqual(completion);
    // Finished rounds answer their end again instead of reading more.
    expect(await sync.segment(run.id, pageLimit)).toMatchObject({ done: true });

    const total = await graphGroupCount();
    expect(segments).toBe(Math.ceil(total / 100));
    expect(progress.length).toBeGreaterThan(0);
    // Counts come from the committed round: the page whose move was lost is counted once. A full read
    // rewrites what it reads (upserts by group id), so the replay overwrote the same 100 documents.
    expect(completion.result).toMatchObject({ mode: 'full', read: total, written: total, removed: 0 });
    const { resources } = await store.container.items
      .query<{ id: string }>({
        query: "SELECT c.id FROM c WHERE c.tenantId = @t AND c.docType = 'group'",
        parameters: [{ name: '@t', value: run.tenantId }],
      })
      .fetchAll();
    expect(resources).toHaveLength(total);
    expect(new Set(resources.map((doc) => doc.id)).size).toBe(total);
    const state = await store.groupState(run.tenantId);
    expect(state.round).toBeNull();
    expect(state.deltaLink).toMatch(/\/groups\/delta\?\$deltatoken=/);
    expect(state.last).toMatchObject({ runId: run.id, mode: 'full' });
  });

  it('a segment that runs again after the round ended reads nothing more', async () => {
    const { run, sync } = harness();
    await sync.begin(run.id);
    const done = await sync.segment(run.id);
    expect(done.done).toBe(true);
    expect(await sync.segment(run.id)).toEqual(done);
  });
});
