import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildContractData, GENERATED_FILE } from '../../scripts/generate-graph-contracts';
import { repoRoot } from '../../emulators/paths';
import {
  contractData,
  graphContracts,
  GraphPermissions,
  type GraphApiVersion,
  type GraphContract,
  type SubResourceContract,
} from '../../shared/graph';
import { ANCHOR_LIST, SUPPORTING_CONTRACTS } from './support/anchor-list';
import { EXTERNAL_COLLECTIONS, EXTERNAL_TYPES } from './support/external-types';
import { GraphReference } from './support/reference';

const reference = new GraphReference();

/** What a contract's type offers: from the CSDL extract, or from the documented external types. */
interface TypeModel {
  exists(type: string): boolean;
  /** Declared on the type, a base type or a derived type (a collection of an abstract type holds derived ones). */
  hasProperty(type: string, property: string): boolean;
  navigationType(type: string, navigation: string): string | undefined;
}

function typeModel(version: GraphApiVersion): TypeModel {
  const csdl = reference.csdl[version];
  const family = (type: string) => [type, ...csdl.derived(type)];
  return {
    exists: (type) => csdl.type(type) !== undefined || type in EXTERNAL_TYPES,
    hasProperty: (type, property) =>
      EXTERNAL_TYPES[type]?.properties.includes(property) ??
      family(type).some((member) => csdl.properties(member).has(property)),
    navigationType: (type, navigation) =>
      EXTERNAL_TYPES[type]?.navigations[navigation] ??
      family(type)
        .map((member) => csdl.navigationType(member, navigation))
        .find(Boolean),
  };
}

const itemTemplate = (contract: GraphContract) => `${contract.collectionPath}/{id}`;

function checkSubResources(
  model: TypeModel,
  parentType: string,
  subs: readonly SubResourceContract[],
  owner: string,
): string[] {
  const problems: string[] = [];
  for (const sub of subs) {
    const type = model.navigationType(parentType, sub.name);
    if (!type) {
      problems.push(`${owner}: '${sub.name}' is not a navigation property of ${parentType}`);
      continue;
    }
    for (const nested of sub.expand ?? []) {
      if (!model.navigationType(type, nested))
        problems.push(`${owner}/${sub.name}: cannot $expand '${nested}' on ${type}`);
    }
    problems.push(...checkSubResources(model, type, sub.children ?? [], `${owner}/${sub.name}`));
  }
  return problems;
}

