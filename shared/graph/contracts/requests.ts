import type { GraphApiVersion, GraphContract, SubResourceContract } from './types';

declare const fromContract: unique symbol;

/**
 * One Graph request, built from a contract by the functions below: the only way to obtain one (the brand
 * keeps hand-made paths out of the client's API).
 */
export interface GraphRequestSpec {
  readonly [fromContract]: true;
  readonly contractKey: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly apiVersion: GraphApiVersion;
  /** Path below the version root, with its encoded query: `/deviceManagement/…?$expand=assignments`. */
  readonly url: string;
  readonly body?: unknown;
  /** Safe to send again when the connection failed before an answer (reads). */
  readonly idempotent: boolean;
  /** The read of a singleton contract: Graph answers the object itself, which is the whole "collection". */
  readonly singleton?: true;
}

export interface ListOptions {
  /** Replaces the contract's `$select`. */
  select?: readonly string[];
  /** One of the contract's `namedFilters`, with its parameters. */
  namedFilter?: { name: string; params: Readonly<Record<string, string>> };
  /** Page size hint; the service may return fewer. */
  top?: number;
  /** `$expand` the assignments when the contract reads them that way (default true). */
  withAssignments?: boolean;
  /** `$expand` the sub-resources the contract reads that way (default true). */
  withSubResources?: boolean;
}

export type GetOptions = Omit<ListOptions, 'namedFilter' | 'top'>;

function spec(
  contract: GraphContract,
  method: GraphRequestSpec['method'],
  path: string,
  query: ReadonlyArray<readonly [string, string]> = [],
  body?: unknown,
): GraphRequestSpec {
  const queryString = query.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
  return {
    contractKey: contract.key,
    method,
    apiVersion: contract.apiVersion,
    url: queryString ? `${path}?${queryString}` : path,
    ...(body === undefined ? {} : { body }),
    idempotent: method === 'GET',
    ...(method === 'GET' && contract.shape.kind === 'singleton' && path === contract.collectionPath
      ? { singleton: true }
      : {}),
  } as GraphRequestSpec;
}

function segment(id: string): string {
  if (id.length === 0) throw new Error('A Graph object id must not be empty.');
  return encodeURIComponent(id);
}

function itemPath(contract: GraphContract, id: string): string {
  if (contract.shape.kind === 'singleton')
    throw new Error(`'${contract.key}' is a singleton: it has no objects by id.`);
  return `${contract.collectionPath}/${segment(id)}`;
}

/** `$expand=name($expand=a,b)` or `name`. */
function expandClause(sub: SubResourceContract): string {
  return sub.expand?.length ? `${sub.name}($expand=${sub.expand.join(',')})` : sub.name;
}

function readQuery(contract: GraphContract, options: GetOptions): Array<[string, string]> {
  const expand = [...(contract.expand ?? [])];
  if ((options.withAssignments ?? true) && contract.assignments.read === 'expand') expand.push('assignments');
  if (options.withSubResources ?? true) {
    for (const sub of contract.subResources) if (sub.read === 'expand') expand.push(expandClause(sub));
  }
  const select = options.select ?? contract.select;
  const query: Array<[string, string]> = [];
  if (select?.length) query.push(['$select', select.join(',')]);
  if (expand.length) query.push(['$expand', expand.join(',')]);
  return query;
}

const quoteODataString = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** An OData DateTimeOffset literal: written bare (`activityDateTime ge 2026-01-01T00:00:00Z`), never quoted. */
const DATE_TIME_LITERAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/;

/**
 * Fills a named filter: `'{name}'` with the OData-quoted string, `{name:datetime}` with a bare UTC
 * date-time literal (anything else throws, so a parameter can never add to the expression).
 */
