import { graphContracts, type GraphContract, type ReferenceRule } from '../graph';

/** The zero GUID: "no filter", "no template" — a keyword, never an object. */
const NONE = '00000000-0000-0000-0000-000000000000';

/**
 * References every Intune object may carry besides its family's own (the contract's `restore.references`):
 * scope tags (`0` is the built-in Default tag of every tenant), an assignment's group and filter.
 */
const COMMON_REFERENCES: readonly ReferenceRule[] = [
  { path: 'roleScopeTagIds[]', target: 'roleScopeTags', keep: ['0'] },
  { part: 'assignments', path: 'target.groupId', target: 'groups' },
  {
    part: 'assignments',
    path: 'target.deviceAndAppManagementAssignmentFilterId',
    target: 'assignmentFilters',
    keep: [NONE],
  },
];

export function referenceRules(contract: GraphContract): ReferenceRule[] {
  return [
    ...COMMON_REFERENCES.filter((rule) => rule.target !== contract.key),
    ...(contract.restore?.references ?? []),
  ];
}

type Json = unknown;

/**
 * Visits every id the path names inside `root`; `replace` returns the value to write back (the same value
 * to keep it). `a.b[]` visits each element of `b`; `a.b` the scalar.
 */
export function visitPath(root: Json, path: string, replace: (id: string) => string): Json {
  const [head, ...rest] = path.split('.');
  if (!head || root === null || typeof root !== 'object' || Array.isArray(root)) return root;
  const record = root as Record<string, Json>;
  const many = head.endsWith('[]');
  const key = many ? head.slice(0, -2) : head;
  if (!(key in record)) return root;
  const value = record[key];
  const step = (inner: Json): Json =>
    rest.length > 0
      ? visitPath(inner, rest.join('.'), replace)
      : typeof inner === 'string'
        ? replace(inner)
        : inner;
  const next = many ? (Array.isArray(value) ? value.map(step) : value) : step(value);
  return { ...record, [key]: next };
}

/** The ids a rule finds in a document (keywords left out). */
export function idsAt(root: Json, rule: ReferenceRule): string[] {
  const found: string[] = [];
  visitPath(root, rule.path, (id) => {
    if (id !== '' && !rule.keep?.includes(id)) found.push(id);
    return id;
  });
  return found;
}

/**
 * Dependency rank of each restorable contract, derived from the reference rules: a family is written
 * after every family it references (groups are never written). Policy sets, referencing anything, last.
 */
export function dependencyRanks(): Map<string, number> {
  const ranks = new Map<string, number>();
  const keys = new Set(graphContracts.filter((c) => c.restorable).map((c) => c.key));
  const rankOf = (key: string, seen: Set<string>): number => {
    const known = ranks.get(key);
    if (known !== undefined) return known;
    const contract = graphContracts.find((c) => c.key === key);
    if (!contract || seen.has(key)) return 0;
    const targets = referenceRules(contract).map((rule) => rule.target);
    const deps = targets.includes('*')
      ? [...keys].filter(
          (k) =>
            k !== key &&
            !referenceRules(graphContracts.find((c) => c.key === k)!).some((r) => r.target === '*'),
        )
      : targets.filter((t) => keys.has(t) && t !== key);
    const rank = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => rankOf(d, new Set([...seen, key]))));
    ranks.set(key, rank);
    return rank;
  };
  for (const key of keys) rankOf(key, new Set());
  return ranks;
}

/** A document's parts a reference rule walks: the object with its sub-resources, or one assignment. */
interface Walkable {
  object: Record<string, unknown>;
  inline: Record<string, Array<Record<string, unknown>>>;
  separate: Record<string, Array<Record<string, unknown>>>;
  assignments: Array<Record<string, unknown>>;
}

/**
 * The document with every referenced id passed through `replace` (`undefined` = the assignment holding
 * it is dropped; only assignments can be dropped). Sub-resources are walked as members of the object.
 */
export function mapDocument<T extends Walkable>(
  doc: T,
  rules: readonly ReferenceRule[],
  replace: (rule: ReferenceRule, id: string) => string | undefined,
): T {
  let combined: Record<string, unknown> = { ...doc.object, ...doc.inline, ...doc.separate };
  for (const rule of rules.filter((r) => (r.part ?? 'object') === 'object'))
    combined = visitPath(combined, rule.path, (id) =>
      id === '' || rule.keep?.includes(id) ? id : (replace(rule, id) ?? id),
    ) as Record<string, unknown>;
  const split = (names: Record<string, unknown>) =>
    Object.fromEntries(Object.keys(names).map((name) => [name, combined[name]]));
  const object = Object.fromEntries(
    Object.entries(combined).filter(([key]) => !(key in doc.inline) && !(key in doc.separate)),
  );
  const assignmentRules = rules.filter((r) => r.part === 'assignments');
  const assignments = doc.assignments.flatMap((assignment) => {
    let dropped = false;
    let out: unknown = assignment;
    for (const rule of assignmentRules)
      out = visitPath(out, rule.path, (id) => {
        if (id === '' || rule.keep?.includes(id)) return id;
        const mapped = replace(rule, id);
        if (mapped === undefined) dropped = true;
        return mapped ?? id;
      });
    return dropped ? [] : [out as Record<string, unknown>];
  });
  return {
    ...doc,
    object,
    inline: split(doc.inline) as T['inline'],
    separate: split(doc.separate) as T['separate'],
    assignments,
  };
}
