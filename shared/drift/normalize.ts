import {
  readOnlyProperties,
  readOnlyPropertiesOfPart,
  type GraphContract,
  type ReferenceRule,
  type SubResourceContract,
} from '../graph';
import { stableStringify } from '../inventory';
import { idsAt, visitPath } from '../restore/references';
import type { VersionContent } from '../inventory/model';
import type { Difference } from './model';

type Json = Record<string, unknown>;

/**
 * How an object is compared with its baseline (docs/drift.md "Normalization"): the values a user set,
 * in a form that is the same in every tenant and after every save.
 */
export interface Comparable {
  object: Json;
  /** Sub-resources by name: keyed collections as `{ "[key]": item }`, others as sorted arrays. */
  subResources: Json;
  /** Assignments with group and filter names instead of ids, as a sorted set. */
  assignments: unknown[];
}

/** The tenant's names for the ids an object refers to (directory cache, filter and scope tag items). */
export interface NameLookup {
  group(id: string): string | undefined;
  /** Assignment filters and scope tags: the tenant's inventory items. */
  object(id: string): string | undefined;
  /** An object of the contract `target` the tenant's inventory has (a reference inside a policy). */
  reference(target: string, id: string): string | undefined;
}

/**
 * References inside an object to other objects (the contract's `restore.references`: a compliance
 * action's notification template, a Conditional Access policy's groups and named locations): ids that
 * differ in every tenant, compared by the name of what they point at. Paths run over the object with
 * its sub-resources beside its members, as restore reads them.
 */
export function objectReferences(contract: GraphContract): ReferenceRule[] {
  return (contract.restore?.references ?? []).filter(
    (rule) => rule.part !== 'assignments' && rule.target !== '*',
  );
}

/** The object with its sub-resources as members: the root reference paths walk. */
export function referenceRoot(content: VersionContent): Json {
  return { ...content.object, ...content.subResources };
}

/** The ids `content` refers to, by target (`groups` or a contract key). */
export function referencedIds(
  contract: GraphContract,
  content: VersionContent,
): Array<{ target: string; id: string }> {
  const root = referenceRoot(content);
  return objectReferences(contract).flatMap((rule) =>
    idsAt(root, rule).map((id) => ({ target: rule.target, id })),
  );
}

function withReferenceNames(
  contract: GraphContract,
  content: VersionContent,
  names: NameLookup,
): VersionContent {
  const rules = objectReferences(contract);
  if (rules.length === 0) return content;
  let root: unknown = referenceRoot(content);
  for (const rule of rules)
    root = visitPath(root, rule.path, (id) => {
      if (id === '' || rule.keep?.includes(id)) return id;
      const name = rule.target === 'groups' ? names.group(id) : names.reference(rule.target, id);
      return name ?? `unknown ${rule.target} ${id}`;
    });
  const named = root as Json;
  const subNames = new Set(Object.keys(content.subResources));
  return {
    object: Object.fromEntries(
      Object.entries(named).filter(([key]) => !subNames.has(key) || key in content.object),
    ),
    subResources: Object.fromEntries(
      Object.entries(named).filter(([key]) => subNames.has(key)),
    ) as VersionContent['subResources'],
    assignments: content.assignments,
  };
}

/** Server-managed time stamps: never a user's setting, at any depth. */
const TIMESTAMPS = new Set(['createdDateTime', 'lastModifiedDateTime', 'modifiedDateTime']);
/** The zero GUID: "no filter". */
const NONE = '00000000-0000-0000-0000-000000000000';
const MAX_DIFFERENCES = 50;

const isAnnotation = (key: string) => key.startsWith('@odata') || key.includes('@odata.');
const isRecord = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A value without ids, time stamps and `@odata` annotations at any depth; null is absent; arrays are
 * sets (sorted by their canonical JSON), since Graph promises no order.
 */
export function clean(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const items = value.map(clean).filter((item) => item !== undefined);
    return items
      .map((item) => [stableStringify(item), item] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, item]) => item);
  }
  if (isRecord(value)) {
    const out: Json = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'id' || isAnnotation(key) || TIMESTAMPS.has(key)) continue;
      const cleaned = clean(inner);
      if (cleaned !== undefined) out[key] = cleaned;
    }
    return out;
  }
  return value;
}

function without(value: Json, remove: readonly string[]): Json {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !remove.includes(key)));
}

function valueAt(item: Json, path: string): unknown {
  let node: unknown = item;
  for (const part of path.split('.')) node = isRecord(node) ? node[part] : undefined;
  return node;
}

