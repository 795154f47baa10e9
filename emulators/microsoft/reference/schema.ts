import type { ApiVersion, CsdlExtract, CsdlMember, CsdlType, GraphReference } from './load';
import { SUPPLEMENTAL_COMPLEX_TYPES, SUPPLEMENTAL_ENTITY_TYPES, SUPPLEMENTAL_MEMBERS } from './supplement';

const NS = 'microsoft.graph.';

/** `#microsoft.graph.x` / `microsoft.graph.x` → `x`; other namespaces stay fully qualified. */
export function shortTypeName(name: string): string {
  const bare = name.startsWith('#') ? name.slice(1) : name;
  if (bare.startsWith(NS) && !bare.slice(NS.length).includes('.')) return bare.slice(NS.length);
  return bare;
}

export function odataType(short: string): string {
  return short.includes('.') ? `#${short}` : `#${NS}${short}`;
}

/** `Collection(microsoft.graph.x)` → {type: 'x', collection: true}. */
export function parseTypeRef(ref: string): { type: string; collection: boolean } {
  const collection = ref.startsWith('Collection(');
  const inner = collection ? ref.slice('Collection('.length, -1) : ref;
  return { type: inner.startsWith('Edm.') ? inner : shortTypeName(inner), collection };
}

export type TypeKind = 'entity' | 'complex';

export interface Members {
  properties: Map<string, CsdlMember>;
  navigations: Map<string, CsdlMember>;
}

export interface ValidationIssue {
  path: string;
  message: string;
}

/** One API version's type system: the CSDL extract plus the simulator's supplemental types. */
export class Schema {
  private readonly membersCache = new Map<string, Members>();
  private readonly derivedIndex = new Map<string, string[]>();
  private readonly flags: Set<string>;
  readonly supplemental: Set<string>;

  constructor(
    readonly version: ApiVersion,
    private readonly csdl: CsdlExtract,
  ) {
    this.flags = new Set(
      Array.isArray(csdl.flagsEnumTypes) ? csdl.flagsEnumTypes : Object.keys(csdl.flagsEnumTypes ?? {}),
    );
    this.supplemental = new Set([
      ...Object.keys(SUPPLEMENTAL_ENTITY_TYPES).filter((t) => !csdl.entityTypes[t]),
      ...Object.keys(SUPPLEMENTAL_COMPLEX_TYPES).filter((t) => !csdl.complexTypes[t]),
    ]);
    for (const [name, def] of this.allTypes()) {
      if (!def.baseType) continue;
      const base = shortTypeName(def.baseType);
      const list = this.derivedIndex.get(base) ?? [];
      list.push(name);
      this.derivedIndex.set(base, list);
    }
  }

  private *allTypes(): Iterable<[string, CsdlType]> {
    yield* Object.entries(this.csdl.entityTypes);
    yield* Object.entries(this.csdl.complexTypes);
    for (const [n, d] of Object.entries(SUPPLEMENTAL_ENTITY_TYPES))
      if (!this.csdl.entityTypes[n]) yield [n, d];
    for (const [n, d] of Object.entries(SUPPLEMENTAL_COMPLEX_TYPES))
      if (!this.csdl.complexTypes[n]) yield [n, d];
  }

  typeDef(name: string): { kind: TypeKind; def: CsdlType } | undefined {
    const entity = this.csdl.entityTypes[name] ?? (SUPPLEMENTAL_ENTITY_TYPES[name] as CsdlType | undefined);
    if (entity) return { kind: 'entity', def: entity };
    const complex =
      this.csdl.complexTypes[name] ?? (SUPPLEMENTAL_COMPLEX_TYPES[name] as CsdlType | undefined);
    if (complex) return { kind: 'complex', def: complex };
    return undefined;
  }

  hasType(name: string): boolean {
    return this.typeDef(name) !== undefined;
  }

  isAbstract(name: string): boolean {
    return this.typeDef(name)?.def.abstract === true;
  }

