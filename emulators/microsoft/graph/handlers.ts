import { createHash } from 'node:crypto';
import { GRAPH_APP_ROLES } from '../entra/permissions';
import type { CollectionDef } from '../reference/catalogue';
import { shortTypeName } from '../reference/schema';
import { newNode, type EntityNode } from '../tenants/store';
import { AUDIT_COLLECTION, AUDIT_COLLECTIONS, auditVisible } from '../tenants/audit';
import { graphError, serviceErrors, type SimResponse } from './errors';
import { FilterError, parseFilter } from './odata-filter';
import type { Target } from './resolve';
import {
  expandChildren,
  nodeData,
  parseExpand,
  renderNode,
  type ExpandItem,
  type RenderOptions,
} from './serialize';
import type { GraphCall, GraphDeps } from './types';
import { handleAction } from './actions';
import { handleDelta } from './delta';
import { audit, badRequest, contextUrl, json, navContextUrl, noContent } from './respond';
import { checkWriteBody, createNode, patchNode, replaceChildren, touch } from './writes';

function liveNav(call: GraphCall): RenderOptions['liveNav'] {
  return (node, nav) => {
    if (node.type !== 'servicePrincipal' || nav !== 'appRoleAssignments') return undefined;
    const tenant = call.principal.tenant.entra;
    const app = [...tenant.apps.values()].find((a) => a.servicePrincipalId === node.id);
    if (!app) return [];
    return [...app.granted].map(([permission, grantedAt]) =>
      newNode('appRoleAssignment', {
        id: createHash('sha256')
          .update(`${app.servicePrincipalId}:${permission}`)
          .digest('base64url')
          .slice(0, 43),
        deletedDateTime: null,
        appRoleId: GRAPH_APP_ROLES[permission],
        createdDateTime: grantedAt,
        principalDisplayName: app.displayName,
        principalId: app.servicePrincipalId,
        principalType: 'ServicePrincipal',
        resourceDisplayName: 'Microsoft Graph',
        resourceId: tenant.graphServicePrincipalId,
      }),
    );
  };
}

function checkExpand(
  deps: GraphDeps,
  call: GraphCall,
  def: CollectionDef,
  type: string,
  items: ExpandItem[],
): SimResponse | undefined {
  const schema = deps.schemas[call.version];
  for (const item of items) {
    if (!schema.navigation(type, item.nav)) {
      return badRequest(
        deps,
        call,
        def,
        `Could not find a property named '${item.nav}' on type 'microsoft.graph.${type}'.`,
      );
    }
  }
  return undefined;
}

function checkSelect(
  deps: GraphDeps,
  call: GraphCall,
  def: CollectionDef,
  type: string,
): string[] | SimResponse | undefined {
  const raw = call.query.get('$select');
  if (!raw) return undefined;
  const fields = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const schema = deps.schemas[call.version];
  const names: string[] = [];
  for (const f of fields) {
    const name = schema.memberName(type, f);
    if (!name)
      return badRequest(
        deps,
        call,
        def,
        `Could not find a property named '${f}' on type 'microsoft.graph.${type}'.`,
      );
    names.push(name);
  }
  return names;
}

interface PageToken {
  o: number;
}

