// `npx tsx scripts/generate-graph-contracts.ts [--check]`: writes what the deployed app needs from the
// Graph reference data (graph-reference/, absent in Azure) next to the contract registry: for each
// contract the `@odata.type`s its collection can hold, its assignment and sub-resource types, and the
// read-only properties of all of them (stripped before a restore's POST/PATCH). `--check` only reports
// whether the committed file is stale (exit code 1); tests/graph runs the same comparison.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { graphReferenceDir } from '../emulators/microsoft/reference/load';
import { repoRoot } from '../emulators/paths';
import { graphContracts } from '../shared/graph/contracts/registry';
import type { GeneratedContractData } from '../shared/graph/contracts/readonly';
import type { GraphApiVersion, GraphContract, SubResourceContract } from '../shared/graph/contracts/types';

export const GENERATED_FILE = 'shared/graph/contracts/readonly.generated.json';

interface CsdlMember {
  type: string;
}
interface CsdlType {
  baseType?: string | null;
  abstract?: boolean | null;
  properties?: Record<string, CsdlMember>;
  navigationProperties?: Record<string, CsdlMember>;
}
interface CsdlExtract {
  entityTypes: Record<string, CsdlType>;
  complexTypes: Record<string, CsdlType>;
}

const NAMESPACE = 'microsoft.graph.';

/** `Collection(microsoft.graph.x)`, `#microsoft.graph.x`, `microsoft.graph.x` → `x` (other namespaces stay). */
export function shortTypeName(reference: string): string {
  let name = reference.startsWith('Collection(') ? reference.slice('Collection('.length, -1) : reference;
  if (name.startsWith('#')) name = name.slice(1);
  return name.startsWith(NAMESPACE) && !name.slice(NAMESPACE.length).includes('.')
    ? name.slice(NAMESPACE.length)
    : name;
}

/** One API version's CSDL extract, with inherited members and derived types resolved. */
export class CsdlIndex {
  private readonly derivedOf = new Map<string, string[]>();

  constructor(private readonly csdl: CsdlExtract) {
    for (const [name, type] of [...Object.entries(csdl.entityTypes), ...Object.entries(csdl.complexTypes)]) {
      if (!type.baseType) continue;
      const base = shortTypeName(type.baseType);
      this.derivedOf.set(base, [...(this.derivedOf.get(base) ?? []), name]);
    }
  }

  static load(referenceDir: string, version: GraphApiVersion): CsdlIndex {
    const file = path.join(referenceDir, `csdl-intune-${version}.json`);
    return new CsdlIndex(JSON.parse(readFileSync(file, 'utf8')) as CsdlExtract);
  }

  type(name: string): CsdlType | undefined {
    return this.csdl.entityTypes[name] ?? this.csdl.complexTypes[name];
  }

  /** Complex types have no key: nothing like an `id` to strip (`deviceManagementSettings`). */
  isComplex(name: string): boolean {
    return this.csdl.complexTypes[name] !== undefined;
  }

  /** The type and its base types, nearest first. */
  lineage(name: string): string[] {
    const chain: string[] = [];
    for (let current: string | undefined = name; current;) {
      const type = this.type(current);
      if (!type) break;
      chain.push(current);
      current = type.baseType ? shortTypeName(type.baseType) : undefined;
    }
    return chain;
  }

  /** Every type deriving from `name`, at any depth. */
  derived(name: string): string[] {
    const direct = this.derivedOf.get(name) ?? [];
    return [...direct, ...direct.flatMap((child) => this.derived(child))];
  }

  /** Structural properties declared on the type or inherited. */
  properties(name: string): Set<string> {
    return new Set(this.lineage(name).flatMap((t) => Object.keys(this.type(t)?.properties ?? {})));
  }

  /** The type (short name) of a structural property declared on the type or inherited. */
  propertyType(name: string, property: string): string | undefined {
    for (const t of this.lineage(name)) {
      const member = this.type(t)?.properties?.[property];
      if (member) return shortTypeName(member.type);
    }
    return undefined;
  }

