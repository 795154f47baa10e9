import type { LocalCloud } from '../emulators/cloud';
import { INTUNE_RATE_LIMIT } from '../emulators/microsoft';
import { generatedPlan } from '../emulators/microsoft/tenants/build';
import { getContract, type GraphContract } from '../shared/graph';
import { WRITE_CONCURRENCY } from '../orchestrations/restore/contract';
import { connectBenchTenant, measureRun, withBenchCloud, type JsonClient } from './harness';

/**
 * `npm run bench:restore`: a backup of a generated tenant of 1,000 objects (every family, with
 * assignments), restored into an empty generated tenant (whose directory has the source's group names,
 * nothing else) and into the unchanged source tenant. 50 ms Graph latency, Intune's rate limits.
 * Prints Graph write requests against the lower bound computed from the plan and the backed-up versions,
 * the execute's wall time against the write rate limit and latency, and the preview's Graph requests
 * against plan objects ÷ 20 (a `$batch` of 20 per request).
 */

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 1000);
/** Which restores to run: `empty`, `source` or both (default; a comma-separated list). */
const INTO = (process.env.BENCH_RESTORE_INTO ?? 'empty,source').split(',');
const LATENCY_MS = 50;
const SOURCE = 'restore-source';
const EMPTY = 'restore-empty';
const BATCH = 20;

type Bench = Awaited<ReturnType<typeof connectBenchTenant>>;
type LogEntry = { method: string; endpoint: string; status: number; batchRequestId?: string };

interface RunView {
  id: string;
  status: string;
  outcome: string;
  failures: unknown[];
  result: Record<string, unknown>;
}

interface PlanItemView {
  policyType: string;
  sourceGraphId: string;
  sourceVersionId: string | undefined;
  displayName: string;
  action: string;
  reasonCode: string | null;
  diff: Array<{ path: string }>;
  skippedAssignments: number | undefined;
  result: { outcome: string; reasonCode: string | null; message: string | null } | null;
}

interface VersionContent {
  object: Record<string, unknown>;
  subResources: Record<string, unknown[]>;
  assignments: unknown[];
}

async function main(): Promise<void> {
  // The empty tenant: no policies, and as many groups as the source has, with the same names (groups
  // are generated from one list of names), so assignments map by name.
  const groups = generatedPlan(OBJECTS).groups;
  const tenants = `${SOURCE}:${OBJECTS}:13,${EMPTY}:0:14:${groups}`;
  console.log(`Starting the local cloud with a generated tenant of ${OBJECTS} objects and an empty one…`);
  await withBenchCloud(tenants, async (cloud) => {
    const figures = await bench(cloud);
    report(figures);
  });
}

async function bench(cloud: LocalCloud) {
  const source = await connectBenchTenant(cloud, SOURCE, LATENCY_MS);
  const empty = await connectBenchTenant(cloud, EMPTY, LATENCY_MS, { workspaceId: source.workspaceId });
  const run = async (tenant: Bench, type: string, input: Record<string, unknown> = {}) => {
    const measured = await measureRun<RunView>(tenant, type, 200, input);
    // An execute where some objects fail still measures the rest (the failures are printed).
    const accepted = type === 'restore.execute' ? ['succeeded', 'partially_succeeded'] : ['succeeded'];
    if (!accepted.includes(measured.run.outcome))
      throw new Error(
        `${type} ${measured.run.id}: ${measured.run.outcome} ${JSON.stringify(measured.run.failures)}`,
      );
    return { ...measured, log: measured.log as LogEntry[] };
  };

  console.log('Backup of the source tenant…');
  const backup = await run(source, 'backup.run');
  const backupSetId = String(backup.run.result.backupSetId);
  console.log(`  ${JSON.stringify(backup.run.result)} in ${backup.seconds.toFixed(1)} s`);
  console.log('Directory sync of both tenants…');
  await run(source, 'directory.groups.sync');
  await run(empty, 'directory.groups.sync');
  const versions = await sourceVersions(source);

  const restore = async (target: Bench, label: string) => {
    // Each restore starts with Graph's budgets full (setting the rate limit refills them): the backup and
    // the directory syncs before it spent part of them, and a restore is not run right after a backup.
    await target.control('PATCH', `/tenants/${target.tenant}/realism`, { rateLimit: INTUNE_RATE_LIMIT });
    console.log(`Preview into ${label}…`);
    const preview = await run(target, 'restore.preview', {
      source: { tenantId: source.tenantId, backupSetId },
    });
    const items = await planItems(target.api, preview.run.id);
    console.log(`  ${summary(preview.run.result)} in ${preview.seconds.toFixed(1)} s`);
    console.log(`Execute into ${label}…`);
    const execute = await run(target, 'restore.execute', {
      previewRunId: preview.run.id,
      confirmationToken: preview.run.result.confirmationToken,
    });
    console.log(`  ${JSON.stringify(execute.run.result)} in ${execute.seconds.toFixed(1)} s`);
    const executed = await planItems(target.api, preview.run.id);
    return { label, preview, items, execute, executed, bound: writeBound(items, versions) };
  };
  const intoEmpty = INTO.includes('empty') ? await restore(empty, 'the empty tenant') : undefined;
  const intoSource = INTO.includes('source')
    ? await restore(source, 'the unchanged source tenant')
    : undefined;
  return { backup, intoEmpty, intoSource };
}

