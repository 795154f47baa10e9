import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../../emulators/paths';
import { api, demo } from '../support/api';

/** Three base64url segments joined by dots: the shape of any JWT, whoever issued it. */
const JWT = /[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;

describe('npm start: what a developer sees first', () => {
  // The shared cloud is the compiled `npm start`; its console output is this log.
  const output = readFileSync(inject('cloudFiles').logFile, 'utf8');

  it('prints no token, but every demo user with their role', () => {
    expect(output).not.toMatch(JWT);
    const users = demo().users;
    expect(users).toHaveLength(5);
    for (const user of users) {
      const line = output.split('\n').find((l) => new RegExp(`^\\s+${user.name}\\s`).test(l));
      expect(line, `a line for ${user.name}`).toBeDefined();
      expect(line).toContain(user.role);
      expect(line).toContain(user.displayName);
    }
  });

  it('prints one copy-paste line that gets a token, and that line works', async () => {
    const line = output.split('\n').find((l) => l.includes('TOKEN=$('));
    expect(line).toContain('TOKEN=$(npm run -s token -- olga)');
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [path.join(repoRoot(), 'scripts/token.mjs'), 'olga'], {
      env: { ...process.env, LOCAL_CLOUD_DIR: inject('cloudFiles').dataDir },
    });
    const token = stdout.trim();
    expect(token).toBe(demo().users.find((u) => u.name === 'olga')!.token);
    expect((await api('GET', '/workspaces', { token })).status).toBe(200);
    const unknown = await run(process.execPath, [path.join(repoRoot(), 'scripts/token.mjs'), 'bob'], {
      env: { ...process.env, LOCAL_CLOUD_DIR: inject('cloudFiles').dataDir },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('olga (operator)') });
  });
});