describe('contract registry vs the Graph reference (CSDL, paths, actions)', () => {
  it('has unique, stable resource keys', () => {
    const keys = graphContracts.map((contract) => contract.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^[a-z][A-Za-z0-9]*$/);
  });

  it('covers every type of the anchor list, and nothing without a reason', () => {
    const keys = new Set(graphContracts.map((contract) => contract.key));
    const missing = ANCHOR_LIST.flatMap((entry) =>
      entry.contracts.filter((key) => !keys.has(key)).map((key) => `${entry.anchor}: ${key}`),
    );
    expect(missing).toEqual([]);
    const accounted = new Set([...ANCHOR_LIST.flatMap((entry) => entry.contracts), ...SUPPORTING_CONTRACTS]);
    expect([...keys].filter((key) => !accounted.has(key))).toEqual([]);
  });

  describe.each(graphContracts.map((contract) => [contract.key, contract] as const))(
    '%s',
    (_key, contract) => {
      const version = contract.apiVersion;
      const model = typeModel(version);
      const external = EXTERNAL_COLLECTIONS[contract.collectionPath];

      it('reads a collection path Graph has, of its element type', () => {
        if (contract.shape.kind === 'singleton') {
          // A navigation (or, for settings, a property) of the deviceManagement singleton, of the element type.
          const [root, member, ...rest] = contract.collectionPath.split('/').filter(Boolean);
          expect([root, rest.length]).toEqual(['deviceManagement', 0]);
          const csdl = reference.csdl[version];
          const declared =
            csdl.navigationType('deviceManagement', member!) ??
            csdl.propertyType('deviceManagement', member!);
          expect(declared).toBe(contract.elementType);
          // Restorable exactly where Graph takes a PATCH, and that PATCH path exists.
          expect(contract.restorable).toBe(contract.shape.patch !== null);
          if (contract.shape.patch) {
            expect(reference.hasPath(version, contract.shape.patch.path)).toBe(true);
            if (contract.shape.patch.bodyKey)
              expect(csdl.propertyType('deviceManagement', contract.shape.patch.bodyKey)).toBe(
                contract.elementType,
              );
          }
          expect(contract.assignments.read).toBe('none');
          expect(contract.subResources).toEqual([]);
          return;
        }
        if (external) {
          expect(contract.elementType).toBe(external);
        } else {
          expect(reference.hasPath(version, contract.collectionPath)).toBe(true);
          expect(reference.hasPath(version, itemTemplate(contract))).toBe(true);
          const indexed = reference.indexEntry(version, contract.collectionPath);
          if (indexed) expect(contract.elementType).toBe(indexed.elementType);
        }
        expect(model.exists(contract.elementType)).toBe(true);
      });

      it('selects and filters only declared properties and types', () => {
        const undeclared = [
          ...(contract.select ?? []).filter((property) => !model.hasProperty(contract.elementType, property)),
          ...(contract.platform.from === 'property' &&
          !model.hasProperty(contract.elementType, contract.platform.property)
            ? [contract.platform.property]
            : []),
          ...Object.values(contract.namedFilters ?? {})
            .flatMap((filter) => [...filter.matchAll(/(\w+) (?:eq|ne|ge|le|gt|lt) /g)].map((m) => m[1]!))
            .filter((property) => !model.hasProperty(contract.elementType, property)),
        ];
        expect(undeclared).toEqual([]);
        const csdl = reference.csdl[version];
        const family = new Set([contract.elementType, ...csdl.derived(contract.elementType)]);
        const isof = /^isof\('microsoft\.graph\.(\w+)'\)$/.exec(contract.filter ?? '');
        if (contract.filter) expect(isof, 'only isof filters are declared').not.toBeNull();
        for (const type of [...(isof ? [isof[1]!] : []), ...(contract.excludedTypes ?? [])]) {
          expect(family.has(type), `${type} derives from ${contract.elementType}`).toBe(true);
        }
      });

      it('expands only navigation properties, and its sub-resources exist', () => {
        const problems = [
          ...(contract.expand ?? [])
            .filter((name) => !model.navigationType(contract.elementType, name))
            .map((name) => `cannot $expand '${name}'`),
          ...checkSubResources(model, contract.elementType, contract.subResources, contract.key),
        ];
        expect(problems).toEqual([]);
        if (external || contract.shape.kind === 'singleton') return;
        for (const sub of contract.subResources) {
          expect(reference.hasPath(version, `${itemTemplate(contract)}/${sub.name}`), sub.name).toBe(true);
        }
      });

      it('reads and writes assignments the way Graph offers', () => {
        const { read, write } = contract.assignments;
        const indexed = reference.indexEntry(version, contract.collectionPath);
        if (read !== 'none') {
          expect(model.navigationType(contract.elementType, 'assignments')).toBeDefined();
          expect(reference.hasPath(version, `${itemTemplate(contract)}/assignments`)).toBe(true);
        }
        if (write.kind === 'action') {
          const body = reference.actionBody(version, `${itemTemplate(contract)}/${write.action}`);
          expect(body, `${write.action} action`).toBeDefined();
          expect(Object.keys(body ?? {})).toContain(write.bodyKey);
          if (write.action === 'assign' && indexed?.assignAction) {
            expect(Object.keys(indexed.assignAction.body)[0]).toBe(write.bodyKey);
          }
        }
        if (write.kind === 'post-assignments') {
          expect(reference.hasPath(version, `${itemTemplate(contract)}/assignments`)).toBe(true);
        }
        if (read === 'none' && write.kind === 'none' && indexed?.assignAction) {
          expect.fail(`Graph has ${indexed.assignAction.path} but the contract ignores assignments`);
        }
      });

      it('names the permissions it needs', () => {
        const known: string[] = Object.values(GraphPermissions);
        expect(known).toContain(contract.permissions.read);
        if (contract.restorable) expect(known).toContain(contract.permissions.write);
        else
          expect(contract.permissions.write === null || known.includes(contract.permissions.write)).toBe(
            true,
          );
      });

      it('strips only declared properties as read-only', () => {
        const data = contractData.contracts[contract.key];
        expect(data).toBeDefined();
        const types = [
          ...data!.types,
          ...(data!.assignmentType ? [data!.assignmentType] : []),
          ...Object.values(data!.subResourceTypes).filter((type): type is string => Boolean(type)),
        ];
        const undeclared = types.flatMap((type) =>
          (contractData.readOnly[type] ?? [])
            .filter(
              (property) =>
                !(['v1.0', 'beta'] as const).some((v) => typeModel(v).hasProperty(type, property)),
            )
            .map((property) => `${type}.${property}`),
        );
        expect(undeclared).toEqual([]);
      });
    },
  );

  it('ships read-only lists identical to the reference (readonly.generated.json is not stale)', () => {
    const committed = JSON.parse(readFileSync(path.join(repoRoot(), GENERATED_FILE), 'utf8')) as unknown;
    expect(committed).toEqual(buildContractData(reference.dir));
    const source = reference.readOnlyList();
    for (const [type, properties] of Object.entries(contractData.readOnly)) {
      if (source[type]) expect(properties).toEqual([...source[type]].sort());
    }
  });
});
