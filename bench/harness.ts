import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startLocalCloud, type LocalCloud } from '../emulators/cloud';
import { INTUNE_RATE_LIMIT } from '../emulators/microsoft';

/** What the benchmarks share: Cosmos DB in a process of its own, its peak memory, a JSON client. */

export async function startCosmosProcess() {
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, 'cosmos-process.js')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const started = JSON.parse(line) as { endpoint: string; key: string };
    return { ...started, child };
  }
  throw new Error('The Cosmos DB process did not start.');
}

/**
 * CPU time (user + system) a process and its descendants have used so far (Linux), in milliseconds. A
 * descendant that ended meanwhile is no longer counted: measure over processes that live throughout.
 */
export function cpuTimeMs(pid: number): number | undefined {
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const own = ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 1/100 s
    const children = readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
    return children.reduce((sum, child) => sum + (cpuTimeMs(child) ?? 0), own);
  } catch {
    return undefined;
  }
}

/** Peak resident memory of a process (Linux), in bytes. */
export function peakRss(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function jsonClient(baseUrl: string, headers: Record<string, string>) {
  return async (method: string, pathAndQuery: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${baseUrl}${pathAndQuery}`, {
      method,
      headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status >= 400)
      throw new Error(`${method} ${pathAndQuery}: ${response.status} ${text.slice(0, 300)}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
}

/**
 * Runs `work` against a local cloud started in this process with the given extra generated tenants,
 * and Cosmos DB in a process of its own (remote in Azure, so the app's memory is measured alone).
 */
export async function withBenchCloud<T>(
  extraTenants: string,
  work: (cloud: LocalCloud, cosmosPid: number) => Promise<T>,
): Promise<T> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tenantatlas-bench-'));
  const cosmos = await startCosmosProcess();
  Object.assign(process.env, {
    COSMOS_ENDPOINT: cosmos.endpoint,
    COSMOS_KEY: cosmos.key,
    LOCAL_FUNCTIONS_PORT: '0',
    LOCAL_SIGNALR_PORT: '0',
    LOCAL_MICROSOFT_PORT: '0',
    LOCAL_MICROSOFT_EXTRA_TENANTS: extraTenants,
    // Retried 429s are logged as warnings, hundreds per sync under injected faults: the figures are the output.
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
  });
  const quiet = (message: string) => (/error|fail/i.test(message) ? console.error(message) : undefined);
  let cloud: LocalCloud | undefined;
  try {
    cloud = await startLocalCloud({ dataDir, log: quiet });
    return await work(cloud, cosmos.child.pid!);
  } finally {
    await cloud?.stop();
    cosmos.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export type JsonClient = ReturnType<typeof jsonClient>;

/**
 * A fresh workspace whose managed tenant is connected to the simulated tenant `name`, with its latency
 * and Intune's rate limit set: the API client (as alice), the control API and the tenant's route base.
 */
export async function connectBenchTenant(
  cloud: LocalCloud,
  name: string,
  latencyMs: number,
  options: { workspaceId?: string } = {},
) {
  const { description } = cloud;
  const microsoft = description.microsoft as {
    controlUrl: string;
    tenants: Array<{ name: string; entraTenantId: string; clientId: string; clientSecret: string }>;
  };
  const token = description.demo!.users.find((user) => user.name === 'alice')!.token;
  const api = jsonClient(description.functions.apiBaseUrl, { authorization: `Bearer ${token}` });
  const control = jsonClient(microsoft.controlUrl, {});
  const target = microsoft.tenants.find((tenant) => tenant.name === name)!;
  await control('PATCH', `/tenants/${name}/realism`, {
    latency: { fixedMs: latencyMs, jitterMs: 0 },
    rateLimit: INTUNE_RATE_LIMIT,
  });
  const workspaceId =
    options.workspaceId ?? String((await api('POST', '/workspaces', { name: `Benchmark ${name}` })).id);
  const base = `/workspaces/${workspaceId}/tenants`;
  const tenant = await api('POST', base, { name, displayName: `Bench ${name}` });
  const tenantBase = `${base}/${String(tenant.id)}`;
  await api('POST', `${tenantBase}/provider-connections`, {
    displayName: `Simulated ${name} tenant`,
    entraTenantId: target.entraTenantId,
    clientId: target.clientId,
    credential: { authType: 'client_secret', clientSecret: target.clientSecret },
  });
  return { api, control, tenantBase, tenant: name, workspaceId, tenantId: String(tenant.id) };
}

/**
 * Starts an operation (with its input besides `type`) and waits for its end: the run, wall time, the
 * tenant's request log, peak heap.
 */
export async function measureRun<Run extends { status: string }>(
  bench: Awaited<ReturnType<typeof connectBenchTenant>>,
  type: string,
  pollMs = 100,
  input: Record<string, unknown> = {},
): Promise<{ run: Run; seconds: number; log: unknown[]; peakHeap: number }> {
  const { api, control, tenantBase } = bench;
  const since = Number((await control('GET', '/requests?since=999999999')).lastSeq);
  let peakHeap = 0;
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 100);
  const started = performance.now();
  const start = await api('POST', `${tenantBase}/operations`, { ...input, type });
  const runId = String((start.run as { id: string }).id);
  let run: Run;
  for (;;) {
    run = (await api('GET', `/operations/${runId}`)) as unknown as Run;
    if (run.status === 'completed') break;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const log = (await control('GET', `/requests?tenant=${bench.tenant}&since=${since}`)).entries as unknown[];
  return { run, seconds, log, peakHeap };
}

/** The nearest-rank percentile (`p` in 0–100) of some measurements; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The value after a command-line flag (`--baseline DIR`), or undefined when the flag is absent. */
export function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}
