/**
 * `npm run bench:scheduler`: 1,000 tenants, each with a backup schedule due at the same minute.
 *
 * 1. One scheduler tick (through the Azure admin API, as an operator would run it): how long it takes to
 *    start them all, and how many runs it created.
 * 2. Another 1,000 tenants due at once and two ticks racing: runs created and duplicates (must be 0),
 *    counted three ways (run documents, Durable instances, dispatches the ticks report).
 *
 * It runs its own local cloud (the compiled `npm start`) so nothing else competes for it. Tenants have
 * no provider connection: each backup ends `provider_not_configured` after a few activities, which keeps
 * the orchestrations that follow the tick cheap — the tick's own work is what is measured.
 */
import { CosmosClient, type Container } from '@azure/cosmos';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { latestFireAtOrBefore, cadenceSchema } from '../shared/schedules/cadence';
import type { ManagedTenant } from '../shared/workspaces/models';
import { startCloudProcess, type CloudProcess } from '../tests/support/cloud-process';
import { argValue, cpuTimeMs } from './harness';
import { measureStoreCapacity } from './store-capacity';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 1000);
const SCHEDULER = 'backupScheduler';

interface TickLine {
  isPastDue: boolean;
  due: number;
  started: number;
  alreadyClaimed: number;
  dispatchFailed: number;
  errors: number;
  elapsedMs: number;
}

/**
 * `--baseline DIR`: first the whole benchmark against another compiled checkout (e.g. a worktree of the
 * commit before a change, `npm run -s compile` there, its `.local/ca` linked to this one's), then against
 * this one: both in the same invocation, so the machine's load is as alike as it gets.
 * `--cpu-prof DIR`: this checkout's local cloud writes a V8 CPU profile there when it stops.
 */
async function main() {
  const baselineRoot = argValue('--baseline');
  const profileDir = argValue('--cpu-prof');
  if (baselineRoot) {
    console.log(`=== Baseline (${baselineRoot}) ===`);
    await benchmark({ root: baselineRoot });
    console.log('\n=== This checkout ===');
  }
  await benchmark(profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {});
}

async function benchmark(options: { root?: string; nodeArgs?: string[] }) {
  const cloud = await startCloudProcess({ env: { LOCAL_EXTRA_ENTRY_FILES: '' }, ...options });
  try {
    await run(cloud);
  } finally {
    await cloud.stop();
    rmSync(cloud.dataDir, { recursive: true, force: true });
  }
}