/** GET on a collection (top-level or contained): $filter, cast, $orderby, $count, $top, $skip, $skiptoken, $select, $expand. */
function list(
  deps: GraphDeps,
  call: GraphCall,
  def: CollectionDef,
  elementType: string,
  nodes: EntityNode[],
  cast?: string,
  /** The path the listed objects are addressed under, for the context of their expanded navigations. */
  itemsPath = call.path,
): SimResponse {
  const schema = deps.schemas[call.version];
  const store = call.principal.tenant.store;
  const expand = parseExpand(call.query.get('$expand'));
  const expandError = checkExpand(deps, call, def, cast ?? elementType, expand);
  if (expandError) return expandError;
  const select = checkSelect(deps, call, def, cast ?? elementType);
  if (select && !Array.isArray(select)) return select;
  let items = nodes.filter((n) => nodeData(deps.schemas, call.version, n) !== null);
  if (AUDIT_COLLECTIONS.includes(def.path)) {
    const now = Date.now();
    const audit = call.principal.tenant.realism.audit;
    const days = def.path === AUDIT_COLLECTION ? audit.intuneRetentionDays : audit.entraRetentionDays;
    items = items.filter((n) => auditVisible(def.path, n, now, days));
  }
  if (cast) items = items.filter((n) => schema.isDerivedFrom(n.type, cast));
  const filterText = call.query.get('$filter');
  if (filterText) {
    let predicate;
    try {
      predicate = parseFilter(filterText, (item, type) =>
        schema.isDerivedFrom(shortTypeName(String(item['@odata.type'] ?? '')), type),
      );
    } catch (e) {
      return badRequest(deps, call, def, `Invalid filter clause: ${(e as FilterError).message}`);
    }
    items = items.filter((n) => predicate(nodeData(deps.schemas, call.version, n)!));
  }
  const orderby = call.query.get('$orderby');
  if (orderby) {
    const [prop, dir] = orderby.trim().split(/\s+/);
    const sign = dir?.toLowerCase() === 'desc' ? -1 : 1;
    items = [...items].sort(
      (a, b) => sign * String(a.data[prop!] ?? '').localeCompare(String(b.data[prop!] ?? '')),
    );
  }
  const topRaw = call.query.get('$top');
  const top = topRaw === null ? undefined : Number(topRaw);
  if (top !== undefined && (!Number.isInteger(top) || top < 0))
    return badRequest(deps, call, def, `Invalid value '${topRaw}' for $top query option found.`);
  const pageSize = Math.max(1, Math.min(top ?? def.paging.defaultSize, def.paging.maxSize));
  const skipRaw = call.query.get('$skip');
  const skip = skipRaw === null ? 0 : Number(skipRaw);
  if (!Number.isInteger(skip) || skip < 0)
    return badRequest(deps, call, def, `Invalid value '${skipRaw}' for $skip query option found.`);
  // The skip token holds the absolute offset, so `$skip` only counts on the first page.
  let offset = skip;
  const token = call.query.get('$skiptoken');
  if (token) {
    try {
      offset = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageToken).o;
    } catch {
      return badRequest(deps, call, def, 'The $skiptoken is not valid.');
    }
  }
  const page = items.slice(offset, offset + pageSize);
  const options: RenderOptions = {
    select,
    expand,
    liveNav: liveNav(call),
    navContext: navContextUrl(deps, call, itemsPath),
  };
  const body: Record<string, unknown> = {
    '@odata.context': contextUrl(deps, call, select ? `(${select.join(',')})` : ''),
  };
  if (call.query.get('$count') === 'true') body['@odata.count'] = items.length;
  if (offset + pageSize < items.length) {
    const params = new URLSearchParams(call.query);
    params.delete('$skiptoken');
    params.delete('$skip');
    params.set(
      '$skiptoken',
      Buffer.from(JSON.stringify({ o: offset + pageSize } satisfies PageToken)).toString('base64url'),
    );
    const qs = [...params].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    body['@odata.nextLink'] = `${deps.graphBaseUrl}/${call.version}${call.path}?${qs}`;
  }
  body.value = page.map((n) => renderNode(deps.schemas, call.version, store, n, options)).filter(Boolean);
  return json(200, body);
}