const summary = (result: Record<string, unknown>) =>
  ['items', 'create', 'update', 'unchanged', 'blocked']
    .map((key) => `${key} ${String(result[key])}`)
    .join(', ');

async function planItems(api: JsonClient, runId: string): Promise<PlanItemView[]> {
  const items: PlanItemView[] = [];
  let token: string | undefined;
  do {
    const query = `?limit=200${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`;
    const page = await api('GET', `/operations/${runId}/plan${query}`);
    items.push(...(page.items as PlanItemView[]));
    token = page.continuationToken as string | undefined;
  } while (token);
  return items;
}

/** The backed-up content of every source object, by `policyType:graphId` (read from the app's API). */
async function sourceVersions(source: Bench): Promise<Map<string, VersionContent>> {
  const base = `${source.tenantBase}/inventory`;
  const ids: Array<{ id: string; key: string; versionId: string }> = [];
  let token: string | undefined;
  do {
    const query = `?limit=200${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`;
    const page = await source.api('GET', `${base}${query}`);
    for (const item of page.items as Array<Record<string, string>>)
      ids.push({
        id: item.id!,
        key: `${item.policyType}:${item.graphId}`,
        versionId: item.currentVersionId!,
      });
    token = page.continuationToken as string | undefined;
  } while (token);
  const versions = new Map<string, VersionContent>();
  for (let at = 0; at < ids.length; at += 10)
    await Promise.all(
      ids.slice(at, at + 10).map(async ({ id, key, versionId }) => {
        const path = `${base}/${encodeURIComponent(id)}/versions/${encodeURIComponent(versionId)}`;
        versions.set(key, (await source.api('GET', path)).content as VersionContent);
      }),
    );
  return versions;
}

interface WriteBound {
  creates: number;
  updates: number;
  subResources: number;
  assignments: number;
  total: number;
}

/**
 * The fewest Graph writes the plan needs: a POST per create, plus its sub-resources Graph takes only
 * separately (one action for the whole collection, else one POST per item), plus its assignments (one
 * `assign` action, or one POST per assignment); per update, one PATCH or PUT where the object or its
 * inline sub-resources differ, and the separate parts and assignments where those differ.
 */