async function run(cloud: CloudProcess) {
  const { functions, cosmos, demo } = cloud.description;
  const alice = demo!.users.find((u) => u.name === 'alice')!;
  const client = new CosmosClient({
    endpoint: cosmos.endpoint,
    key: cosmos.key,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  const db = client.database(cosmos.database);
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${functions.apiBaseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  console.log(`Seeding 2 × ${TENANTS} tenants with one daily schedule each …`);
  const seedStart = performance.now();
  const groups = [];
  for (const name of ['single tick', 'two racing ticks']) {
    const workspace = await api('POST', '/workspaces', { name: `Scheduler bench: ${name}` });
    groups.push({ name, workspaceId: workspace.id as string, ...(await seed(workspace.id, db, api)) });
  }
  console.log(`  seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const results = [];
  for (const [index, group] of groups.entries()) {
    const ticks = index === 0 ? 1 : 2;
    // Start right after a minute boundary, so the host's own every-minute run does not join in.
    await untilSecondOfMinute(2);
    const slot = await makeDue(db.container('backups'), group.scheduleIds, group.tenantIds);
    const logBefore = readFileSync(cloud.logFile, 'utf8').length;
    const started = performance.now();
    const cpuBefore = cpuTimeMs(cloud.pid);
    await Promise.all(Array.from({ length: ticks }, () => invoke(functions.baseUrl, functions.masterKey)));
    const tickLines = await waitForTicks(cloud.logFile, logBefore, ticks);
    // What went wrong with a schedule, as the tick logged it (`Schedule {id}: {message}`).
    const errorLines = readFileSync(cloud.logFile, 'utf8')
      .slice(logBefore)
      .split('\n')
      .filter((line) => /Schedule [^ ]+: /.test(line) && !line.includes('catching up'))
      .slice(0, 5);
    const wallMs = performance.now() - started;
    const cpuAfter = cpuTimeMs(cloud.pid);
    const cpuMs = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
    const roundTrips = await waitForRoundTrips(cloud.logFile, logBefore, ticks);
    const counts = await countRuns(db.container('runs'), group.workspaceId, TENANTS);
    const instances = await countInstances(functions, group.scheduleIds, slot);
    // A later tick for the same slot starts nothing.
    const laterOffset = readFileSync(cloud.logFile, 'utf8').length;
    await invoke(functions.baseUrl, functions.masterKey);
    await waitForQuietTick(cloud.logFile, laterOffset);
    const later = await countRuns(db.container('runs'), group.workspaceId, TENANTS);
    // The runs the tick started go on in the same process: let them end before the next scenario.
    const drained = await untilRunsEnded(db.container('runs'), group.workspaceId, started);
    results.push({
      group: group.name,
      ticks,
      tickLines,
      wallMs,
      cpuMs,
      errorLines,
      counts,
      instances,
      later,
      drained,
      roundTrips,
    });
  }

  const capacity = await measureStoreCapacity(cosmos);
  console.log('\nScheduler benchmark');
  console.log(
    `  store capacity (same run, its own client, 32 in flight): ${capacity.pointReadsPerSecond.toFixed(0)} point reads/s, ` +
      `${capacity.writesPerSecond.toFixed(0)} single-document writes/s`,
  );
  console.log(`  schedules due at the same minute: ${TENANTS} (one per tenant)`);
  for (const r of results) {
    const started = r.tickLines.reduce((sum, t) => sum + t.started, 0);
    const claimed = r.tickLines.reduce((sum, t) => sum + t.alreadyClaimed, 0);
    console.log(`\n  ${r.group} (${r.ticks} tick${r.ticks > 1 ? 's' : ''})`);
    console.log(
      `    tick time:            ${r.tickLines.map((t) => `${(t.elapsedMs / 1000).toFixed(2)} s`).join(' and ')}` +
        ` (admin call → tick logged: ${(r.wallMs / 1000).toFixed(2)} s)`,
    );
    console.log(
      `    rate:                 ${Math.round(TENANTS / (Math.max(...r.tickLines.map((t) => t.elapsedMs)) / 1000))} schedules/s`,
    );
    if (r.cpuMs !== undefined)
      console.log(
        `    local cloud CPU:      ${(r.cpuMs / 1000).toFixed(1)} s until the tick ended, ${(r.cpuMs / TENANTS).toFixed(1)} ms per slot ` +
          `(the tick, the store, and the orchestrations it started meanwhile)`,
      );
    console.log(`    runs created:         ${r.counts.runs}`);
    const perSlot = (kind: string) => ((r.roundTrips[kind] ?? 0) / TENANTS).toFixed(2);
    const cosmosTotal = Object.entries(r.roundTrips)
      .filter(([kind]) => kind !== 'durable')
      .reduce((sum, [, n]) => sum + n, 0);
    console.log(
      `    per scheduled slot:   ${(cosmosTotal / TENANTS).toFixed(2)} Cosmos round trips (` +
        Object.keys(r.roundTrips)
          .filter((kind) => kind !== 'durable' && r.roundTrips[kind]! > 0)
          .map((kind) => `${kind} ${perSlot(kind)}`)
          .join(', ') +
        `), ${perSlot('durable')} Durable client calls`,
    );
    // What the store alone would allow for this many round trips per slot (reads and writes each at its rate).
    const reads = ['pointReads', 'queries', 'metadata'].reduce(
      (sum, kind) => sum + (r.roundTrips[kind] ?? 0),
      0,
    );
    const storeMs =
      (reads / capacity.pointReadsPerSecond + (cosmosTotal - reads) / capacity.writesPerSecond) * 1000;
    console.log(
      `    the store alone:      ${(storeMs / 1000).toFixed(2)} s for these round trips ` +
        `(tick took ${(Math.max(...r.tickLines.map((t) => t.elapsedMs)) / storeMs).toFixed(1)}× that)`,
    );
    console.log(`    dispatched by ticks:  ${started} (already claimed by the other tick: ${claimed})`);
    console.log(`    Durable instances:    ${r.instances.found} of ${TENANTS}`);
    console.log(
      `    duplicates:           ${r.counts.duplicates} (after a later tick for the same slot: runs ${r.later.runs}, duplicates ${r.later.duplicates})`,
    );
    console.log(
      `    all runs ended:       ${(r.drained / 1000).toFixed(1)} s after the admin call (each fails provider_not_configured)`,
    );
    console.log(
      `    errors / dispatch failures: ${r.tickLines.reduce((s, t) => s + t.errors, 0)} / ${r.tickLines.reduce((s, t) => s + t.dispatchFailed, 0)}`,
    );
    for (const line of r.errorLines) console.log(`      ${line.slice(0, 300)}`);
  }
  const bad = results.some(
    (r) =>
      r.counts.runs !== TENANTS ||
      r.counts.duplicates !== 0 ||
      r.later.runs !== TENANTS ||
      r.instances.found !== TENANTS ||
      r.tickLines.reduce((sum, t) => sum + t.started, 0) !== TENANTS,
  );
  if (bad) {
    console.error('\nFAILED: every schedule must get exactly one run.');
    process.exitCode = 1;
  }
}

/** Tenants written directly (the API's duplicate-name check reads every tenant: quadratic for a bulk seed). */
async function seed(
  workspaceId: string,
  db: ReturnType<CosmosClient['database']>,
  api: (method: string, path: string, body?: unknown) => Promise<{ id: string }>,
) {
  const tenants = db.container('tenants');
  const tenantIds: string[] = [];
  const scheduleIds: string[] = [];
  const minute = new Date(Date.now() - 60_000).toISOString().slice(11, 16);
  await forEachLimited(
    Array.from({ length: TENANTS }, (_, i) => i),
    16,
    async (i) => {
      const tenant: ManagedTenant = {
        id: randomUUID(),
        kind: 'tenant',
        workspaceId,
        name: `bench-${i}`,
        displayName: `Bench tenant ${i}`,
        entraTenantId: null,
        domain: null,
        status: 'active',
        defaultConnectionId: null,
        createdAt: new Date().toISOString(),
        createdBy: 'bench',
        archivedAt: null,
      };
      await tenants.items.create(tenant);
      // Schedules through the API, as a manager would create them.
      const schedule = await api('POST', `/workspaces/${workspaceId}/tenants/${tenant.id}/backup-schedules`, {
        name: 'Nightly',
        cadence: { frequency: 'daily', timeOfDay: minute, timeZone: 'UTC' },
        retention: { keepLast: 7 },
      });
      tenantIds[i] = tenant.id;
      scheduleIds[i] = schedule.id;
    },
  );
  return { tenantIds, scheduleIds };
}

/**
 * Makes every schedule due at the minute now running, as a host's timer finds them when it fires at the
 * minute (a tick then treats a slot another tick claimed as that tick's to advance). Late in a minute it
 * waits for the next one, so the tick ends before the host's own timer fires again.
 */
async function makeDue(backups: Container, scheduleIds: string[], tenantIds: string[]): Promise<Date> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 30_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 50));
  const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const timeOfDay = slot.toISOString().slice(11, 16);
  await forEachLimited(
    scheduleIds.map((id, i) => [id, tenantIds[i]!] as const),
    32,
    async ([id, tenantId]) => {
      const item = backups.item(id, tenantId);
      const { resource } = await item.read();
      const cadence = cadenceSchema.parse({ ...resource.cadence, timeOfDay });
      if (latestFireAtOrBefore(cadence, slot).getTime() !== slot.getTime()) throw new Error('Slot mismatch');
      await item.replace({ ...resource, cadence, nextRunAt: slot.toISOString() });
    },
  );
  return slot;
}

async function invoke(baseUrl: string, masterKey: string) {
  const response = await fetch(`${baseUrl}/admin/functions/${SCHEDULER}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-functions-key': masterKey },
    body: JSON.stringify({ input: '' }),
  });
  if (response.status !== 202) throw new Error(`admin call: ${response.status}`);
}

/** The ticks' own summary lines (`backupScheduler tick {...}`) written after `offset` in the cloud's log. */
async function waitForTicks(logFile: string, offset: number, count: number): Promise<TickLine[]> {
  const deadline = Date.now() + 10 * 60_000;
  while (Date.now() < deadline) {
    const lines = readFileSync(logFile, 'utf8')
      .slice(offset)
      .split('\n')
      .filter((line) => line.includes('backupScheduler tick'))
      .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as TickLine);
    if (lines.length >= count) return lines;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('The scheduler ticks did not finish within 10 minutes.');
}

/**
 * The local host's count of each tick's Cosmos round trips (`[backupScheduler] Cosmos round trips {...}`,
 * logged for runs through the admin API), summed over the ticks.
 */
async function waitForRoundTrips(logFile: string, offset: number, count: number) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const lines = readFileSync(logFile, 'utf8')
      .slice(offset)
      .split('\n')
      .filter((line) => line.includes(`[${SCHEDULER}] Cosmos round trips`))
      .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as Record<string, number>);
    if (lines.length >= count) {
      const total: Record<string, number> = {};
      for (const line of lines)
        for (const [kind, n] of Object.entries(line)) total[kind] = (total[kind] ?? 0) + n;
      return total;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("The host did not log the ticks' round trips.");
}

/** A tick with nothing due logs nothing: give it a moment (it ends within milliseconds then). */
async function waitForQuietTick(logFile: string, offset: number) {
  const deadline = Date.now() + 2_000;
  while (Date.now() < deadline) {
    if (readFileSync(logFile, 'utf8').slice(offset).includes('backupScheduler tick')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Milliseconds from `since` until no run of the workspace is active any more. */
async function untilRunsEnded(runs: Container, workspaceId: string, since: number): Promise<number> {
  for (;;) {
    const { resources } = await runs.items
      .query<number>({
        query: "SELECT VALUE COUNT(1) FROM c WHERE c.workspaceId = @w AND c.status != 'completed'",
        parameters: [{ name: '@w', value: workspaceId }],
      })
      .fetchAll();
    if (resources[0] === 0) return performance.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function countRuns(runs: Container, workspaceId: string, expected: number) {
  const { resources } = await runs.items
    .query<{ scheduleId: string; scheduledFor: string }>({
      query:
        "SELECT c.context.scheduleId, c.context.scheduledFor FROM c WHERE c.workspaceId = @w AND c.type = 'backup_schedule.scheduled'",
      parameters: [{ name: '@w', value: workspaceId }],
    })
    .fetchAll();
  const perSlot = new Map<string, number>();
  for (const r of resources)
    perSlot.set(
      `${r.scheduleId}|${r.scheduledFor}`,
      (perSlot.get(`${r.scheduleId}|${r.scheduledFor}`) ?? 0) + 1,
    );
  const duplicates = [...perSlot.values()].reduce((sum, n) => sum + n - 1, 0);
  if (resources.length !== expected) console.warn(`  expected ${expected} runs, found ${resources.length}`);
  return { runs: resources.length, duplicates };
}

/** Durable instances `backup-schedule:{scheduleId}:{slot}`, one lookup each through the operator API. */
async function countInstances(
  { durableBaseUrl, masterKey }: { durableBaseUrl: string; masterKey: string },
  scheduleIds: string[],
  slot: Date,
) {
  const fireTime = slot.toISOString().replace(/\.\d{3}Z$/, 'Z');
  let found = 0;
  await forEachLimited(scheduleIds, 32, async (id) => {
    const response = await fetch(
      `${durableBaseUrl}/instances/${encodeURIComponent(`backup-schedule:${id}:${fireTime}`)}?code=${masterKey}`,
    );
    await response.text();
    if (response.status === 200 || response.status === 202) found++;
  });
  return { found };
}

/** Waits for the start of the next minute (plus a little), unless one has just begun. */
async function untilSecondOfMinute(second: number) {
  const now = new Date();
  const intoMinute = now.getUTCSeconds() * 1000 + now.getUTCMilliseconds();
  if (intoMinute >= second * 1000 && intoMinute < (second + 3) * 1000) return;
  const wait = (60_000 + second * 1000 - intoMinute) % 60_000;
  await new Promise((resolve) => setTimeout(resolve, wait));
}

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
