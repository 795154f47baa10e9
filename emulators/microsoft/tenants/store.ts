import type { Schema } from '../reference/schema';
import { odataType, parseTypeRef, shortTypeName } from '../reference/schema';

/** A reference to another stored entity (non-contained navigations such as a group policy value's definition). */
export interface EntityRef {
  collection: string;
  /** id, then optionally pairs of (navigation, id) below it. */
  path: string[];
}

/** One stored Graph entity: its structural properties, contained children and references. */
export interface EntityNode {
  id: string;
  type: string;
  data: Record<string, unknown>;
  navs: Map<string, Map<string, EntityNode>>;
  refs: Map<string, EntityRef>;
  /** Epoch ms before which a list does not show the node (audit records that arrive late). */
  visibleFrom?: number;
}

export function newNode(type: string, data: Record<string, unknown>): EntityNode {
  const id = String(data.id);
  return {
    id,
    type,
    data: { '@odata.type': odataType(type), ...data, id },
    navs: new Map(),
    refs: new Map(),
  };
}

/**
 * Builds a node from a JSON payload: structural members stay in `data`, contained navigations become child
 * nodes (recursively). The payload must carry `id` on every entity (the caller assigns missing ids).
 */
export function nodeFromJson(
  schema: Schema,
  declaredType: string,
  json: Record<string, unknown>,
  assignId: (type: string) => string,
): EntityNode {
  const typeName =
    typeof json['@odata.type'] === 'string' ? shortTypeName(json['@odata.type']) : declaredType;
  const { navigations } = schema.members(typeName);
  const data: Record<string, unknown> = {};
  const children = new Map<string, Map<string, EntityNode>>();
  for (const [key, value] of Object.entries(json)) {
    const nav = navigations.get(key);
    if (nav && nav.containsTarget !== false && value !== null && value !== undefined) {
      const ref = parseTypeRef(nav.type);
      const items = (ref.collection ? (value as unknown[]) : [value]) as Array<Record<string, unknown>>;
      const map = new Map<string, EntityNode>();
      for (const item of items) {
        const child = nodeFromJson(
          schema,
          ref.type,
          { ...item, id: item.id ?? assignId(ref.type) },
          assignId,
        );
        map.set(child.id, child);
      }
      children.set(key, map);
    } else if (!nav && !key.includes('@odata.bind')) {
      data[key] = value;
    }
  }
  const node = newNode(typeName, { ...data, id: json.id ?? assignId(typeName) });
  node.navs = children;
  return node;
}

export function childMap(node: EntityNode, nav: string): Map<string, EntityNode> {
  let map = node.navs.get(nav);
  if (!map) {
    map = new Map();
    node.navs.set(nav, map);
  }
  return map;
}

export function cloneNode(node: EntityNode): EntityNode {
  return {
    id: node.id,
    type: node.type,
    data: structuredClone(node.data),
    navs: new Map([...node.navs].map(([k, m]) => [k, new Map([...m].map(([id, c]) => [id, cloneNode(c)]))])),
    refs: new Map([...node.refs].map(([k, r]) => [k, { collection: r.collection, path: [...r.path] }])),
  };
}

/** A stored node as plain JSON, exactly as held (the journal's form; `nodeFromStored` reads it back). */
export interface StoredNode {
  id: string;
  type: string;
  data: Record<string, unknown>;
  navs?: Record<string, StoredNode[]>;
  refs?: Record<string, EntityRef>;
  visibleFrom?: number;
}

export function nodeToStored(node: EntityNode): StoredNode {
  const out: StoredNode = { id: node.id, type: node.type, data: node.data };
  if (node.navs.size > 0)
    out.navs = Object.fromEntries([...node.navs].map(([nav, m]) => [nav, [...m.values()].map(nodeToStored)]));
  if (node.refs.size > 0) out.refs = Object.fromEntries(node.refs);
  if (node.visibleFrom !== undefined) out.visibleFrom = node.visibleFrom;
  return out;
}

export function nodeFromStored(stored: StoredNode): EntityNode {
  return {
    id: stored.id,
    type: stored.type,
    data: stored.data,
    navs: new Map(
      Object.entries(stored.navs ?? {}).map(([nav, items]) => [
        nav,
        new Map(items.map((item) => [item.id, nodeFromStored(item)])),
      ]),
    ),
    refs: new Map(Object.entries(stored.refs ?? {})),
    ...(stored.visibleFrom !== undefined && { visibleFrom: stored.visibleFrom }),
  };
}

/**
 * Told of every acknowledged write to a tenant's top-level objects (the journal, when the cloud has a
 * state folder): `written` after an object was created or changed in place, `removed` after a delete.
 */
export interface StoreListener {
  written(collection: string, node: EntityNode): void;
  removed(collection: string, id: string): void;
}

/** The Graph objects of one simulated tenant, by collection path (insertion order is the listing order). */
export class TenantStore {
  readonly collections = new Map<string, Map<string, EntityNode>>();
  /** Set once the tenant is built (and its journal replayed): seed objects are not reported. */
  listener: StoreListener | undefined;

  /**
   * A write path reports the top-level object it created or changed (contained children included), before
   * its answer is sent. `add` does not report: seeding uses it.
   */
  written(collection: string, node: EntityNode): void {
    this.listener?.written(collection, node);
  }

  /** A write path reports the top-level object it deleted, before its answer is sent. */
  removed(collection: string, id: string): void {
    this.listener?.removed(collection, id);
  }

  collection(path: string): Map<string, EntityNode> {
    let map = this.collections.get(path);
    if (!map) {
      map = new Map();
      this.collections.set(path, map);
    }
    return map;
  }

  add(path: string, node: EntityNode): EntityNode {
    this.collection(path).set(node.id, node);
    return node;
  }

  get(path: string, id: string): EntityNode | undefined {
    return this.collections.get(path)?.get(id);
  }

  resolveRef(ref: EntityRef): EntityNode | undefined {
    let node = this.get(ref.collection, ref.path[0] ?? '');
    for (let i = 1; node && i + 1 < ref.path.length; i += 2)
      node = node.navs.get(ref.path[i]!)?.get(ref.path[i + 1]!);
    return node;
  }

  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [path, map] of this.collections) if (map.size > 0) out[path] = map.size;
    return out;
  }

  snapshot(): Map<string, Map<string, EntityNode>> {
    return new Map(
      [...this.collections].map(([p, m]) => [p, new Map([...m].map(([id, n]) => [id, cloneNode(n)]))]),
    );
  }

  restore(snapshot: Map<string, Map<string, EntityNode>>): void {
    this.collections.clear();
    for (const [p, m] of snapshot)
      this.collections.set(p, new Map([...m].map(([id, n]) => [id, cloneNode(n)])));
  }
}
