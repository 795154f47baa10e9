import {
  readOnlyProperties,
  readOnlyPropertiesOfPart,
  type GraphApiVersion,
  type GraphContract,
  type SubResourceContract,
} from '../graph';
import { createHash } from 'node:crypto';
import { diffJson, stableStringify } from '../inventory';

type Json = Record<string, unknown>;

/**
 * What restore writes for one object, derived from a stored version (or a fresh read): the object's own
 * writable properties, its sub-resources by how Graph takes them, and its assignments — read-only and
 * computed members, ids and response annotations gone.
 */
export interface WriteDocument {
  object: Json;
  /** Sent inside the create body (or the PUT), by sub-resource name. */
  inline: Record<string, Json[]>;
  /** Created after the object, by their own request or action. */
  separate: Record<string, Json[]>;
  assignments: Json[];
}

export interface VersionLike {
  object: Json;
  subResources: Record<string, Json[]>;
  assignments: Json[];
}

/** Where `@odata.bind` references point: the Graph root and version of the contract. */
export interface BindRoot {
  baseUrl: string;
  apiVersion: GraphApiVersion;
}

const ANNOTATION = /@odata\.(?!type$)/;

function strip(value: Json, remove: readonly string[]): Json {
  const out: Json = {};
  for (const [key, inner] of Object.entries(value)) {
    if (remove.includes(key) || key === 'id' || ANNOTATION.test(key)) continue;
    out[key] = inner;
  }
  return out;
}

function fill(template: string, item: Json, parent: Json | undefined, nav: string): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const source = name === 'id' ? (item[nav] as Json | undefined) : undefined;
    if (source) return String(source.id);
    const parentNav = name.startsWith('parent.') ? (parent?.[name.slice(7)] as Json | undefined) : undefined;
    return String(parentNav?.id ?? '');
  });
}

function subItems(
  contract: GraphContract,
  sub: SubResourceContract,
  items: Json[],
  root: BindRoot,
  part: string,
  parent?: Json,
): Json[] {
  const readOnly = readOnlyPropertiesOfPart(contract, part);
  return items.map((item) => {
    const out = strip(item, readOnly);
    for (const [nav, template] of Object.entries(sub.binds ?? {})) {
      if (!item[nav]) continue;
      delete out[nav];
      out[`${nav}@odata.bind`] = `${root.baseUrl}/${root.apiVersion}${fill(template, item, parent, nav)}`;
    }
    for (const child of sub.children ?? []) {
      const inner = item[child.name];
      if (Array.isArray(inner))
        out[child.name] = subItems(contract, child, inner as Json[], root, `${part}/${child.name}`, item);
    }
    return out;
  });
}

export function writeDocument(contract: GraphContract, version: VersionLike, root: BindRoot): WriteDocument {
  const type = typeof version.object['@odata.type'] === 'string' ? version.object['@odata.type'] : undefined;
  const object = strip(version.object, readOnlyProperties(contract, type));
  const inline: Record<string, Json[]> = {};
  const separate: Record<string, Json[]> = {};
  for (const sub of contract.subResources) {
    const items = version.subResources[sub.name];
    if (!items || sub.write === 'none') continue;
    (sub.write === 'inline' ? inline : separate)[sub.name] = subItems(contract, sub, items, root, sub.name);
    delete object[sub.name];
  }
  // `source` / `sourceId` say which policy set an assignment came from: Graph sets them, never the caller.
  const assignmentReadOnly = [...readOnlyPropertiesOfPart(contract, 'assignments'), 'source', 'sourceId'];
  return {
    object,
    inline,
    separate,
    assignments: version.assignments.map((assignment) => strip(assignment, assignmentReadOnly)),
  };
}

/**
 * The form values are compared in: without nulls (Graph treats null and absent alike on writes) and
 * without ids at any depth (nested items get new ids in every tenant and on every write).
 */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const [key, inner] of Object.entries(value))
      if (inner !== null && key !== 'id') out[key] = comparable(inner);
    return out;
  }
  return value;
}

/** A key under which two items (assignments, sub-resource items) compare equal when they would write the same. */
export function itemKey(item: Json): string {
  return stableStringify(comparable(item));
}

/** The write form of one item of a part read from Graph (an assignment, or a sub-resource item by name). */
export function writeFormOfItem(contract: GraphContract, part: string, item: Json, root: BindRoot): Json {
  const version = {
    object: {},
    subResources: part === 'assignments' ? {} : { [part]: [item] },
    assignments: part === 'assignments' ? [item] : [],
  };
  const doc = writeDocument(contract, version, root);
  return (part === 'assignments' ? doc.assignments : (doc.inline[part] ?? doc.separate[part] ?? []))[0] ?? {};
}

/** Arrays whose order Graph does not promise (assignments, sub-resource items) compared as sets. */
function asSet(items: Json[]): Json[] {
  return [...items]
    .map((item) => comparable(item) as Json)
    .sort((a, b) => stableStringify(a).localeCompare(stableStringify(b)));
}

/**
 * The form two write documents are compared in: what the backup would write next to what the target has.
 * Members the target has and the backup does not are left out (a PATCH leaves them as they are).
 */
export function comparableDocument(doc: WriteDocument, keysOf?: WriteDocument): Json {
  const object = comparable(doc.object) as Json;
  const keep = keysOf ? new Set(Object.keys(comparable(keysOf.object) as Json)) : undefined;
  return {
    object: keep ? Object.fromEntries(Object.entries(object).filter(([key]) => keep.has(key))) : object,
    subResources: Object.fromEntries(
      Object.entries({ ...doc.inline, ...doc.separate })
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, items]) => [name, asSet(items)]),
    ),
    assignments: asSet(doc.assignments),
  };
}

/** What writing `desired` would change in `current` (property paths, before and after). */
export function differences(current: WriteDocument, desired: WriteDocument) {
  return diffJson(comparableDocument(current, desired), comparableDocument(desired));
}

/** A target object's state as restore compares it: changed since the preview when this differs. */
export function documentHash(doc: WriteDocument): string {
  return createHash('sha256')
    .update(stableStringify(comparableDocument(doc)))
    .digest('hex');
}
