import { randomUUID } from 'node:crypto';
import type { ServiceKind } from '../reference/catalogue';
import type { GraphReference } from '../reference/load';
import type { Schema } from '../reference/schema';
import { csdlRequired, familyRequirements, type FamilyRequirement } from '../reference/required';
import { odataType, parseTypeRef, shortTypeName } from '../reference/schema';
import { nodeFromJson, type EntityNode, type EntityRef } from '../tenants/store';

export interface WriteProblem {
  code: string;
  message: string;
}

const unknownPropertyCode: Record<ServiceKind, string> = {
  intune: 'ModelValidationFailure',
  directory: 'Request_BadRequest',
  policy: 'BadRequest',
};

/**
 * The value a member holds when nothing set it: null, false, 0, an empty string or an empty collection.
 * Graph ignores a read-only member that carries one (docs/decisions/0040-read-only-members-on-writes.md).
 */
function isUnsetValue(value: unknown): boolean {
  return (
    value === null ||
    value === false ||
    value === 0 ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

/**
 * Checks a POST/PATCH/PUT body the way Graph does: a JSON object whose `@odata.type` resolves to the
 * declared type or a derived, non-abstract one; every member declared; values of the right shape. A
 * read-only member holding an unset value (null, false, 0, '', []) is ignored: left out of the returned
 * `body`, the one to store, so the service's own value stands. A read-only member holding anything else
 * is refused. Returns the resolved type and the body to store, or the problem to answer with 400.
 */
export function checkWriteBody(
  reference: GraphReference,
  schema: Schema,
  service: ServiceKind,
  declaredType: string,
  body: unknown,
  mode: 'create' | 'update' | 'replace',
  existingType?: string,
): { type: string; body: Record<string, unknown> } | WriteProblem {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { code: 'BadRequest', message: 'Empty Payload. JSON content expected.' };
  }
  const obj = body as Record<string, unknown>;
  let type = existingType ?? declaredType;
  const annotated = obj['@odata.type'];
  if (annotated !== undefined) {
    const t = typeof annotated === 'string' ? shortTypeName(annotated) : '';
    if (!schema.hasType(t)) {
      return {
        code: 'ModelValidationFailure',
        message: `A type named '${String(annotated).replace(/^#/, '')}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`,
      };
    }
    if (!schema.isDerivedFrom(t, declaredType) || (existingType && t !== existingType)) {
      return {
        code: 'ModelValidationFailure',
        message: `A value was encountered that has a type name that is incompatible with the metadata. The value specified its type as '${odataType(t).slice(1)}', but the type specified in the metadata is '${odataType(existingType ?? declaredType).slice(1)}'.`,
      };
    }
    type = t;
  }
  if (mode === 'create' && schema.isAbstract(type)) {
    return {
      code: 'ModelValidationFailure',
      message: `Cannot create an instance of the abstract type '${odataType(type).slice(1)}'. Specify '@odata.type' with a concrete type.`,
    };
  }
  const { properties, navigations } = schema.members(type);
  for (const key of Object.keys(obj)) {
    if (key.startsWith('@') || key.includes('@odata.')) continue;
    if (!properties.has(key) && !navigations.has(key)) {
      return {
        code: unknownPropertyCode[service],
        message: `The property '${key}' does not exist on type '${odataType(type).slice(1)}'. Make sure to only use property names that are defined by the type.`,
      };
    }
    if (mode === 'update' && navigations.has(key)) {
      return {
        code: 'BadRequest',
        message: `Navigation property '${key}' cannot be set with PATCH; use its own endpoint.`,
      };
    }
  }
  const readOnly = [...(reference.readOnly[type] ?? []), ...schema.supplementalReadOnly(type)].filter(
    (p) => p in obj,
  );
  const refused = readOnly.filter((p) => !isUnsetValue(obj[p]));
  if (refused.length > 0) {
    return {
      code: 'BadRequest',
      message: `Property '${refused[0]}' is read-only and cannot be set on '${odataType(type).slice(1)}' (read-only members sent with a value: ${refused.join(', ')}).`,
    };
  }
  const issues = schema.validate({ ...obj, '@odata.type': odataType(type) }, type);
  if (issues.length > 0) {
    const issue = issues[0]!;
    return {
      code: 'ModelValidationFailure',
      message: `Invalid value at '${issue.path.replace(/^\$\.?/, '') || type}': ${issue.message}.`,
    };
  }
  const stored = { ...obj };
  for (const p of readOnly) delete stored[p];
  if (mode === 'create') {
    const missing = missingRequired(reference, schema, type, stored, '');
    if (missing) return requiredProblem(service, missing);
  }
  return { type, body: stored };
}

interface MissingMember {
  /** Where in the body: `displayName`, `settings[0].settingInstance.settingDefinitionId`. */
  path: string;
  member: string;
  type: string;
  rule?: FamilyRequirement;
}

const absent = (value: unknown) => value === undefined || value === null;

/**
 * The first member Graph requires on create that the body lacks (docs/decisions/0062): the CSDL's
 * required members and the family rules of the body's type, then of every nested object the body holds
 * (complex values, items of collections, deep-inserted children), each by its own type.
 */
function missingRequired(
  reference: GraphReference,
  schema: Schema,
  typeName: string,
  body: Record<string, unknown>,
  at: string,
): MissingMember | undefined {
  const path = (member: string) => (at ? `${at}.${member}` : member);
  const readOnly = new Set([
    ...(reference.readOnly[typeName] ?? []),
    ...schema.supplementalReadOnly(typeName),
  ]);
  for (const member of csdlRequired(schema, typeName, readOnly))
    if (absent(body[member])) return { path: path(member), member, type: typeName };
  for (const rule of familyRequirements(schema, typeName)) {
    const value = body[rule.member];
    if (absent(value) || (rule.exactlyOne && !holdsExactlyOne(value, rule.exactlyOne)))
      return { path: path(rule.member), member: rule.member, type: typeName, rule };
  }
  const { properties, navigations } = schema.members(typeName);
  for (const [key, value] of Object.entries(body)) {
    const decl = properties.get(key) ?? navigations.get(key);
    if (!decl?.type || value === null || typeof value !== 'object') continue;
    const declared = parseTypeRef(decl.type).type;
    if (declared.startsWith('Edm.') || schema.isEnum(declared)) continue;
    const items = Array.isArray(value) ? value : [value];
    for (const [index, item] of items.entries()) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
      const record = item as Record<string, unknown>;
      const annotated = record['@odata.type'];
      const itemType = typeof annotated === 'string' ? shortTypeName(annotated) : declared;
      const where = Array.isArray(value) ? `${path(key)}[${index}]` : path(key);
      const missing = missingRequired(reference, schema, itemType, record, where);
      if (missing) return missing;
    }
  }
  return undefined;
}

