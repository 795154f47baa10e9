// Second half of `npm run build` (after `compile`): assembles the deployable Functions package in .deploy/
// (or --out DIR) with only what runs in Azure: host.json, a production package.json and its lock, and the
// compiled JavaScript of functions/, orchestrations/ and shared/. The local cloud, tests and sources stay
// behind. azure.yaml deploys this folder; Flex Consumption's remote build installs its dependencies.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outIndex = process.argv.indexOf('--out');
const out = path.resolve(root, outIndex > 0 ? process.argv[outIndex + 1] : '.deploy');

/** Source folders whose compiled output runs in Azure (package.json `main` and what it imports). */
const RUNTIME_DIRS = ['functions', 'orchestrations', 'shared'];
/** package.json fields the runtime or the remote build reads; scripts and dev tooling are dropped. */
const MANIFEST_FIELDS = [
  'name',
  'version',
  'private',
  'description',
  'license',
  'type',
  'main',
  'engines',
  'dependencies',
];

function fail(message) {
  console.error(`package-app: ${message}`);
  process.exit(1);
}

/** Files under dir, relative to it. */
function walk(dir, prefix = '') {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(prefix, entry.name);
    return entry.isDirectory() ? walk(dir, relative) : [relative];
  });
}

/**
 * Copies the compiled file of every current source file, not the whole dist/ folder: tsc never deletes
 * the output of a removed source, and a stale dist/functions/*.js would still register its function.
 */
function copyCompiled(sourceDir) {
  let count = 0;
  for (const file of walk(path.join(root, sourceDir))) {
    // JSON files are copied by tsc when code imports them (resolveJsonModule).
    const compiled = file.endsWith('.d.ts')
      ? undefined
      : file.endsWith('.ts')
        ? file.replace(/\.ts$/, '.js')
        : file.endsWith('.json')
          ? file
          : undefined;
    if (!compiled) continue;
    const from = path.join(root, 'dist', sourceDir, compiled);
    if (!existsSync(from))
      fail(`${sourceDir}/${file} has no compiled ${path.relative(root, from)}: run npm run compile`);
    const to = path.join(out, 'dist', sourceDir, compiled);
    mkdirSync(path.dirname(to), { recursive: true });
    cpSync(from, to);
    count += 1;
  }
  return count;
}

/** The npm command that runs this script, so the lock is pruned by the same npm that wrote it. */
function npm(args, cwd) {
  const cli = process.env.npm_execpath;
  const [command, commandArgs] =
    cli && /\.[cm]?js$/.test(cli) ? [process.execPath, [cli, ...args]] : ['npm', args];
  const result = spawnSync(command, commandArgs, {
    cwd,
    encoding: 'utf8',
    shell: process.platform === 'win32' && command === 'npm',
  });
  if (result.status !== 0) fail(`npm ${args.join(' ')} failed:\n${result.stderr || result.stdout}`);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

let copied = 0;
for (const dir of RUNTIME_DIRS) if (existsSync(path.join(root, dir))) copied += copyCompiled(dir);

cpSync(path.join(root, 'host.json'), path.join(out, 'host.json'));

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const production = Object.fromEntries(
  MANIFEST_FIELDS.filter((f) => f in manifest).map((f) => [f, manifest[f]]),
);
writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(production, null, 2)}\n`);

// The lock must agree with the trimmed package.json (a remote `npm ci` refuses a lock that does not):
// npm drops the dev and optional-only entries itself, from the lock alone, without downloading.
cpSync(path.join(root, 'package-lock.json'), path.join(out, 'package-lock.json'));
npm(
  ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'],
  out,
);

console.log(`package-app: ${copied} source files → ${path.relative(root, out) || out}`);