  isEnum(name: string): boolean {
    return this.csdl.enumTypes[name] !== undefined;
  }

  enumMembers(name: string): string[] | undefined {
    return this.csdl.enumTypes[name];
  }

  baseOf(name: string): string | undefined {
    const base = this.typeDef(name)?.def.baseType;
    return base ? shortTypeName(base) : undefined;
  }

  isDerivedFrom(name: string, base: string): boolean {
    for (let t: string | undefined = name; t; t = this.baseOf(t)) if (t === base) return true;
    return false;
  }

  /** All (transitively) derived types of a type, itself excluded. */
  derivedTypes(name: string): string[] {
    const out: string[] = [];
    const walk = (t: string) => {
      for (const d of this.derivedIndex.get(t) ?? []) {
        out.push(d);
        walk(d);
      }
    };
    walk(name);
    return out;
  }

  /** Declared and inherited members of a type, with the supplemental members the extract lacks. */
  members(name: string): Members {
    let cached = this.membersCache.get(name);
    if (cached) return cached;
    const chain: Array<[string, CsdlType]> = [];
    for (let t: string | undefined = name; t; t = this.baseOf(t)) {
      const def = this.typeDef(t)?.def;
      if (!def) break;
      chain.unshift([t, def]);
    }
    cached = { properties: new Map(), navigations: new Map() };
    for (const [typeName, def] of chain) {
      for (const [k, v] of Object.entries(def.properties ?? {})) cached.properties.set(k, v);
      for (const [k, v] of Object.entries(def.navigationProperties ?? {})) cached.navigations.set(k, v);
      for (const [k, v] of Object.entries(SUPPLEMENTAL_MEMBERS[typeName] ?? {}))
        if (!cached.properties.has(k)) cached.properties.set(k, v);
    }
    this.membersCache.set(name, cached);
    return cached;
  }

  /** Supplemental members of the type and its base types that only the service sets. */
  supplementalReadOnly(name: string): string[] {
    const out: string[] = [];
    for (let t: string | undefined = name; t; t = this.baseOf(t))
      for (const [k, v] of Object.entries(SUPPLEMENTAL_MEMBERS[t] ?? {})) if (v.readOnly) out.push(k);
    return out;
  }

  property(typeName: string, prop: string): CsdlMember | undefined {
    return this.members(typeName).properties.get(prop);
  }

  navigation(typeName: string, nav: string): CsdlMember | undefined {
    return this.members(typeName).navigations.get(nav);
  }

  /**
   * The declared spelling of a member named case-insensitively, looked up on the type and on its derived
   * types (for `$select` on polymorphic sets); undefined when no such member exists. Graph treats property
   * names in query options case-insensitively (`$select=displayname` selects `displayName`).
   */
  memberName(typeName: string, prop: string): string | undefined {
    const wanted = prop.toLowerCase();
    for (const type of [typeName, ...this.derivedTypes(typeName)]) {
      const { properties, navigations } = this.members(type);
      for (const name of [...properties.keys(), ...navigations.keys()])
        if (name.toLowerCase() === wanted) return name;
    }
    return undefined;
  }

  /**
   * Checks a JSON value against a declared type: the `@odata.type` exists, is the declared type or derives
   * from it and is not abstract; every member is declared on the type or its base types; enum values are
   * members of their enum; primitive values have the JSON shape of their EDM type.
   */
  validate(value: unknown, declaredType: string, path = '$'): ValidationIssue[] {
    const issues: ValidationIssue[] = [];
    this.check(value, declaredType, path, issues);
    return issues;
  }

