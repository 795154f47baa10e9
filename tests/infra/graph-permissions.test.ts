import { describe, expect, it } from 'vitest';
import { GRAPH_APP_ROLES } from '../../emulators/microsoft/entra/permissions';
import { PERMISSIONS_END, PERMISSIONS_START } from '../../scripts/generate-infra';
import { DIRECTORY_CONTRACT_KEYS } from '../../shared/directory';
import { AUDIT_CONTRACT_KEYS } from '../../shared/graph/contracts/data/audit';
import { getContract, graphContracts } from '../../shared/graph/contracts/registry';
import {
  GRAPH_FEATURES,
  GRAPH_PERMISSIONS,
  type GraphFeatureId,
} from '../../shared/providers/graph-permissions';
import { codeSpans, firstTable, readGuide } from './markdown';

/** The generated permission table of docs/deploy.md. */
function documentedTable(): string[][] {
  const guide = readGuide();
  const start = guide.indexOf(PERMISSIONS_START);
  const end = guide.indexOf(PERMISSIONS_END);
  expect(start, 'docs/deploy.md keeps the graph-permissions markers').toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return firstTable(guide.slice(start, end));
}

describe('Graph permissions: docs/deploy.md shows shared/providers/graph-permissions.ts', () => {
  const [header = [], ...rows] = documentedTable();
  const featureColumns = header.slice(1, -2).map((cell) => codeSpans(cell)[0] ?? cell);
  const stale = 'the table in docs/deploy.md is stale: run npm run infra:generate';

  it('has a column per feature and a row per permission', () => {
    expect(featureColumns, stale).toEqual(Object.keys(GRAPH_FEATURES));
    expect(
      rows.map((cells) => codeSpans(cells[0]!)[0]),
      stale,
    ).toEqual(Object.keys(GRAPH_PERMISSIONS));
  });

  it('marks exactly the permissions each feature needs', () => {
    for (const [index, feature] of featureColumns.entries()) {
      const marked = rows.filter((cells) => cells[index + 1] === '✓').map((cells) => codeSpans(cells[0]!)[0]);
      const needed = [...GRAPH_FEATURES[feature as keyof typeof GRAPH_FEATURES].permissions];
      expect(marked.sort(), `${feature}: ${stale}`).toEqual(needed.sort());
    }
  });

  it('shows what also satisfies each permission and what it is needed for', () => {
    for (const cells of rows) {
      const permission = codeSpans(cells[0]!)[0] as keyof typeof GRAPH_PERMISSIONS;
      const info = GRAPH_PERMISSIONS[permission];
      expect(codeSpans(cells.at(-2)!), `${permission}: ${stale}`).toEqual([...info.satisfiedBy]);
      expect(cells.at(-1), `${permission}: ${stale}`).toBe(info.neededFor);
    }
  });

  it('lists no permission that no feature needs, and never one next to itself', () => {
    const used = new Set<string>(
      Object.values(GRAPH_FEATURES).flatMap((feature) => [...feature.permissions]),
    );
    expect(Object.keys(GRAPH_PERMISSIONS).filter((p) => !used.has(p))).toEqual([]);
    for (const [permission, info] of Object.entries(GRAPH_PERMISSIONS)) {
      expect(info.satisfiedBy as readonly string[], permission).not.toContain(permission);
    }
  });
});

describe('Graph permissions: the features ask for what the contract registry uses', () => {
  const needs = (feature: GraphFeatureId) => new Set<string>(GRAPH_FEATURES[feature].permissions);
  const sorted = (values: Iterable<string | null>) => [...new Set(values)].filter((v) => v !== null).sort();

  it('inventory and backup read every policy, foundation and dependency type, and nothing more', () => {
    const reads = sorted(
      graphContracts
        .filter((c) => ['policy', 'foundation', 'dependency'].includes(c.role))
        .map((c) => c.permissions.read),
    );
    expect([...needs('inventory')].sort()).toEqual(reads);
    expect([...needs('backup')].sort()).toEqual(reads);
  });

  it('restore writes every restorable type (plus Policy.Read.All, which Conditional Access writes need)', () => {
    const writes = sorted(graphContracts.filter((c) => c.restorable).map((c) => c.permissions.write));
    expect([...needs('restore')].sort()).toEqual(sorted([...writes, 'Policy.Read.All']));
  });

  it('directory sync reads the contracts its runs read; verification the internal ones, watch the audit logs', () => {
    const audit = new Set<string>(Object.values(AUDIT_CONTRACT_KEYS));
    const reads = (roles: string[]) =>
      sorted(
        graphContracts
          .filter((c) => roles.includes(c.role) && !audit.has(c.key))
          .map((c) => c.permissions.read),
      );
    expect([...needs('watch')].sort()).toEqual(
      sorted([...audit].map((key) => getContract(key).permissions.read)),
    );
    expect([...needs('directory')].sort()).toEqual(
      sorted(DIRECTORY_CONTRACT_KEYS.map((key) => getContract(key).permissions.read)),
    );
    expect([...needs('directory')]).toEqual(expect.arrayContaining(reads(['directory', 'dependency'])));
    expect([...needs('verification')].sort()).toEqual(reads(['internal']));
  });

  it('names only real Microsoft Graph application permissions', () => {
    const names = Object.entries(GRAPH_PERMISSIONS).flatMap(([permission, info]) => [
      permission,
      ...info.satisfiedBy,
    ]);
    expect(names.filter((name) => !(name in GRAPH_APP_ROLES))).toEqual([]);
  });
});
