import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_SETTING_NAMES, HOST_CONNECTION_SETTINGS } from '../../shared/config';
import { repoRoot } from '../../emulators/paths';

const doc = readFileSync(path.join(repoRoot(), 'docs/configuration.md'), 'utf8');
const documented = new Set([...doc.matchAll(/^\| `([A-Za-z_]+)`\s+\|/gm)].map((m) => m[1]));

describe('docs/configuration.md', () => {
  it.each([...APP_SETTING_NAMES, ...Object.values(HOST_CONNECTION_SETTINGS)])('documents %s', (name) => {
    expect(documented.has(name)).toBe(true);
  });

  it('documents every setting of the local cloud', () => {
    const source = readFileSync(path.join(repoRoot(), 'emulators/settings.ts'), 'utf8');
    for (const [, name] of source.matchAll(/^\s+(LOCAL_[A-Z_]+):/gm))
      expect(documented.has(name!), name).toBe(true);
  });
});