function getEntity(
  deps: GraphDeps,
  call: GraphCall,
  def: CollectionDef,
  node: EntityNode,
  /** The collection the object is addressed in, for the context of its expanded navigations. */
  itemsPath?: string,
): SimResponse {
  const expand = parseExpand(call.query.get('$expand'));
  const expandError = checkExpand(deps, call, def, node.type, expand);
  if (expandError) return expandError;
  const select = checkSelect(deps, call, def, node.type);
  if (select && !Array.isArray(select)) return select;
  const rendered = renderNode(deps.schemas, call.version, call.principal.tenant.store, node, {
    select,
    expand,
    liveNav: liveNav(call),
    ...(itemsPath && { navContext: navContextUrl(deps, call, itemsPath) }),
  });
  if (!rendered) return serviceErrors.notFound(def.service, node.id, call.ids, call.url);
  return json(200, { '@odata.context': contextUrl(deps, call, '/$entity'), ...rendered });
}

/** Built-in objects cannot be changed; defaults (`…_DefaultLimit`, scope tag 0) can be changed but not deleted. */
function isProtected(node: EntityNode, forDelete = false): boolean {
  if (node.data.isBuiltIn === true || node.data.isGlobalScript === true || node.data.policyType === 'builtIn')
    return true;
  return forDelete && (/_Default/.test(node.id) || node.id === '0');
}

/** Dispatches a resolved call to the operation for its target and method. */
export function handleTarget(deps: GraphDeps, call: GraphCall, target: Target): SimResponse {
  const schema = deps.schemas[call.version];
  const store = call.principal.tenant.store;
  const method = call.method;
  const def = target.def;
  const writeBlocked = () =>
    badRequest(deps, call, def, `The collection '${def.path}' does not support ${method}.`);
  switch (target.kind) {
    case 'delta':
      return handleDelta(deps, call, def);
    case 'collection': {
      const sources = def.viewOf ?? [def.path];
      if (method === 'GET') {
        return list(
          deps,
          call,
          def,
          target.elementType,
          sources.flatMap((s) => [...store.collection(s).values()]),
          target.cast,
          def.path,
        );
      }
      if (method !== 'POST' || def.readOnly) return writeBlocked();
      const checked = checkWriteBody(
        deps.reference,
        schema,
        def.service,
        target.elementType,
        call.body,
        'create',
      );
      if ('code' in checked) return badRequest(deps, call, def, checked.message, checked.code);
      const node = createNode(schema, checked.type, checked.body, deps.graphBaseUrl);
      store.add(def.path, node);
      audit(call, def.path, node, 'Create');
      return json(201, {
        '@odata.context': contextUrl(deps, call, '/$entity'),
        ...renderNode(deps.schemas, call.version, store, node),
      });
    }
    case 'children': {
      const nodes = expandChildren(store, target.parent, target.nav, { liveNav: liveNav(call) });
      if (method === 'GET') return list(deps, call, def, target.elementType, nodes, target.cast);
      if (method !== 'POST' || target.nav === 'appRoleAssignments') return writeBlocked();
      const checked = checkWriteBody(
        deps.reference,
        schema,
        def.service,
        target.elementType,
        call.body,
        'create',
      );
      if ('code' in checked) return badRequest(deps, call, def, checked.message, checked.code);
      const node = createNode(schema, checked.type, checked.body, deps.graphBaseUrl);
      let map = target.parent.navs.get(target.nav);
      if (!map) target.parent.navs.set(target.nav, (map = new Map()));
      map.set(node.id, node);
      touch(schema, target.root.type, (target.root.data = { ...target.root.data }));
      audit(call, target.rootCollection, target.root, target.nav === 'assignments' ? 'Assign' : 'Patch');
      return json(201, {
        '@odata.context': contextUrl(deps, call, '/$entity'),
        ...renderNode(deps.schemas, call.version, store, node),
      });
    }
    case 'reference': {
      if (method !== 'GET') return writeBlocked();
      const [node] = expandChildren(store, target.parent, target.nav);
      if (!node) return serviceErrors.notFound(def.service, target.nav, call.ids, call.url);
      return getEntity(deps, call, def, node);
    }
    case 'entity':
      return handleEntity(deps, call, target);
    case 'parent':
      return handleParent(deps, call, target);
    case 'action':
      return handleAction(deps, call, target);
  }
}