function holdsExactlyOne(value: unknown, rule: NonNullable<FamilyRequirement['exactlyOne']>): boolean {
  if (!Array.isArray(value)) return false;
  const entries = value.flatMap((item) => {
    const within = (item as Record<string, unknown> | null)?.[rule.within];
    return Array.isArray(within) ? (within as Array<Record<string, unknown> | null>) : [];
  });
  return entries.filter((entry) => entry?.[rule.property] === rule.equals).length === 1;
}

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * The refusal in each service's words: Intune's model validation ("The DisplayName field is required.",
 * inside its message envelope), the directory's ("A value is required for property 'displayName' of
 * resource 'Group'."), the policy service's schema check ("1007: Incoming ConditionalAccessPolicy object
 * is null or does not match the schema of ConditionalAccessPolicy type.").
 */
function requiredProblem(service: ServiceKind, missing: MissingMember): WriteProblem {
  if (missing.rule && service === 'intune') return { code: 'BadRequest', message: missing.rule.message };
  switch (service) {
    case 'intune':
      return {
        code: 'BadRequest',
        message: `${missing.path} : The ${pascal(missing.member)} field is required.`,
      };
    case 'directory':
      return {
        code: 'Request_BadRequest',
        message: `A value is required for property '${missing.path}' of resource '${pascal(missing.type)}'.`,
      };
    case 'policy':
      return {
        code: 'BadRequest',
        message: `1007: Incoming ${pascal(missing.type)} object is null or does not match the schema of ${pascal(missing.type)} type. '${missing.path}' is required.`,
      };
  }
}

