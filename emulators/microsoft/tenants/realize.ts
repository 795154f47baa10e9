import type { GraphReference } from '../reference/load';
import type { Schema } from '../reference/schema';
import { odataType, parseTypeRef, shortTypeName } from '../reference/schema';

/** Concrete stand-ins for abstract types that the docs samples use as values. */
const CONCRETE_FOR: Record<string, string> = {
  omaSetting: 'omaSettingString',
  deviceAndAppManagementAssignmentTarget: 'groupAssignmentTarget',
  mobileAppIdentifier: 'iosMobileAppIdentifier',
  deviceManagementConfigurationSettingInstance: 'deviceManagementConfigurationChoiceSettingInstance',
  deviceManagementConfigurationSettingValue: 'deviceManagementConfigurationStringSettingValue',
  deviceManagementSettingInstance: 'deviceManagementBooleanSettingInstance',
};

export interface RealizeHooks {
  /** Replacement for a docs placeholder string ("Display Name value"), by property name; undefined keeps it. */
  placeholder(prop: string, edmType: string): unknown;
  /** A timestamp for a DateTimeOffset property; undefined keeps the value. */
  timestamp(prop: string): string | undefined;
  /** A GUID for a Guid property or an id; undefined keeps the value. */
  guid(prop: string): string | undefined;
}

const PLACEHOLDER = /^[A-Z][A-Za-z0-9 ]* [Vv]alue$/;

export function isPlaceholder(value: unknown): value is string {
  return typeof value === 'string' && PLACEHOLDER.test(value);
}

/**
 * Turns a docs sample into a payload that validates against the beta schema: `@odata.type` annotations get
 * their `#`, abstract values become a concrete type, members the schema no longer declares are dropped,
 * enum values outside the enum are replaced by its first member, placeholders and timestamps are replaced
 * through the hooks. Navigation properties are removed (the caller builds contained children itself).
 */
export function realizeValue(
  schema: Schema,
  declared: string,
  value: unknown,
  hooks: RealizeHooks,
  prop = '',
): unknown {
  if (value === null || value === undefined) return value;
  if (declared.startsWith('Edm.')) return realizePrimitive(declared, value, hooks, prop);
  if (schema.isEnum(declared)) {
    const members = schema.enumMembers(declared) ?? [];
    const parts = typeof value === 'string' ? value.split(',') : [];
    return parts.length > 0 && parts.every((p) => members.includes(p.trim())) ? value : members[0];
  }
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const obj = value as Record<string, unknown>;
  let typeName = typeof obj['@odata.type'] === 'string' ? shortTypeName(obj['@odata.type']) : declared;
  if (!schema.hasType(typeName) || !schema.isDerivedFrom(typeName, declared)) typeName = declared;
  if (schema.isAbstract(typeName)) {
    const substitute =
      CONCRETE_FOR[typeName] ?? schema.derivedTypes(typeName).find((t) => !schema.isAbstract(t));
    if (!substitute) return undefined;
    typeName = substitute;
  }
  const { properties } = schema.members(typeName);
  const out: Record<string, unknown> = {};
  if (
    typeName !== declared ||
    obj['@odata.type'] !== undefined ||
    schema.typeDef(typeName)?.kind === 'entity'
  ) {
    out['@odata.type'] = odataType(typeName);
  }
  for (const [key, member] of Object.entries(obj)) {
    if (key.startsWith('@') || key.includes('@odata.')) continue;
    const decl = properties.get(key);
    if (!decl) continue;
    const ref = parseTypeRef(decl.type);
    if (ref.collection) {
      if (!Array.isArray(member)) {
        out[key] = member === null ? null : [];
        continue;
      }
      out[key] = member
        .map((item) => realizeValue(schema, ref.type, item, hooks, key))
        .filter((item) => item !== undefined);
    } else {
      const v = realizeValue(schema, ref.type, member, hooks, key);
      if (v !== undefined) out[key] = v;
    }
  }
  // Substituted concrete types may declare members the sample lacks (omaSettingString.value, …).
  for (const [key, decl] of properties) {
    if (out[key] !== undefined || key === 'id' || decl.nullable !== false) continue;
    if (decl.type === 'Edm.String') out[key] = hooks.placeholder(key, decl.type) ?? '';
  }
  return out;
}

function realizePrimitive(edm: string, value: unknown, hooks: RealizeHooks, prop: string): unknown {
  switch (edm) {
    case 'Edm.DateTimeOffset':
      return typeof value === 'string' ? (hooks.timestamp(prop) ?? value) : undefined;
    case 'Edm.Guid':
      return typeof value === 'string' ? (hooks.guid(prop) ?? value) : undefined;
    case 'Edm.Boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'Edm.Int16':
    case 'Edm.Int32':
    case 'Edm.Int64':
    case 'Edm.Byte':
    case 'Edm.SByte':
      return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
    case 'Edm.Double':
    case 'Edm.Single':
    case 'Edm.Decimal':
      return typeof value === 'number' ? value : undefined;
    case 'Edm.String':
      if (typeof value !== 'string') return undefined;
      return isPlaceholder(value) ? (hooks.placeholder(prop, edm) ?? value) : value;
    default:
      return typeof value === 'string' ? value : undefined;
  }
}

/** The beta sample of a type (or the v1.0 one), realized. */
export function realizeSample(
  reference: GraphReference,
  schema: Schema,
  type: string,
  hooks: RealizeHooks,
): Record<string, unknown> {
  const sample = reference.sample('beta', type) ?? reference.sample('v1.0', type) ?? {};
  sample['@odata.type'] = odataType(type);
  return (realizeValue(schema, type, sample, hooks) as Record<string, unknown> | undefined) ?? {};
}
