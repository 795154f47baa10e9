import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The checkout's root: the nearest folder above this file whose package.json is this project's. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'tenantatlas-operations')
      return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No tenantatlas-operations package.json above ${__dirname}`);
    dir = parent;
  }
}

/** Where the local cloud keeps its state: `.local/` in the checkout unless LOCAL_CLOUD_DIR says otherwise. */
export function localDir(): string {
  return process.env.LOCAL_CLOUD_DIR
    ? path.resolve(process.env.LOCAL_CLOUD_DIR)
    : path.join(repoRoot(), '.local');
}

/** The local CA is shared by every local cloud of a checkout (tests included), so it is trusted once. */
export function localCaDir(): string {
  return path.join(repoRoot(), '.local', 'ca');
}
