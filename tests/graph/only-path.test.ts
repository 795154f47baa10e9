import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../emulators/paths';

const PRODUCT_FOLDERS = ['shared', 'functions', 'orchestrations'];
const GRAPH_HOME = path.join('shared', 'graph');

/** Graph's SDK, its hosts, and the roots of the collections the contracts describe. */
const FORBIDDEN = [
  /@microsoft\/microsoft-graph-client/,
  /graph\.microsoft\.(com|us)/,
  /['"`]\/(deviceManagement|deviceAppManagement|identity\/conditionalAccess|identityGovernance|policies\/authentication|servicePrincipals|roleManagement)\b/,
  /['"`]\/groups\b/,
];

function sourceFiles(dir: string): string[] {
  const absolute = path.join(repoRoot(), dir);
  let entries: string[];
  try {
    entries = readdirSync(absolute);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const relative = path.join(dir, name);
    if (statSync(path.join(repoRoot(), relative)).isDirectory()) return sourceFiles(relative);
    return relative.endsWith('.ts') ? [relative] : [];
  });
}

describe('the contract registry is the only way to Graph (ARCHITECTURE.md rule 4)', () => {
  it('no product code outside shared/graph imports the Graph SDK or spells a Graph path', () => {
    const offenders = PRODUCT_FOLDERS.flatMap(sourceFiles)
      .filter((file) => !file.startsWith(GRAPH_HOME + path.sep))
      .flatMap((file) => {
        const text = readFileSync(path.join(repoRoot(), file), 'utf8');
        return FORBIDDEN.filter((pattern) => pattern.test(text)).map(
          (pattern) => `${file}: ${pattern.source}`,
        );
      });
    expect(offenders).toEqual([]);
  });
});
