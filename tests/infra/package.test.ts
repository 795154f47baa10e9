import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandGlob } from '../../emulators/functions-host/load-app';

const root = path.resolve(__dirname, '../..');
const rootManifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  main: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

function files(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(prefix, entry.name);
    return entry.isDirectory() ? files(dir, relative) : [relative];
  });
}

/**
 * `npm run build` is `compile` then scripts/package-app.mjs. `npm test` has just compiled, so this runs
 * the packaging step alone, into a folder of its own (no second tsc next to the running local cloud).
 */
describe('npm run build: the deployable package', () => {
  let out: string;
  let packaged: string[];

  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), 'tenantatlas-package-'));
    execFileSync(process.execPath, [path.join(root, 'scripts', 'package-app.mjs'), '--out', out], {
      cwd: root,
      stdio: 'pipe',
    });
    packaged = files(out);
  }, 60_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('is what the build script and azure.yaml use', () => {
    expect(rootManifest.scripts.build).toBe('npm run -s compile && node scripts/package-app.mjs');
    const azureYaml = readFileSync(path.join(root, 'azure.yaml'), 'utf8');
    expect(azureYaml).toMatch(/^ {4}dist: \.deploy$/m);
    expect(azureYaml).toMatch(/^ {4}host: function$/m);
  });

  it('contains every entry file package.json `main` names', () => {
    const entries = expandGlob(out, rootManifest.main).map((file) => path.relative(out, file));
    expect(entries.length, `"main" (${rootManifest.main}) matches nothing in the package`).toBeGreaterThan(0);
    const sources = expandGlob(root, rootManifest.main.replace(/^dist\//, '').replace(/\.js$/, '.ts')).map(
      (f) => path.relative(root, f).replace(/\.ts$/, '.js'),
    );
    expect(entries.sort()).toEqual(sources.map((s) => path.join('dist', s)).sort());
  });

  it('resolves every relative require of the package inside it, and every package from its dependencies', () => {
    const problems: string[] = [];
    for (const file of packaged.filter((f) => f.endsWith('.js'))) {
      const text = readFileSync(path.join(out, file), 'utf8');
      for (const [, request] of text.matchAll(/require\("([^"]+)"\)/g)) {
        if (request!.startsWith('.')) {
          const target = path.resolve(path.dirname(path.join(out, file)), request!);
          const found = ['', '.js', '.json', '/index.js'].some((ext) => existsSync(target + ext));
          if (!found) problems.push(`${file} requires ${request}, which is not in the package`);
        } else if (!request!.startsWith('node:') && !builtinModules.includes(request!)) {
          const name = request!.startsWith('@')
            ? request!.split('/').slice(0, 2).join('/')
            : request!.split('/')[0]!;
          if (!(name in rootManifest.dependencies))
            problems.push(`${file} requires ${name}, not a production dependency`);
        }
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('contains nothing from emulators/ or tests/, no sources and no source maps', () => {
    const unwanted = packaged.filter(
      (f) => /(^|\/)(emulators|tests|scripts)\//.test(f) || f.endsWith('.ts') || f.endsWith('.map'),
    );
    expect(unwanted).toEqual([]);
    expect(packaged.filter((f) => !f.startsWith('dist/')).sort()).toEqual([
      'host.json',
      'package-lock.json',
      'package.json',
    ]);
    expect(readFileSync(path.join(out, 'host.json'), 'utf8')).toBe(
      readFileSync(path.join(root, 'host.json'), 'utf8'),
    );
  });

  it('leaves the Graph reference data behind: only the generated contract data the app reads goes', () => {
    const reference = packaged.filter((f) => /graph-reference|csdl-intune|samples\/|contracts-index/.test(f));
    expect(reference).toEqual([]);
    expect(packaged).toContain('dist/shared/graph/contracts/readonly.generated.json');
  });

  it('has a production package.json and a lock that agrees with it', () => {
    const manifest = JSON.parse(readFileSync(path.join(out, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest).not.toHaveProperty('devDependencies');
    expect(manifest).not.toHaveProperty('optionalDependencies');
    expect(manifest).not.toHaveProperty('scripts');
    expect(manifest.main).toBe(rootManifest.main);
    expect(manifest.dependencies).toEqual(rootManifest.dependencies);
    const lock = JSON.parse(readFileSync(path.join(out, 'package-lock.json'), 'utf8')) as {
      packages: Record<
        string,
        { dev?: boolean; dependencies?: Record<string, string>; devDependencies?: unknown }
      >;
    };
    expect(lock.packages['']?.dependencies).toEqual(rootManifest.dependencies);
    expect(lock.packages['']).not.toHaveProperty('devDependencies');
    expect(Object.entries(lock.packages).filter(([, entry]) => entry.dev)).toEqual([]);
  });
});
