import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** What the benchmarks share: Cosmos DB in a process of its own, its peak memory, a JSON client. */

export async function startCosmosProcess(dataDir: string) {
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, 'cosmos-process.js'), dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const started = JSON.parse(line) as { endpoint: string; key: string };
    return { ...started, child };
  }
  throw new Error('The Cosmos DB process did not start.');
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