function writeBound(items: PlanItemView[], versions: Map<string, VersionContent>): WriteBound {
  const bound: WriteBound = { creates: 0, updates: 0, subResources: 0, assignments: 0, total: 0 };
  for (const item of items) {
    if (item.action !== 'create' && item.action !== 'update') continue;
    const contract = getContract(item.policyType);
    const version = versions.get(`${item.policyType}:${item.sourceGraphId}`);
    if (!version) throw new Error(`No stored version of ${item.policyType} ${item.sourceGraphId}`);
    const differs = (prefix: string) =>
      item.action === 'create' || item.diff.some((d) => d.path.startsWith(prefix));
    if (item.action === 'create') bound.creates++;
    else if (
      differs('/object') ||
      contract.subResources.some((sub) => sub.write === 'inline' && differs(`/subResources/${sub.name}`))
    )
      bound.updates++;
    for (const sub of contract.subResources) {
      const count = version.subResources[sub.name]?.length ?? 0;
      if (sub.write !== 'separate' || count === 0 || !differs(`/subResources/${sub.name}`)) continue;
      bound.subResources += sub.writeAction ? 1 : count;
    }
    const assignments = version.assignments.length - (item.skippedAssignments ?? 0);
    if (assignments > 0 && differs('/assignments'))
      bound.assignments += assignmentWrites(contract, assignments);
  }
  bound.total = bound.creates + bound.updates + bound.subResources + bound.assignments;
  return bound;
}

function assignmentWrites(contract: GraphContract, assignments: number): number {
  if (contract.shape.kind === 'singleton') return 0;
  const { write } = contract.assignments;
  return write.kind === 'action' ? 1 : write.kind === 'post-assignments' ? assignments : 0;
}

type Restore = NonNullable<Awaited<ReturnType<typeof bench>>['intoEmpty']>;

