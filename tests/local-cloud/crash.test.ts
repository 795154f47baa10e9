import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/http';
import { OwnCloud } from '../backup/own-cloud';

/**
 * The hard case of a restart: the local cloud's process is killed (SIGKILL) while a run writes, then
 * started again on the same data folder. Every run must end, nothing may stay `running`, and nothing
 * the first process wrote may be doubled or lost (the local Cosmos DB journals each answered write).
 */
let cloud: OwnCloud;
let scope: Awaited<ReturnType<OwnCloud['connectedTenant']>>;

beforeAll(async () => {
  cloud = await OwnCloud.start({});
  scope = await cloud.connectedTenant('Crash', 'contoso');
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
});

/** Slow Graph down, so the kill lands in the middle of the run's writes. */
async function slowGraph(target: OwnCloud) {
  await target.control('/tenants/contoso/realism', 'PATCH', { latency: { fixedMs: 120, jitterMs: 0 } });
}

async function start(type: string) {
  const started = await cloud.api('POST', `${scope.base}/operations`, { as: 'olga', body: { type } });
  expect(started.status, started.text).toBe(202);
  return started.body.run.id as string;
}

/** Waits for a condition (probed every 50 ms). */
function until(_what: string, condition: () => Promise<boolean>, timeoutMs = 120_000) {
  return eventually(async () => ((await condition()) ? true : undefined), timeoutMs, 50);
}

async function runStatus(target: OwnCloud, runId: string) {
  return (await target.api('GET', `/operations/${runId}`, { as: 'olga' })).body as {
    status: string;
    outcome: string;
    result: Record<string, number>;
    failures: unknown;
  };
}

async function versionsByItem(target: OwnCloud): Promise<Map<string, number>> {
  const { resources } = await target
    .container('policyVersions')
    .items.query<{ itemId: string }>({
      query: "SELECT c.itemId FROM c WHERE c.tenantId = @t AND c.docType = 'version'",
      parameters: [{ name: '@t', value: scope.tenantId }],
    })
    .fetchAll();
  const counts = new Map<string, number>();
  for (const { itemId } of resources) counts.set(itemId, (counts.get(itemId) ?? 0) + 1);
  return counts;
}

async function unfinishedRuns(target: OwnCloud): Promise<unknown[]> {
  const { resources } = await target
    .container('runs')
    .items.query({
      query: "SELECT c.id, c.type, c.status FROM c WHERE c.tenantId = @t AND c.status != 'completed'",
      parameters: [{ name: '@t', value: scope.tenantId }],
    })
    .fetchAll();
  return resources;
}

describe('a crash of the local cloud mid-run (SIGKILL, then a start on the same data)', () => {
  it('an inventory sync killed while it stores versions ends once restarted, with every object stored once', async () => {
    await slowGraph(cloud);
    const runId = await start('inventory.sync');
    await until('the sync to store its first versions', async () => (await versionsByItem(cloud)).size >= 5);
    expect((await runStatus(cloud, runId)).status).not.toBe('completed');

    cloud = await cloud.crashAndRestart();
    const run = await cloud.finished(runId, 180_000);
    expect(run.outcome, JSON.stringify(run.failures)).toBe('succeeded');
    expect(await unfinishedRuns(cloud)).toEqual([]);
    const versions = await versionsByItem(cloud);
    expect([...versions.values()].every((count) => count === 1)).toBe(true);

    // Nothing was lost either: a second sync of the unchanged tenant finds every object already stored.
    const again = await cloud.finished(await start('inventory.sync'));
    expect(again.outcome, JSON.stringify(again.failures)).toBe('succeeded');
    expect(again.result.totals).toMatchObject({ versionsCreated: 0, new: 0, changed: 0, removed: 0 });
    expect((await versionsByItem(cloud)).size).toBe(versions.size);
  }, 400_000);

  it('a backup killed mid-run ends once restarted, its set holding every object once', async () => {
    await slowGraph(cloud);
    const runId = await start('backup.run');
    await until('the backup to be under way', async () => {
      const run = await runStatus(cloud, runId);
      return run.status === 'running' && Boolean((run as { progress?: string | null }).progress);
    });
    cloud = await cloud.crashAndRestart();
    const run = await cloud.finished(runId, 180_000);
    expect(run.outcome, JSON.stringify(run.failures)).toBe('succeeded');
    expect(await unfinishedRuns(cloud)).toEqual([]);

    const items = await cloud.backupItems(scope.base, runId);
    expect(items.length).toBe(run.result.items);
    const keys = items.map((item) => `${item.policyType}/${item.graphId}`);
    expect(new Set(keys).size).toBe(keys.length);
    const inventory = await cloud.api('GET', `${scope.base}/inventory?limit=1`, { as: 'olga' });
    expect(inventory.status).toBe(200);
    expect([...(await versionsByItem(cloud)).values()].every((count) => count === 1)).toBe(true);
  }, 400_000);
});
