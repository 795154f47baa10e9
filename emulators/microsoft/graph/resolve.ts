import type { CollectionDef } from '../reference/catalogue';
import type { ApiVersion } from '../reference/load';
import { parseTypeRef, shortTypeName } from '../reference/schema';
import type { EntityNode } from '../tenants/store';
import { supportsDelta } from './delta';
import type { GraphDeps, TenantState } from './types';

export type Target =
  | { kind: 'collection'; def: CollectionDef; elementType: string; cast?: string }
  | {
      kind: 'entity';
      def: CollectionDef;
      node: EntityNode;
      /** The map holding the node (top-level collection or a parent's contained navigation). */
      container: Map<string, EntityNode>;
      /** The top-level object the node belongs to (itself when top-level). */
      root: EntityNode;
      rootCollection: string;
    }
  | {
      kind: 'children';
      def: CollectionDef;
      parent: EntityNode;
      root: EntityNode;
      rootCollection: string;
      nav: string;
      elementType: string;
      cast?: string;
    }
  | { kind: 'reference'; def: CollectionDef; parent: EntityNode; nav: string }
  /** The delta function on a top-level collection (`/groups/delta`). */
  | { kind: 'delta'; def: CollectionDef }
  /**
   * A root singleton whose complex-typed properties are singletons of their own path
   * (`PATCH /deviceManagement` with `{settings: …}` changes `/deviceManagement/settings`).
   */
  | { kind: 'parent'; def: CollectionDef; children: Map<string, CollectionDef> }
  | {
      kind: 'action';
      def: CollectionDef;
      node: EntityNode;
      root: EntityNode;
      rootCollection: string;
      name: string;
      args: Record<string, string>;
    };

export type Resolution =
  | { ok: true; target: Target; template: string }
  | { ok: false; status: 400 | 404; segment: string; id?: string; template?: string };