function namedFilter(contract: GraphContract, filter: NonNullable<ListOptions['namedFilter']>): string {
  const template = contract.namedFilters?.[filter.name];
  if (!template) throw new Error(`Contract '${contract.key}' has no filter '${filter.name}'.`);
  const param = (name: string) => {
    const value = filter.params[name];
    if (value === undefined) throw new Error(`Filter '${filter.name}' needs the parameter '${name}'.`);
    return value;
  };
  return template
    .replace(/'\{(\w+)\}'/g, (_, name: string) => quoteODataString(param(name)))
    .replace(/\{(\w+):datetime\}/g, (_, name: string) => {
      const value = param(name);
      if (!DATE_TIME_LITERAL.test(value))
        throw new Error(`Filter '${filter.name}': '${name}' must be a UTC date-time.`);
      return value;
    });
}

/** The first page of the contract's collection; for a singleton, the GET of its one object. */
export function listRequest(contract: GraphContract, options: ListOptions = {}): GraphRequestSpec {
  const query = readQuery(contract, options);
  if (contract.shape.kind === 'singleton') return spec(contract, 'GET', contract.collectionPath, query);
  const filters = [contract.filter, options.namedFilter && namedFilter(contract, options.namedFilter)];
  const filter = filters
    .filter((f): f is string => Boolean(f))
    .map((f, _, all) => (all.length > 1 ? `(${f})` : f));
  if (filter.length) query.push(['$filter', filter.join(' and ')]);
  if (options.top !== undefined) query.push(['$top', String(options.top)]);
  return spec(contract, 'GET', contract.collectionPath, query);
}

/**
 * The first request of a change-tracking round (`GET {collection}/delta?$select=…`): the `$select` travels
 * inside the links Graph answers, so only this request carries it.
 */
export function deltaRequest(contract: GraphContract): GraphRequestSpec {
  if (contract.changeTracking !== 'delta') throw new Error(`Contract '${contract.key}' has no delta query.`);
  const query: Array<[string, string]> = contract.select?.length
    ? [['$select', contract.select.join(',')]]
    : [];
  return spec(contract, 'GET', `${contract.collectionPath}/delta`, query);
}

export function getByIdRequest(
  contract: GraphContract,
  id: string,
  options: GetOptions = {},
): GraphRequestSpec {
  return spec(contract, 'GET', itemPath(contract, id), readQuery(contract, options));
}

export function assignmentsRequest(contract: GraphContract, id: string): GraphRequestSpec {
  if (contract.assignments.read === 'none') throw new Error(`Contract '${contract.key}' has no assignments.`);
  return spec(contract, 'GET', `${itemPath(contract, id)}/assignments`);
}

function findSub(subs: readonly SubResourceContract[], name: string, owner: string): SubResourceContract {
  const sub = subs.find((candidate) => candidate.name === name);
  if (!sub) throw new Error(`'${owner}' has no sub-resource '${name}'.`);
  return sub;
}

/**
 * A sub-resource collection of one object (`…/{id}/settings`), or of one of its sub-resource items
 * (`…/{id}/definitionValues/{valueId}/presentationValues`) when `child` is given.
 */
export function subResourceRequest(
  contract: GraphContract,
  id: string,
  name: string,
  child?: { id: string; name: string },
): GraphRequestSpec {
  const sub = findSub(contract.subResources, name, contract.key);
  let path = `${itemPath(contract, id)}/${sub.name}`;
  let target = sub;
  if (child) {
    target = findSub(sub.children ?? [], child.name, `${contract.key}/${name}`);
    path = `${path}/${segment(child.id)}/${target.name}`;
  }
  const query: Array<[string, string]> = target.expand?.length ? [['$expand', target.expand.join(',')]] : [];
  return spec(contract, 'GET', path, query);
}

export function createRequest(contract: GraphContract, body: Record<string, unknown>): GraphRequestSpec {
  if (contract.shape.kind === 'singleton')
    throw new Error(`'${contract.key}' is a singleton: it is updated, never created.`);
  return spec(contract, 'POST', contract.collectionPath, [], body);
}

/**
 * PATCH of one object. For a singleton `id` is ignored and the request is the contract's `shape.patch`
 * (the object under `bodyKey` where Graph changes it through its parent); a singleton without one throws.
 */
