import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FunctionRegistry } from './registry';

/**
 * Loads the app the way the Node worker does: every file matched by package.json `main` (a path or a
 * glob such as `dist/functions/*.js`), then any extra entry files (test fixtures).
 */
export function loadApp(
  registry: FunctionRegistry,
  appRoot: string,
  extraEntryFiles: string[] = [],
): string[] {
  const manifest = JSON.parse(readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { main?: string };
  if (!manifest.main)
    throw new Error(`package.json in ${appRoot} has no "main": the host cannot find the app.`);
  const files = [
    ...expandGlob(appRoot, manifest.main),
    ...extraEntryFiles.map((f) => path.resolve(appRoot, f)),
  ];
  if (files.length === 0) {
    throw new Error(`package.json "main" (${manifest.main}) matches no file. Did you run "npm run build"?`);
  }
  // Node's own require, so the @azure/functions-core shim (a Module._load hook) applies to the app.
  const load = createRequire(path.join(appRoot, 'package.json'));
  for (const file of files) {
    registry.currentSourceFile = file;
    try {
      load(file);
    } finally {
      registry.currentSourceFile = undefined;
    }
  }
  return files;
}

/** Supports `*` and `**` path segments and `{a,b}` alternatives: what function apps use in `main`. */
export function expandGlob(root: string, pattern: string): string[] {
  const braces = /\{([^{}]+)\}/.exec(pattern);
  if (braces) {
    return braces[1]!
      .split(',')
      .flatMap((choice) => expandGlob(root, pattern.replace(braces[0], choice)))
      .filter((file, index, all) => all.indexOf(file) === index);
  }
  if (!pattern.includes('*')) {
    const file = path.resolve(root, pattern);
    return existsSync(file) ? [file] : [];
  }
  const normalized = pattern.replace(/^\.\//, '');
  const segments = normalized.split('/');
  const staticDir = path.join(
    root,
    ...segments.slice(
      0,
      segments.findIndex((s) => s.includes('*')),
    ),
  );
  if (!existsSync(staticDir)) return [];
  const matcher = globToRegExp(normalized);
  return walk(root, staticDir)
    .filter((relative) => matcher.test(relative))
    .sort()
    .map((relative) => path.join(root, relative));
}

function globToRegExp(pattern: string): RegExp {
  const source = pattern
    .split('/')
    .map((segment) =>
      segment === '**'
        ? '(?:[^/]+/)*'
        : segment.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*') + '/',
    )
    .join('')
    .replace(/\/$/, '');
  return new RegExp(`^${source}$`);
}

function walk(root: string, dir: string): string[] {
  const skip = new Set(['node_modules', '.git', '.local']);
  return readdirSync(dir).flatMap((entry) => {
    if (skip.has(entry)) return [];
    const full = path.join(dir, entry);
    return statSync(full).isDirectory()
      ? walk(root, full)
      : [path.relative(root, full).split(path.sep).join('/')];
  });
}
