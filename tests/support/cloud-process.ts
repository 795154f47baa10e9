import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CloudDescription } from '../../emulators/cloud';
import { repoRoot } from '../../emulators/paths';

export interface CloudProcess {
  description: CloudDescription;
  dataDir: string;
  logFile: string;
  /** The process id (benchmarks read its CPU time from /proc). */
  pid: number;
  /** Ctrl-C, as a user stops `npm start`; resolves when the process has exited. */
  stop(): Promise<number | null>;
  /** SIGKILL: the process dies mid-work, as in a crash or the OOM killer; nothing of it runs on. */
  kill(): Promise<void>;
}

export const TEST_FUNCTIONS = 'dist/tests/fixtures/functions/*.js';

/**
 * Runs the local cloud exactly as `npm start` does (the compiled CLI), on free ports and with its own
 * data folder, and waits for it to describe itself in cloud.json.
 */
export async function startCloudProcess(
  options: {
    dataDir?: string;
    env?: Record<string, string>;
    nodeArgs?: string[];
    /** Another compiled checkout to run instead of this one (bench:start's baseline). */
    root?: string;
  } = {},
): Promise<CloudProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'tenantatlas-cloud-'));
  const cloudJson = path.join(dataDir, 'cloud.json');
  rmSync(cloudJson, { force: true });
  const logFile = path.join(dataDir, `cloud-${Date.now()}.log`);
  const out = openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), path.join(options.root ?? repoRoot(), 'dist/emulators/cli/start.js')],
    {
      cwd: options.root ?? repoRoot(),
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        LOCAL_CLOUD_DIR: dataDir,
        LOCAL_FUNCTIONS_PORT: '0',
        LOCAL_COSMOS_PORT: '0',
        LOCAL_SIGNALR_PORT: '0',
        LOCAL_MICROSOFT_PORT: '0',
        LOCAL_EXTRA_ENTRY_FILES: TEST_FUNCTIONS,
        ...options.env,
      },
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const description = await waitForDescription(cloudJson, child, logFile);
  return {
    description,
    dataDir,
    logFile,
    pid: child.pid!,
    async stop() {
      child.kill('SIGINT');
      const timeout = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timeout);
      return code;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

async function waitForDescription(
  file: string,
  child: ChildProcess,
  logFile: string,
): Promise<CloudDescription> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as CloudDescription;
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`The local cloud did not start. Its log:\n${readFileSync(logFile, 'utf8')}`);
}