  private check(value: unknown, declared: string, path: string, issues: ValidationIssue[]): void {
    if (value === null || value === undefined || declared === 'Edm.Untyped') return;
    if (declared.startsWith('Edm.')) return this.checkPrimitive(value, declared, path, issues);
    if (this.isEnum(declared)) return this.checkEnum(value, declared, path, issues);
    if (typeof value !== 'object' || Array.isArray(value)) {
      issues.push({ path, message: `expected an object of type ${declared}` });
      return;
    }
    const obj = value as Record<string, unknown>;
    let typeName = declared;
    const annotated = obj['@odata.type'];
    if (annotated !== undefined) {
      if (typeof annotated !== 'string' || !annotated.startsWith('#')) {
        issues.push({
          path,
          message: `@odata.type must be '#microsoft.graph.…', got ${JSON.stringify(annotated)}`,
        });
        return;
      }
      typeName = shortTypeName(annotated);
      if (!this.hasType(typeName)) {
        issues.push({ path, message: `type ${typeName} does not exist in ${this.version}` });
        return;
      }
      if (!this.isDerivedFrom(typeName, declared)) {
        issues.push({ path, message: `type ${typeName} is not ${declared} or derived from it` });
      }
    } else if (!this.hasType(typeName)) {
      issues.push({ path, message: `type ${typeName} does not exist in ${this.version}` });
      return;
    }
    if (this.isAbstract(typeName)) issues.push({ path, message: `type ${typeName} is abstract` });
    const { properties, navigations } = this.members(typeName);
    for (const [key, member] of Object.entries(obj)) {
      if (key.startsWith('@') || key.includes('@odata.')) continue;
      const decl = properties.get(key) ?? navigations.get(key);
      if (!decl) {
        issues.push({
          path: `${path}.${key}`,
          message: `${key} is not declared on ${typeName} or its base types`,
        });
        continue;
      }
      const ref = parseTypeRef(decl.type);
      if (ref.collection) {
        if (member === null) continue;
        if (!Array.isArray(member)) {
          issues.push({ path: `${path}.${key}`, message: `expected a collection of ${ref.type}` });
          continue;
        }
        member.forEach((item, i) => this.check(item, ref.type, `${path}.${key}[${i}]`, issues));
      } else {
        this.check(member, ref.type, `${path}.${key}`, issues);
      }
    }
  }

  private checkEnum(value: unknown, enumName: string, path: string, issues: ValidationIssue[]): void {
    const members = this.enumMembers(enumName) ?? [];
    if (typeof value !== 'string') {
      issues.push({ path, message: `expected a ${enumName} member name` });
      return;
    }
    const parts = this.flags.has(enumName) ? value.split(',').map((s) => s.trim()) : [value];
    for (const part of parts) {
      if (!members.includes(part)) issues.push({ path, message: `'${part}' is not a member of ${enumName}` });
    }
  }

  private checkPrimitive(value: unknown, edm: string, path: string, issues: ValidationIssue[]): void {
    const ok = (() => {
      switch (edm) {
        case 'Edm.Boolean':
          return typeof value === 'boolean';
        case 'Edm.Int16':
        case 'Edm.Int32':
        case 'Edm.Int64':
        case 'Edm.Byte':
        case 'Edm.SByte':
          return typeof value === 'number' && Number.isInteger(value);
        case 'Edm.Double':
        case 'Edm.Single':
        case 'Edm.Decimal':
          return typeof value === 'number' || value === 'NaN' || value === 'INF' || value === '-INF';
        case 'Edm.Stream':
        case 'Edm.Untyped':
          return true;
        default:
          return typeof value === 'string';
      }
    })();
    if (!ok) issues.push({ path, message: `expected ${edm}, got ${JSON.stringify(value)}` });
  }
}

const schemas = new WeakMap<GraphReference, Record<ApiVersion, Schema>>();

export function schemasOf(reference: GraphReference): Record<ApiVersion, Schema> {
  let s = schemas.get(reference);
  if (!s) {
    s = { 'v1.0': new Schema('v1.0', reference.csdl['v1.0']), beta: new Schema('beta', reference.csdl.beta) };
    schemas.set(reference, s);
  }
  return s;
}