function collection(contract: GraphContract, sub: SubResourceContract, items: Json[], part: string): unknown {
  const readOnly = readOnlyPropertiesOfPart(contract, part);
  const normalized = items.map((item) => {
    const own = without(item, [
      ...readOnly.filter((key) => key !== sub.itemKey),
      ...(sub.children ?? []).map((c) => c.name),
    ]);
    const out = (clean(own) as Json | undefined) ?? {};
    for (const child of sub.children ?? []) {
      const inner = item[child.name];
      if (Array.isArray(inner))
        out[child.name] = collection(contract, child, inner as Json[], `${part}/${child.name}`);
    }
    return { key: sub.itemKey ? valueAt(item, sub.itemKey) : undefined, value: out };
  });
  // Keyed by the contract's item key (a setting's definition id) when every item has one.
  if (sub.itemKey && normalized.every((entry) => typeof entry.key === 'string')) {
    const keyed: Json = {};
    for (const entry of normalized) keyed[`[${String(entry.key)}]`] = entry.value;
    return keyed;
  }
  return clean(normalized.map((entry) => entry.value));
}

function assignment(contract: GraphContract, item: Json, names: NameLookup): unknown {
  const readOnly = [...readOnlyPropertiesOfPart(contract, 'assignments'), 'source', 'sourceId'];
  const out = without(item, readOnly);
  const target = isRecord(item.target) ? { ...item.target } : undefined;
  if (target) {
    if (typeof target.groupId === 'string') {
      target.group = names.group(target.groupId) ?? `unknown group ${target.groupId}`;
      delete target.groupId;
    }
    const filterId = target.deviceAndAppManagementAssignmentFilterId;
    if (typeof filterId === 'string' && filterId !== NONE)
      target.filter = names.object(filterId) ?? `unknown filter ${filterId}`;
    if (typeof filterId !== 'string' || filterId === NONE)
      delete target.deviceAndAppManagementAssignmentFilterType;
    delete target.deviceAndAppManagementAssignmentFilterId;
    // The target's kind (group, all devices, exclusion) is content: keep it as its short type name.
    if (typeof target['@odata.type'] === 'string')
      target.kind = target['@odata.type'].replace(/^#?microsoft\.graph\./, '');
    out.target = target;
  }
  return clean(out);
}

/** The comparable form of a stored version of an object of `contract`. */
export function comparable(contract: GraphContract, stored: VersionContent, names: NameLookup): Comparable {
  const content = withReferenceNames(contract, stored, names);
  const odataType =
    typeof content.object['@odata.type'] === 'string' ? content.object['@odata.type'] : undefined;
  const own = without(content.object, [
    ...readOnlyProperties(contract, odataType),
    ...contract.subResources.map((sub) => sub.name),
    'assignments',
    // The name is what matches objects across tenants (or a pairing overrides it): not a setting.
    'displayName',
    'name',
  ]);
  const object = (clean(own) as Json | undefined) ?? {};
  if (Array.isArray(object.roleScopeTagIds))
    object.roleScopeTagIds = clean(
      (object.roleScopeTagIds as string[]).map((id) =>
        id === '0' ? 'Default' : (names.object(id) ?? `unknown scope tag ${id}`),
      ),
    );
  const subResources: Json = {};
  for (const sub of contract.subResources) {
    const items = content.subResources[sub.name];
    if (items && items.length > 0) subResources[sub.name] = collection(contract, sub, items, sub.name);
  }
  return {
    object,
    subResources,
    assignments:
      (clean(content.assignments.map((item) => assignment(contract, item, names))) as unknown[]) ?? [],
  };
}

export function hashComparable(value: Comparable): string {
  return stableStringify(value);
}

/** Property-level differences, expected (the baseline) against actual (the tenant); first 50 kept. */
export function differencesOf(
  expected: Comparable,
  actual: Comparable,
): { list: Difference[]; count: number } {
  const list: Difference[] = [];
  let count = 0;
  const walk = (a: unknown, b: unknown, path: string) => {
    if (isRecord(a) && isRecord(b)) {
      for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
        walk(a[key], b[key], key.startsWith('[') ? `${path}${key}` : `${path}.${key}`);
      return;
    }
    if (stableStringify(a ?? null) === stableStringify(b ?? null)) return;
    count++;
    if (list.length < MAX_DIFFERENCES) list.push({ path, expected: a ?? null, actual: b ?? null });
  };
  walk(expected.object, actual.object, 'object');
  walk(expected.subResources, actual.subResources, 'subResources');
  walk({ assignments: expected.assignments }, { assignments: actual.assignments }, '');
  return { list: list.map((d) => ({ ...d, path: d.path.replace(/^\./, '') })), count };
}