  /** The target type of a navigation property declared on the type or inherited. */
  navigationType(name: string, navigation: string): string | undefined {
    for (const t of this.lineage(name)) {
      const member = this.type(t)?.navigationProperties?.[navigation];
      if (member) return shortTypeName(member.type);
    }
    return undefined;
  }
}

/** `isof('microsoft.graph.x')` in a contract filter narrows the collection to `x` and its derived types. */
function isofType(filter: string | undefined): string | undefined {
  const match = /^isof\('([\w.]+)'\)$/.exec(filter ?? '');
  return match ? shortTypeName(match[1]!) : undefined;
}

function collectionTypes(contract: GraphContract, csdl: CsdlIndex): string[] {
  const root = isofType(contract.filter) ?? contract.elementType;
  const excluded = new Set((contract.excludedTypes ?? []).flatMap((type) => [type, ...csdl.derived(type)]));
  return [root, ...csdl.derived(root)].filter((type) => !excluded.has(type)).sort();
}

function subResourceTypes(
  parentType: string,
  subs: readonly SubResourceContract[],
  csdl: CsdlIndex,
  prefix = '',
): Record<string, string | null> {
  const types: Record<string, string | null> = {};
  for (const sub of subs) {
    const type = csdl.navigationType(parentType, sub.name) ?? null;
    types[`${prefix}${sub.name}`] = type;
    if (type && sub.children)
      Object.assign(types, subResourceTypes(type, sub.children, csdl, `${prefix}${sub.name}/`));
  }
  return types;
}

export function buildContractData(referenceDir: string = graphReferenceDir()): GeneratedContractData {
  const csdl = { 'v1.0': CsdlIndex.load(referenceDir, 'v1.0'), beta: CsdlIndex.load(referenceDir, 'beta') };
  const readOnlySource = JSON.parse(
    readFileSync(path.join(referenceDir, 'readonly-properties.json'), 'utf8'),
  ) as Record<string, string[]>;

  const contracts: GeneratedContractData['contracts'] = {};
  const strippedTypes = new Set<string>();
  for (const contract of graphContracts) {
    const index = csdl[contract.apiVersion];
    const inExtract = index.type(contract.elementType) !== undefined;
    const types = inExtract ? collectionTypes(contract, index) : [contract.elementType];
    const assignmentType =
      contract.assignments.read === 'none'
        ? null
        : (index.navigationType(contract.elementType, 'assignments') ?? null);
    const subTypes = subResourceTypes(contract.elementType, contract.subResources, index);
    contracts[contract.key] = { types, assignmentType, subResourceTypes: subTypes };
    const owned = [...types, assignmentType, ...Object.values(subTypes)].filter((t): t is string =>
      Boolean(t),
    );
    for (const type of owned) {
      strippedTypes.add(type);
      for (const derived of index.derived(type)) strippedTypes.add(derived);
    }
  }

  const readOnly: Record<string, string[]> = {};
  // Types outside the reference lists (terms of use, authentication contexts, service principals) still
  // never accept their id.
  for (const type of [...strippedTypes].sort()) {
    const fallback = csdl.beta.isComplex(type) ? [] : ['id'];
    readOnly[type] = [...(readOnlySource[type] ?? fallback)].sort();
  }

  return {
    _generated: `by scripts/generate-graph-contracts.ts from the Graph reference data (readonly-properties.json, csdl-intune-*.json); do not edit`,
    contracts,
    readOnly,
  };
}

async function main(): Promise<void> {
  const target = path.join(repoRoot(), GENERATED_FILE);
  const data = buildContractData();
  const options = (await prettier.resolveConfig(target)) ?? {};
  const text = await prettier.format(JSON.stringify(data), { ...options, parser: 'json' });
  if (process.argv.includes('--check')) {
    const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
    if (current !== text) {
      console.error(`${GENERATED_FILE} is stale: run npx tsx scripts/generate-graph-contracts.ts`);
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(target, text);
  console.log(`wrote ${GENERATED_FILE} (${Object.keys(data.contracts).length} contracts)`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
