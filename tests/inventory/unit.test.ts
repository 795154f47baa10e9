import { describe, expect, it } from 'vitest';
import {
  getByIdRequest,
  getContract,
  type BatchResult,
  type GraphClient,
  type GraphRequestSpec,
} from '../../shared/graph';
import { BatchQueue } from '../../shared/inventory/batch-queue';
import { canonicalSelection, inventoryContracts, resolveSelection } from '../../shared/inventory';
import { diffJson } from '../../shared/inventory/diff';
import { TokenBucket } from '../../shared/inventory/graph-budget';
import { contentHash, normalizeObject, stableStringify } from '../../shared/inventory/normalize';
import { inventorySyncRunType } from '../../shared/inventory/run-types';
import { assignmentTargets, conditionTargets, targetIds } from '../../shared/inventory/targets';
import { canonicalJson } from '../../shared/operations/run-type';

const policy = {
  '@odata.context': 'https://graph/$metadata#x',
  '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
  id: 'p1',
  displayName: 'Custom',
  lastModifiedDateTime: '2024-01-01T00:00:00Z',
  version: 3,
  'assignments@odata.context': 'https://graph/…',
  omaSettings: [
    { omaUri: './a', value: 1, isEncrypted: false },
    { omaUri: './b', value: 'secret', isEncrypted: true, secretReferenceValueId: 'r1' },
  ],
  assignments: [
    { id: 'b', target: { '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget', groupId: 'g2' } },
    {
      id: 'a',
      intent: 'required',
      target: {
        '@odata.type': '#microsoft.graph.groupAssignmentTarget',
        groupId: 'g1',
        deviceAndAppManagementAssignmentFilterId: 'f1',
        deviceAndAppManagementAssignmentFilterType: 'include',
      },
    },
  ],
};

describe('normalizing and hashing', () => {
  it('keeps the object apart from its assignments, sorted, without response annotations or encrypted values', () => {
    const { content, redactedPaths } = normalizeObject(policy, {}, policy.assignments);
    expect(Object.keys(content.object)).not.toContain('assignments');
    expect(JSON.stringify(content)).not.toContain('@odata.context');
    expect(content.object['@odata.type']).toBe('#microsoft.graph.windows10CustomConfiguration');
    expect(content.assignments.map((a) => a.id)).toEqual(['a', 'b']);
    expect(content.object.omaSettings).toEqual([
      { omaUri: './a', value: 1, isEncrypted: false },
      { omaUri: './b', value: null, isEncrypted: true, secretReferenceValueId: 'r1' },
    ]);
    expect(redactedPaths).toEqual(['/object/omaSettings/1/value']);
    expect(JSON.stringify(content)).not.toContain('secret"');
  });

  it('hashes content: not Graph bookkeeping, not the order Graph lists things in, but any real change', () => {
    const contract = getContract('deviceConfigurations');
    const readOnly = ['lastModifiedDateTime', 'version', 'id'];
    const hash = (object: typeof policy, assignments = object.assignments) =>
      contentHash(contract.key, 'p1', normalizeObject(object, {}, assignments).content, readOnly);
    const base = hash(policy);
    expect(hash({ ...policy, lastModifiedDateTime: '2025-01-01T00:00:00Z', version: 9 })).toBe(base);
    expect(hash(policy, [...policy.assignments].reverse())).toBe(base);
    expect(hash({ ...policy, displayName: 'Renamed' })).not.toBe(base);
    expect(hash(policy, policy.assignments.slice(1))).not.toBe(base);
    expect(contentHash(contract.key, 'p2', normalizeObject(policy, {}, []).content, readOnly)).not.toBe(
      contentHash(contract.key, 'p1', normalizeObject(policy, {}, []).content, readOnly),
    );
    expect(stableStringify({ b: [2, 1], a: 1 })).toBe('{"a":1,"b":[2,1]}');
  });
});

describe('assignment targets', () => {
  it('reads Intune targets with their filters, and Conditional Access conditions', () => {
    const targets = assignmentTargets(policy.assignments);
    expect(targets).toEqual([
      {
        kind: 'exclude',
        groupId: 'g2',
        filterId: null,
        filterType: null,
        intent: null,
        source: 'assignment',
      },
      {
        kind: 'include',
        groupId: 'g1',
        filterId: 'f1',
        filterType: 'include',
        intent: 'required',
        source: 'assignment',
      },
    ]);
    const ca = conditionTargets({ conditions: { users: { includeUsers: ['All'], excludeGroups: ['g3'] } } });
    expect(ca.map((t) => [t.kind, t.groupId, t.source])).toEqual([
      ['allUsers', null, 'conditions'],
      ['exclude', 'g3', 'conditions'],
    ]);
    expect(targetIds([...targets, ...ca])).toEqual(['allUsers', 'f1', 'g1', 'g2', 'g3']);
  });
});