const isBatch = (entry: LogEntry) => entry.endpoint.endsWith('/$batch');
/** A write request, on its own or inside a `$batch` (the envelope itself is neither). */
const isWrite = (entry: LogEntry) => entry.method !== 'GET' && !isBatch(entry);
/** A read request as Graph's limits count it: a GET on its own or a `$batch` envelope of reads. */
const isRead = (entry: LogEntry) => !entry.batchRequestId && (entry.method === 'GET' || isBatch(entry));
/** Graph's own requests (Entra's token requests are logged too), each `$batch` once. */
const graph = (log: LogEntry[]) => log.filter((entry) => /^\w+ \/(v1\.0|beta)\//.test(entry.endpoint));
const sent = (log: LogEntry[]) => graph(log).filter((entry) => !entry.batchRequestId);

/** The fastest the write rate limit (token bucket: burst, then refill) and the latency allow. */
function timeBound(writes: number) {
  const limit = INTUNE_RATE_LIMIT.writesApp;
  const rate = limit.requests / limit.windowSeconds;
  const rateLimitSeconds = Math.max(0, writes - limit.requests) / rate + LATENCY_MS / 1000;
  const latencySeconds = (Math.ceil(writes / WRITE_CONCURRENCY) * LATENCY_MS) / 1000;
  return { rateLimitSeconds, latencySeconds, seconds: Math.max(rateLimitSeconds, latencySeconds) };
}

const ratio = (value: number, bound: number) =>
  bound === 0 ? (value === 0 ? 'ok (0 = 0)' : 'over (bound 0)') : `${(value / bound).toFixed(2)}×`;

function report(figures: Awaited<ReturnType<typeof bench>>) {
  console.log(
    `\nRestore of a backup set of a generated tenant of ${OBJECTS} objects, ${LATENCY_MS} ms Graph latency, Intune's rate limits\n`,
  );
  const rows: Array<[string, string, string, string]> = [['', 'measured', 'bound', 'ratio']];
  const add = (what: string, value: string, bound: string, r: string) => rows.push([what, value, bound, r]);
  add(
    'backup set',
    `${String(figures.backup.run.result.items ?? JSON.stringify(figures.backup.run.result))} objects`,
    '',
    '',
  );
  const restores = [figures.intoEmpty, figures.intoSource].filter((r) => r !== undefined);
  for (const restore of restores) restoreRows(restore, add);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  for (const restore of restores) details(restore);
}

function restoreRows(restore: Restore, add: (what: string, value: string, bound: string, r: string) => void) {
  const { bound, preview, execute } = restore;
  const planned = Number(preview.run.result.items);
  const previewReads = graph(preview.log).filter(isRead).length;
  const previewBound = Math.ceil(planned / BATCH);
  const writes = graph(execute.log)
    .filter(isWrite)
    .filter((e) => !e.endpoint.endsWith('/$batch'));
  const time = timeBound(writes.length);
  const timeOfBound = timeBound(bound.total);
  add(`into ${restore.label}`, '', '', '');
  add('  plan', summary(preview.run.result), '', '');
  add(
    '  preview Graph requests',
    `${previewReads} (${graph(preview.log).filter((e) => e.batchRequestId).length} reads inside $batch)`,
    `${planned} objects ÷ ${BATCH} = ${previewBound}`,
    ratio(previewReads, previewBound),
  );
  add('  preview wall time', `${preview.seconds.toFixed(1)} s`, '', '');
  add(
    '  execute Graph writes',
    String(writes.length),
    `${bound.total} (${bound.creates} creates + ${bound.updates} updates + ${bound.subResources} sub-resource + ${bound.assignments} assignment writes)`,
    ratio(writes.length, bound.total),
  );
  const throttled = writes.filter((e) => e.status === 429).length;
  const accepted = writes.filter((e) => e.status < 400).length;
  add(
    '  execute Graph writes accepted',
    `${accepted} (${throttled} more answered 429 and were sent again)`,
    String(bound.total),
    ratio(accepted, bound.total),
  );
  add(
    '  execute Graph reads',
    `${graph(execute.log).filter(isRead).length} (${graph(execute.log).filter((e) => e.batchRequestId).length} inside $batch)`,
    '',
    '',
  );
  add(
    '  execute wall time',
    `${execute.seconds.toFixed(1)} s`,
    `${timeOfBound.seconds.toFixed(1)} s (${bound.total} writes at ${INTUNE_RATE_LIMIT.writesApp.requests}/${INTUNE_RATE_LIMIT.writesApp.windowSeconds} s after a burst of ${INTUNE_RATE_LIMIT.writesApp.requests}, ${LATENCY_MS} ms latency, ${WRITE_CONCURRENCY} writers)`,
    bound.total === 0
      ? `n/a (no writes; ${restore.items.length} items recorded)`
      : ratio(execute.seconds, timeOfBound.seconds),
  );
  add(
    '  execute wall time vs its own writes',
    `${execute.seconds.toFixed(1)} s`,
    `${time.seconds.toFixed(1)} s for the ${writes.length} writes sent`,
    writes.length === 0 ? 'n/a' : ratio(execute.seconds, time.seconds),
  );
}

function details(restore: Restore) {
  const top = (entries: LogEntry[], title: string) => {
    const by = new Map<string, number>();
    for (const e of entries) by.set(e.endpoint, (by.get(e.endpoint) ?? 0) + 1);
    console.log(`Into ${restore.label}: ${title}`);
    for (const [endpoint, n] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 12))
      console.log(`  ${String(n).padStart(5)}  ${endpoint}`);
  };
  console.log('');
  top(sent(restore.preview.log), 'preview requests by endpoint (each $batch once)');
  top(
    graph(restore.preview.log).filter((e) => e.batchRequestId),
    'preview reads inside $batch by endpoint',
  );
  top(graph(restore.execute.log), 'execute requests by endpoint (and inside $batch)');
  const outcomes = new Map<string, number>();
  for (const item of restore.executed) {
    const key = `${item.result?.outcome ?? 'none'}${item.result?.reasonCode ? ` (${item.result.reasonCode})` : ''}${item.action === 'blocked' ? ` [${item.reasonCode}]` : ''}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  console.log(`Into ${restore.label}: item outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`);
  const blocked = new Map<string, number>();
  for (const item of restore.items.filter((i) => i.action === 'blocked'))
    blocked.set(
      `${item.policyType}: ${item.reasonCode}`,
      (blocked.get(`${item.policyType}: ${item.reasonCode}`) ?? 0) + 1,
    );
  if (blocked.size > 0) console.log(`  blocked: ${JSON.stringify(Object.fromEntries(blocked))}`);
  for (const item of restore.executed.filter((i) => i.result?.outcome === 'failed'))
    console.log(
      `  failed: ${item.policyType} '${item.displayName}': ${item.result!.reasonCode} ${item.result!.message}`,
    );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