/** Builds a new stored node from a create body (deep insert of contained navigations, `@odata.bind` references). */
export function createNode(
  schema: Schema,
  type: string,
  body: Record<string, unknown>,
  bindBase: string,
): EntityNode {
  const now = new Date().toISOString();
  const json: Record<string, unknown> = { ...body, '@odata.type': odataType(type), id: randomUUID() };
  const { properties } = schema.members(type);
  if (properties.has('createdDateTime')) json.createdDateTime = now;
  if (properties.has('lastModifiedDateTime')) json.lastModifiedDateTime = now;
  if (properties.has('modifiedDateTime')) json.modifiedDateTime = now;
  if (properties.get('version')?.type === 'Edm.Int32') json.version = 1;
  if (properties.has('roleScopeTagIds') && json.roleScopeTagIds === undefined) json.roleScopeTagIds = ['0'];
  if (properties.has('supportsScopeTags')) json.supportsScopeTags = true;
  const node = nodeFromJson(schema, type, json, () => randomUUID());
  applyBinds(node, body, bindBase);
  for (const [nav, children] of node.navs) {
    const items = Array.isArray(body[nav]) ? (body[nav] as Array<Record<string, unknown>>) : [];
    [...children.values()].forEach((child, i) => applyBinds(child, items[i] ?? {}, bindBase));
  }
  return node;
}

/**
 * `definition@odata.bind: "https://graph.microsoft.com/beta/deviceManagement/groupPolicyDefinitions('id')"`
 * and `presentation@odata.bind: ".../groupPolicyDefinitions('id')/presentations('id')"` become references.
 */
export function applyBinds(node: EntityNode, body: Record<string, unknown>, _bindBase: string): void {
  for (const [key, value] of Object.entries(body)) {
    if (!key.endsWith('@odata.bind') || typeof value !== 'string') continue;
    const nav = key.slice(0, -'@odata.bind'.length);
    const ref = parseBind(value);
    if (ref) node.refs.set(nav, ref);
  }
}

function parseBind(url: string): EntityRef | undefined {
  const path = url.replace(/^https?:\/\/[^/]+(\/graph)?\/(v1\.0|beta)/, '');
  const parts = path.split('/').filter(Boolean);
  const out: string[] = [];
  let collection = '';
  for (const part of parts) {
    const m = /^([^(]+)\('([^']+)'\)$/.exec(part);
    if (m) {
      if (!collection) {
        collection = `/${[...out, m[1]!].join('/')}`;
        out.length = 0;
        out.push(m[2]!);
      } else {
        out.push(m[1]!, m[2]!);
      }
    } else if (!collection) {
      out.push(part);
    } else {
      out.push(part);
    }
  }
  return collection ? { collection, path: out } : undefined;
}

/** Applies a PATCH body to a node (a fresh data object, so cached projections are dropped). */
export function patchNode(
  schema: Schema,
  node: EntityNode,
  body: Record<string, unknown>,
): Array<{ displayName: string; oldValue: unknown; newValue: unknown }> {
  const changes: Array<{ displayName: string; oldValue: unknown; newValue: unknown }> = [];
  const data = { ...node.data };
  const { properties } = schema.members(node.type);
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@') || !properties.has(key)) continue;
    if (JSON.stringify(data[key]) !== JSON.stringify(value))
      changes.push({ displayName: key, oldValue: data[key], newValue: value });
    data[key] = value;
  }
  touch(schema, node.type, data);
  node.data = data;
  return changes;
}

/** Replaces contained children given in a PUT / settings update body. */
export function replaceChildren(schema: Schema, node: EntityNode, body: Record<string, unknown>): void {
  const { navigations } = schema.members(node.type);
  for (const [key, value] of Object.entries(body)) {
    const nav = navigations.get(key);
    if (!nav || !Array.isArray(value)) continue;
    const elementType = parseTypeRef(nav.type).type;
    const map = new Map<string, EntityNode>();
    for (const item of value as Array<Record<string, unknown>>) {
      const child = nodeFromJson(schema, elementType, { ...item, id: item.id ?? randomUUID() }, () =>
        randomUUID(),
      );
      map.set(child.id, child);
    }
    node.navs.set(key, map);
  }
}

/** lastModifiedDateTime / modifiedDateTime to now and the Intune `version` counter + 1. */
export function touch(schema: Schema, type: string, data: Record<string, unknown>): void {
  const { properties } = schema.members(type);
  const now = new Date().toISOString();
  if (properties.has('lastModifiedDateTime')) data.lastModifiedDateTime = now;
  if (properties.has('modifiedDateTime')) data.modifiedDateTime = now;
  if (properties.get('version')?.type === 'Edm.Int32' && typeof data.version === 'number') data.version += 1;
}
