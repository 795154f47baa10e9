import type { ApiVersion } from '../reference/load';
import type { Schema } from '../reference/schema';
import { parseTypeRef, shortTypeName } from '../reference/schema';
import type { EntityNode, TenantStore } from '../tenants/store';

/**
 * Objects are stored in their beta shape. A v1.0 answer shows only what v1.0 declares: members, nested
 * types and enum values that v1.0 lacks are left out, and an object whose type v1.0 lacks is not served.
 */
export function projectValue(schema: Schema, declared: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (declared.startsWith('Edm.')) return value;
  if (schema.isEnum(declared)) {
    const members = schema.enumMembers(declared) ?? [];
    return typeof value === 'string' && value.split(',').every((p) => members.includes(p.trim()))
      ? value
      : undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const obj = value as Record<string, unknown>;
  const typeName = typeof obj['@odata.type'] === 'string' ? shortTypeName(obj['@odata.type']) : declared;
  if (!schema.hasType(typeName)) return undefined;
  const { properties } = schema.members(typeName);
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(obj)) {
    if (key.startsWith('@')) {
      out[key] = member;
      continue;
    }
    const decl = properties.get(key);
    if (!decl) continue;
    const ref = parseTypeRef(decl.type);
    if (ref.collection && Array.isArray(member)) {
      out[key] = member.map((m) => projectValue(schema, ref.type, m)).filter((m) => m !== undefined);
    } else {
      const v = projectValue(schema, ref.type, member);
      if (v !== undefined) out[key] = v;
    }
  }
  return out;
}

const projectionCache = new WeakMap<object, Record<string, unknown> | null>();

/** The node's own members as the given version shows them (null when the version lacks its type). */
export function nodeData(
  schemas: Record<ApiVersion, Schema>,
  version: ApiVersion,
  node: EntityNode,
): Record<string, unknown> | null {
  if (version === 'beta') return node.data;
  let cached = projectionCache.get(node.data);
  if (cached === undefined) {
    cached = schemas[version].hasType(node.type)
      ? ((projectValue(schemas[version], node.type, node.data) as Record<string, unknown> | undefined) ??
        null)
      : null;
    projectionCache.set(node.data, cached);
  }
  return cached;
}

export interface ExpandItem {
  nav: string;
  /** Nested `$expand` inside `nav(...)`, one level. */
  expand: ExpandItem[];
}

/** `assignments,settings($expand=settingDefinitions)` → items. */
export function parseExpand(text: string | null): ExpandItem[] {
  if (!text) return [];
  const items: ExpandItem[] = [];
  let depth = 0;
  let start = 0;
  const push = (part: string) => {
    const trimmed = part.trim();
    if (!trimmed) return;
    const open = trimmed.indexOf('(');
    if (open < 0) return items.push({ nav: trimmed, expand: [] });
    const inner = trimmed.slice(open + 1, -1);
    const nested = /\$expand=([^;]*)/.exec(inner)?.[1] ?? null;
    items.push({ nav: trimmed.slice(0, open).trim(), expand: parseExpand(nested) });
  };
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      push(text.slice(start, i));
      start = i + 1;
    }
  }
  push(text.slice(start));
  return items;
}

export interface RenderOptions {
  select?: string[];
  expand?: ExpandItem[];
  /** Live children for navigations that are not stored (service principal app role assignments). */
  liveNav?: (node: EntityNode, nav: string) => EntityNode[] | undefined;
  /**
   * The `@odata.context` of an expanded collection navigation of the rendered object (`assignments@odata.context`,
   * `settings@odata.context`), which Graph sends next to the expanded array.
   */
  navContext?: (node: EntityNode, nav: string) => string;
}

/** A node as JSON for the version: projected members, `$select`, expanded navigations. */
export function renderNode(
  schemas: Record<ApiVersion, Schema>,
  version: ApiVersion,
  store: TenantStore,
  node: EntityNode,
  options: RenderOptions = {},
): Record<string, unknown> | null {
  const data = nodeData(schemas, version, node);
  if (!data) return null;
  let out: Record<string, unknown>;
  if (options.select && options.select.length > 0) {
    out = { '@odata.type': data['@odata.type'], id: data.id };
    for (const key of options.select) if (key in data) out[key] = data[key];
  } else {
    out = { ...data };
  }
  for (const item of options.expand ?? []) {
    const children = expandChildren(store, node, item.nav, options);
    const decl = schemas[version].navigation(node.type, item.nav);
    const rendered = children
      .map((c) => renderNode(schemas, version, store, c, { expand: item.expand, liveNav: options.liveNav }))
      .filter((c): c is Record<string, unknown> => c !== null);
    const single = decl && !parseTypeRef(decl.type).collection;
    if (!single && options.navContext) out[`${item.nav}@odata.context`] = options.navContext(node, item.nav);
    out[item.nav] = single ? (rendered[0] ?? null) : rendered;
  }
  return out;
}

export function expandChildren(
  store: TenantStore,
  node: EntityNode,
  nav: string,
  options: RenderOptions = {},
): EntityNode[] {
  const live = options.liveNav?.(node, nav);
  if (live) return live;
  const ref = node.refs.get(nav);
  if (ref) {
    const target = store.resolveRef(ref);
    return target ? [target] : [];
  }
  return [...(node.navs.get(nav)?.values() ?? [])];
}
