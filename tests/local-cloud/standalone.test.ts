import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CloudDescription } from '../../emulators/cloud';
import { repoRoot } from '../../emulators/paths';

/**
 * A new user's first minute: `git clone` into an empty folder (nothing beside the checkout, no
 * GRAPH_REFERENCE_DIR), `npm install`, `npm start` until /api/health answers, then Ctrl-C. It clones the
 * committed HEAD, so what it proves is what the repository holds, not the working tree.
 */
describe('a clone with nothing beside it', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'tenantatlas-clone-'));
  const checkout = path.join(folder, 'checkout');

  // A checkout with node_modules: removing it can take a while on a busy disk.
  afterAll(() => rmSync(folder, { recursive: true, force: true }), 180_000);

  it('installs, starts the local cloud, answers /api/health and stops on Ctrl-C', async () => {
    execFileSync('git', ['clone', '--quiet', repoRoot(), checkout], { stdio: 'pipe' });
    expect(readdirSync(folder)).toEqual(['checkout']);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LOCAL_FUNCTIONS_PORT: '0',
      LOCAL_COSMOS_PORT: '0',
      LOCAL_SIGNALR_PORT: '0',
      LOCAL_MICROSOFT_PORT: '0',
    };
    for (const name of [
      'GRAPH_REFERENCE_DIR',
      'LOCAL_CLOUD_DIR',
      'LOCAL_EXTRA_ENTRY_FILES',
      'NODE_EXTRA_CA_CERTS',
    ])
      delete env[name];
    execFileSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: checkout,
      env,
      stdio: 'pipe',
    });

    // Its own process group, so Ctrl-C reaches npm, the shell and the cloud as a terminal would send it.
    const child = spawn('npm', ['start'], {
      cwd: checkout,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // the group has already exited
      }
    };
    try {
      const cloudJson = path.join(checkout, '.local', 'cloud.json');
      // `npm start` compiles before it starts: on two cores shared with the rest of the suite (load about 20)
      // that took longer than two minutes once.
      const deadline = Date.now() + 200_000;
      while (!existsSync(cloudJson) && child.exitCode === null && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 200));
      expect(existsSync(cloudJson), `npm start did not describe the cloud:\n${output}`).toBe(true);
      const cloud = JSON.parse(readFileSync(cloudJson, 'utf8')) as CloudDescription;
      const health = await fetch(`${cloud.functions.apiBaseUrl}/health`);
      expect(health.status, output).toBe(200);
      expect(output).toContain('Local cloud ready');
      expect(output).not.toMatch(/shared\/graph-reference|GRAPH_REFERENCE_DIR/);
    } finally {
      killGroup('SIGINT');
    }
    const timer = setTimeout(() => killGroup('SIGKILL'), 20_000);
    const { code, signal } = await exited;
    clearTimeout(timer);
    // npm itself ends by the signal, as in a terminal; the cloud under it stops cleanly.
    expect(code === 0 || signal === 'SIGINT', `${code} ${signal}\n${output}`).toBe(true);
    expect(output).toContain('Stopped.');
  }, 360_000);
});