/**
 * `PATCH /deviceManagement`: each member of the body is one of the root's singleton properties, checked
 * and applied as a PATCH of that singleton; GET of the root itself is not simulated.
 */
function handleParent(
  deps: GraphDeps,
  call: GraphCall,
  target: Extract<Target, { kind: 'parent' }>,
): SimResponse {
  const schema = deps.schemas[call.version];
  const { def } = target;
  if (call.method !== 'PATCH')
    return badRequest(deps, call, def, `Only PATCH is simulated on this resource.`);
  const body = (call.body ?? {}) as Record<string, unknown>;
  const store = call.principal.tenant.store;
  // All members are checked before any is applied: a refused body changes nothing.
  const patches: Array<{ path: string; node: EntityNode; body: Record<string, unknown> }> = [];
  for (const [key, value] of Object.entries(body)) {
    const child = target.children.get(key);
    const node = child ? [...store.collection(child.path).values()][0] : undefined;
    if (!child || !node)
      return badRequest(
        deps,
        call,
        def,
        `The property '${key}' does not exist or cannot be set here.`,
        'ModelValidationFailure',
      );
    const checked = checkWriteBody(
      deps.reference,
      schema,
      def.service,
      node.type,
      value,
      'update',
      node.type,
    );
    if ('code' in checked) return badRequest(deps, call, def, checked.message, checked.code);
    patches.push({ path: child.path, node, body: checked.body });
  }
  for (const { path, node, body: patch } of patches)
    audit(call, path, node, 'Patch', patchNode(schema, node, patch));
  return noContent();
}

function handleEntity(
  deps: GraphDeps,
  call: GraphCall,
  target: Extract<Target, { kind: 'entity' }>,
): SimResponse {
  const schema = deps.schemas[call.version];
  const { def, node } = target;
  const isRoot = node === target.root;
  switch (call.method) {
    case 'GET':
      return getEntity(deps, call, def, node, isRoot ? def.path : undefined);
    case 'PATCH':
    case 'PUT': {
      if (def.readOnly && isRoot && !def.viewOf)
        return badRequest(deps, call, def, `The collection '${def.path}' does not support ${call.method}.`);
      if (isProtected(node)) return badRequest(deps, call, def, 'Built-in objects cannot be modified.');
      const mode = call.method === 'PUT' ? 'replace' : 'update';
      const checked = checkWriteBody(
        deps.reference,
        schema,
        def.service,
        node.type,
        call.body,
        mode,
        node.type,
      );
      if ('code' in checked) return badRequest(deps, call, def, checked.message, checked.code);
      const body = checked.body;
      const changes = patchNode(schema, node, body);
      if (mode === 'replace') replaceChildren(schema, node, body);
      if (!isRoot) touch(schema, target.root.type, (target.root.data = { ...target.root.data }));
      audit(call, target.rootCollection, target.root, 'Patch', changes);
      if (def.service !== 'intune') return noContent();
      return json(200, {
        '@odata.context': contextUrl(deps, call, '/$entity'),
        ...renderNode(deps.schemas, call.version, call.principal.tenant.store, node),
      });
    }
    case 'DELETE': {
      if ((def.readOnly && !def.viewOf) || (def.singleton && isRoot))
        return badRequest(deps, call, def, `The collection '${def.path}' does not support DELETE.`);
      if (isProtected(node, true)) return badRequest(deps, call, def, 'Built-in objects cannot be deleted.');
      target.container.delete(node.id);
      if (isRoot) audit(call, target.rootCollection, node, 'Delete');
      else {
        touch(schema, target.root.type, (target.root.data = { ...target.root.data }));
        audit(call, target.rootCollection, target.root, 'Patch');
      }
      return noContent();
    }
    default:
      return graphError(
        405,
        'BadRequest',
        `The HTTP method '${call.method}' is not allowed for this resource.`,
        call.ids,
      );
  }
}