export function updateRequest(
  contract: GraphContract,
  id: string,
  body: Record<string, unknown>,
): GraphRequestSpec {
  if (contract.shape.kind === 'singleton') {
    const patch = contract.shape.patch;
    if (!patch) throw new Error(`Graph has no PATCH for '${contract.key}'.`);
    const payload = patch.bodyKey ? { [patch.bodyKey]: body } : body;
    return spec(contract, 'PATCH', patch.path, [], payload);
  }
  return spec(contract, 'PATCH', itemPath(contract, id), [], body);
}

/**
 * The create of a family Graph creates through an action (`restore.createVia`): the object's members the
 * recipe names, its inline sub-resources under their action keys, sent to the recipe's path.
 */
export function createViaRequest(
  contract: GraphContract,
  object: Record<string, unknown>,
  inline: Record<string, unknown>,
): GraphRequestSpec {
  const via = contract.restore?.createVia;
  if (!via) throw new Error(`'${contract.key}' is created by POST to its collection.`);
  const path = via.path.replace(/\{(\w+)\}/g, (_, member: string) => segment(String(object[member] ?? '')));
  const body: Record<string, unknown> = {};
  for (const member of via.members) if (member in object) body[member] = object[member];
  for (const [name, key] of Object.entries(via.inline)) if (name in inline) body[key] = inline[name];
  return spec(contract, 'POST', path, [], body);
}

/** PUT of one whole object with its inline sub-resources (the settings catalog's update). */
export function replaceRequest(
  contract: GraphContract,
  id: string,
  body: Record<string, unknown>,
): GraphRequestSpec {
  return spec(contract, 'PUT', itemPath(contract, id), [], body);
}

/** `POST …/{id}/{action}`: an action bound to one object (`scheduleActionsForRules`, `setPriority`). */
export function objectActionRequest(
  contract: GraphContract,
  id: string,
  action: string,
  body: Record<string, unknown>,
): GraphRequestSpec {
  return spec(contract, 'POST', `${itemPath(contract, id)}/${segment(action)}`, [], body);
}

/** `POST …/{id}/{subResource}`: one item of a sub-resource Graph creates separately. */
export function subResourceCreateRequest(
  contract: GraphContract,
  id: string,
  subResource: string,
  body: Record<string, unknown>,
): GraphRequestSpec {
  if (!contract.subResources.some((sub) => sub.name === subResource))
    throw new Error(`Contract '${contract.key}' has no sub-resource '${subResource}'.`);
  return spec(contract, 'POST', `${itemPath(contract, id)}/${segment(subResource)}`, [], body);
}

/**
 * `DELETE …/{id}/{part}/{childId}`: one assignment (`part` = `assignments`) or one item of a sub-resource
 * Graph creates separately, where restore must remove what the backup does not hold.
 */
export function childDeleteRequest(
  contract: GraphContract,
  id: string,
  part: string,
  childId: string,
): GraphRequestSpec {
  if (part !== 'assignments' && !contract.subResources.some((sub) => sub.name === part))
    throw new Error(`Contract '${contract.key}' has no sub-resource '${part}'.`);
  return spec(contract, 'DELETE', `${itemPath(contract, id)}/${segment(part)}/${segment(childId)}`);
}

/**
 * The requests that make `assignments` the object's assignments: one `/assign` (or `/update`) action,
 * or one `POST …/assignments` per assignment where Graph has no bulk action.
 */
export function assignmentWriteRequests(
  contract: GraphContract,
  id: string,
  assignments: ReadonlyArray<Record<string, unknown>>,
): GraphRequestSpec[] {
  const write = contract.assignments.write;
  if (write.kind === 'action') {
    return [
      spec(contract, 'POST', `${itemPath(contract, id)}/${write.action}`, [], {
        [write.bodyKey]: assignments,
      }),
    ];
  }
  if (write.kind === 'post-assignments') {
    return assignments.map((assignment) =>
      spec(contract, 'POST', `${itemPath(contract, id)}/assignments`, [], assignment),
    );
  }
  throw new Error(`Contract '${contract.key}' cannot write assignments.`);
}
