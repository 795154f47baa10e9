import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../emulators/paths';
import { connectedScope } from '../inventory/support';
import { tokenOf } from '../support/api';
import { cloud } from '../support/http';

const run = promisify(execFile);
const root = repoRoot();
const example = path.join(root, 'examples', 'follow-inventory-sync.ts');

/**
 * The README's TypeScript example, against types generated from the document the cloud serves now
 * (`openapi-typescript`, as the README says): strict tsc accepts it, and it runs.
 */
describe('calling the API from TypeScript (README)', () => {
  it('generates types from /api/openapi.json that the example type-checks against (strict)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'typed-client-'));
    const types = path.join(dir, 'api-types.ts');
    await run(process.execPath, [
      path.join(root, 'node_modules/openapi-typescript/bin/cli.js'),
      `${cloud().functions.apiBaseUrl}/openapi.json`,
      '-o',
      types,
    ]);
    expect(readFileSync(types, 'utf8')).toContain('startOperation');
    // rootDirs: the example's `./api-types` is the file just generated, without writing into the repo.
    const tsconfig = {
      compilerOptions: {
        strict: true,
        noUncheckedIndexedAccess: true,
        noEmit: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'ES2022',
        lib: ['ES2023'],
        types: ['node'],
        typeRoots: [path.join(root, 'node_modules/@types')],
        rootDirs: [path.dirname(example), dir],
        skipLibCheck: true,
      },
      files: [example],
    };
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = await run(process.execPath, [
      path.join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      dir,
    ]).catch((error: { stdout: string }) => error);
    expect(tsc.stdout).toBe('');
  }, 90_000);

  it('runs: starts an inventory sync and prints its live summary lines until it ends', async () => {
    const scope = await connectedScope('Typed client', 'contoso');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', example], {
      cwd: root,
      env: {
        ...process.env,
        API: cloud().functions.apiBaseUrl,
        TOKEN: tokenOf('olga'),
        WORKSPACE: scope.workspaceId,
        TENANT: scope.tenantId,
      },
      timeout: 60_000,
    });
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('Inventory sync of Test tenant queued');
    expect(lines.some((line) => line.startsWith('Inventory sync of Test tenant running'))).toBe(true);
    expect(lines.at(-2)).toMatch(/^Inventory sync of Test tenant finished — \d+ objects, all new$/);
    expect(lines.at(-1)).toMatch(/^succeeded: \d+ objects$/);
  }, 90_000);

  it('is what the README shows', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toContain(readFileSync(example, 'utf8').trim());
  });
});