const KEY = /^([^(]+)\((.*)\)$/;

/** Splits `name('id')` / `name(appId='x')` segments into name and key. */
export function splitSegments(path: string): string[] {
  const out: string[] = [];
  for (const raw of path.split('/').filter(Boolean)) {
    const seg = decodeURIComponent(raw);
    const m = KEY.exec(seg);
    if (m && !m[1]!.includes('.')) {
      out.push(m[1]!);
      out.push(`(${m[2]!})`);
    } else {
      out.push(seg);
    }
  }
  return out;
}

/** `('abc')` → {id: 'abc'}; `(appId='x')` → {appId: 'x'}; a plain segment → {id: segment}. */
function parseKey(segment: string): Record<string, string> {
  if (!segment.startsWith('(')) return { id: segment };
  const inner = segment.slice(1, -1);
  const out: Record<string, string> = {};
  for (const part of inner.split(',')) {
    const eq = part.indexOf('=');
    const unquote = (s: string) => s.trim().replace(/^'(.*)'$/, '$1');
    if (eq < 0) out.id = unquote(part);
    else out[part.slice(0, eq).trim()] = unquote(part.slice(eq + 1));
  }
  return out;
}

const ACTIONS = new Set([
  'assign',
  'setPriority',
  'updateDefinitionValues',
  'scheduleActionsForRules',
  'getOmaSettingPlainTextValue',
  /** policySet/update (items and assignments). */
  'update',
  /** Settings-based compliance policies' scheduled actions. */
  'setScheduledActions',
  /** A security baseline template's new intent, and an intent's settings. */
  'createInstance',
  'updateSettings',
]);

function findTopLevel(deps: GraphDeps, tenant: TenantState, def: CollectionDef, key: Record<string, string>) {
  const sources = def.viewOf ?? [def.path];
  for (const source of sources) {
    const map = tenant.store.collection(source);
    if (key.id !== undefined) {
      const node = map.get(key.id);
      if (node) return { node, container: map, source };
    } else {
      const [prop, value] = Object.entries(key)[0] ?? [];
      for (const node of map.values()) {
        if (prop && node.data[prop] === value) return { node, container: map, source };
      }
    }
  }
  return undefined;
}

/** Walks a resource path through the catalogue and the tenant's objects. */
export function resolve(deps: GraphDeps, tenant: TenantState, version: ApiVersion, path: string): Resolution {
  const segments = splitSegments(path);
  const match = deps.catalogue.match(segments.filter((s) => !s.startsWith('(')));
  const children =
    !match && segments.length === 1 ? deps.catalogue.singletonsUnder(`/${segments[0]}`) : undefined;
  if (children && children.size > 0) {
    const [def] = children.values();
    return { ok: true, target: { kind: 'parent', def: def!, children }, template: `/${segments[0]}` };
  }
  if (!match || !match.def.versions[version]) return { ok: false, status: 400, segment: segments[0] ?? '' };
  const schema = deps.schemas[version];
  const { def } = match;
  const elementType = def.versions[version]!.elementType;
  let rest = segments.slice(match.used);
  let template = def.path;
  let cast: string | undefined;
  if (rest.length === 1 && (rest[0] === 'delta' || rest[0] === 'microsoft.graph.delta') && supportsDelta(def))
    return { ok: true, target: { kind: 'delta', def }, template: `${template}/delta` };
  if (rest[0]?.startsWith('microsoft.graph.')) {
    cast = shortTypeName(rest[0]);
    if (!schema.hasType(cast) || !schema.isDerivedFrom(cast, elementType))
      return { ok: false, status: 400, segment: rest[0] };
    template += `/${rest[0]}`;
    rest = rest.slice(1);
  }
  if (def.singleton) return resolveSingleton(tenant, def, rest, template);
  if (rest.length === 0)
    return { ok: true, target: { kind: 'collection', def, elementType, cast }, template };
  const key = parseKey(rest[0]!);
  const found = findTopLevel(deps, tenant, def, key);
  if (!found)
    return {
      ok: false,
      status: 404,
      segment: rest[0]!,
      id: key.id ?? Object.values(key)[0],
      template: `${template}/{id}`,
    };
  template += '/{id}';
  rest = rest.slice(1);
  const root = found.node;
  const rootCollection = found.source;
  let node = found.node;
  let container = found.container;
  while (rest.length > 0) {
    const seg = rest[0]!;
    if (seg.startsWith('microsoft.graph.')) {
      const t = shortTypeName(seg);
      if (!schema.isDerivedFrom(node.type, t)) return { ok: false, status: 400, segment: seg };
      template += `/${seg}`;
      rest = rest.slice(1);
      continue;
    }
    const actionName = seg.replace(/\(.*$/, '');
    if (ACTIONS.has(actionName) && rest.length === 1) {
      const args = seg.includes('(') ? parseKey(seg.slice(seg.indexOf('('))) : {};
      return {
        ok: true,
        target: { kind: 'action', def, node, root, rootCollection, name: actionName, args },
        template: `${template}/${actionName}`,
      };
    }
    const nav = schema.navigation(node.type, seg);
    if (!nav) return { ok: false, status: 400, segment: seg };
    template += `/${seg}`;
    const ref = parseTypeRef(nav.type);
    if (!ref.collection || nav.containsTarget === false) {
      if (rest.length > 1) return { ok: false, status: 400, segment: rest[1]! };
      return { ok: true, target: { kind: 'reference', def, parent: node, nav: seg }, template };
    }
    if (rest.length === 1) {
      return {
        ok: true,
        target: {
          kind: 'children',
          def,
          parent: node,
          root,
          rootCollection,
          nav: seg,
          elementType: ref.type,
        },
        template,
      };
    }
    const childKey = parseKey(rest[1]!);
    const children = node.navs.get(seg) ?? new Map<string, EntityNode>();
    const child = childKey.id !== undefined ? children.get(childKey.id) : undefined;
    if (!child)
      return { ok: false, status: 404, segment: rest[1]!, id: childKey.id, template: `${template}/{id}` };
    template += '/{id}';
    node = child;
    container = children;
    rest = rest.slice(2);
  }
  return { ok: true, target: { kind: 'entity', def, node, container, root, rootCollection }, template };
}

/** A tenant-wide singleton: its path names the one object (404 when the tenant has none). */
function resolveSingleton(
  tenant: TenantState,
  def: CollectionDef,
  rest: string[],
  template: string,
): Resolution {
  if (rest.length > 0) return { ok: false, status: 400, segment: rest[0]! };
  const container = tenant.store.collection(def.path);
  const [node] = container.values();
  if (!node) return { ok: false, status: 404, segment: def.path.split('/').pop()!, template };
  return {
    ok: true,
    target: { kind: 'entity', def, node, container, root: node, rootCollection: def.path },
    template,
  };
}