describe('diffs', () => {
  it('compares id-keyed arrays by id and everything else by position', () => {
    const before = {
      object: { name: 'a', list: [1, 2] },
      assignments: [
        { id: 'x', v: 1 },
        { id: 'y', v: 1 },
      ],
    };
    const after = {
      object: { name: 'b', list: [1] },
      assignments: [
        { id: 'y', v: 2 },
        { id: 'z', v: 1 },
      ],
    };
    expect(diffJson(before, after)).toEqual([
      { op: 'remove', path: '/assignments/x', before: { id: 'x', v: 1 } },
      { op: 'replace', path: '/assignments/y/v', before: 1, after: 2 },
      { op: 'add', path: '/assignments/z', after: { id: 'z', v: 1 } },
      { op: 'remove', path: '/object/list/1', before: 2 },
      { op: 'replace', path: '/object/name', before: 'a', after: 'b' },
    ]);
    expect(diffJson({ a: [{ id: '1' }, { id: '2' }] }, { a: [{ id: '2' }, { id: '1' }] })).toEqual([]);
  });
});

describe('selections', () => {
  it('defaults to every policy and foundation type; filters by category and type; foundations stay', () => {
    const all = resolveSelection(canonicalSelection());
    expect(all).toEqual(inventoryContracts());
    expect(all.some((c) => c.role === 'dependency' || c.role === 'directory' || c.role === 'internal')).toBe(
      false,
    );
    const apps = resolveSelection(canonicalSelection({ categories: ['apps'], includeFoundations: false }));
    expect(apps.every((c) => c.category === 'apps' && c.role === 'policy')).toBe(true);
    const named = resolveSelection(canonicalSelection({ policyTypes: ['intents'] }));
    expect(named.map((c) => c.key)).toContain('intents');
    expect(named.filter((c) => c.role === 'policy').map((c) => c.key)).toEqual(['intents']);
    expect(() => canonicalSelection({ policyTypes: ['groups'] })).toThrow(/unknown policy type/);
  });

  it('gives equal selections equal run identities', () => {
    const identity = (input: Record<string, unknown>) =>
      canonicalJson(inventorySyncRunType.identity(inventorySyncRunType.input.parse(input)));
    expect(identity({})).toBe(identity({ selection: { includeFoundations: true, policyTypes: [] } }));
    expect(identity({ selection: { policyTypes: ['intents', 'mobileApps'] } })).toBe(
      identity({ selection: { policyTypes: ['mobileApps', 'intents', 'mobileApps'] } }),
    );
    expect(identity({ selection: { categories: ['apps'] } })).not.toBe(identity({}));
  });
});

describe("the tenant's Graph budget", () => {
  it('lets a burst through, then paces at its rate, first come first served', async () => {
    const budget = new TokenBucket(10, 0.1); // 10 per 100 ms
    const started = performance.now();
    await budget.take(10);
    expect(performance.now() - started).toBeLessThan(20);
    const order: number[] = [];
    await Promise.all([budget.take(5).then(() => order.push(1)), budget.take(1).then(() => order.push(2))]);
    expect(order).toEqual([1, 2]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    budget.refund(100);
    expect(budget.available()).toBeLessThanOrEqual(10);
  });
});

describe('the batch queue', () => {
  it('packs reads from anywhere into full batches of 20 per API version, answering each its own', async () => {
    const sent: string[][] = [];
    const client = {
      connectionId: 'c',
      batch: async (specs: readonly GraphRequestSpec[]): Promise<BatchResult[]> => {
        sent.push(specs.map((spec) => spec.url));
        return specs.map((spec) => ({ ok: true, status: 200, body: spec.url }));
      },
    } as unknown as GraphClient;
    const queue = new BatchQueue(client, new TokenBucket(1000, 20), { runId: 'r' });
    const beta = getContract('deviceConfigurations');
    const v1 = getContract('groups');
    const reads = [
      ...Array.from({ length: 25 }, (_, i) => getByIdRequest(beta, `a${i}`)),
      getByIdRequest(v1, 'g1'),
      ...Array.from({ length: 18 }, (_, i) => getByIdRequest(beta, `b${i}`)),
    ].map(async (spec) => ({ spec, result: await queue.read(spec) }));
    const answers = await Promise.all(reads);
    expect(answers.every(({ spec, result }) => result.ok && result.body === spec.url)).toBe(true);
    expect(sent.map((batch) => batch.length).sort((a, b) => b - a)).toEqual([20, 20, 3, 1]);
    expect(sent.find((batch) => batch.length === 1)![0]).toMatch(/^\/groups\//);
    expect(queue.stats).toEqual({ batches: 4, subRequests: 44 });
  });
});
