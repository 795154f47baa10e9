import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bracketProblems,
  infraBicepFiles,
  INFRA_DIR,
  isReferenced,
  modules,
  outputs,
  params,
  readBicep,
  resources,
  type BicepFile,
} from './bicep';
import { codeSpans, readGuide, sectionTable } from './markdown';

/**
 * What a Bicep compiler would catch first, checked without one: brackets, module paths, the parameters
 * passed to each module against those it declares, outputs read from modules, unused parameters, and
 * that main.parameters.json and docs/deploy.md describe the parameters main.bicep has.
 */
const files = infraBicepFiles();
const main = files[0]!;
const relative = (bicep: BicepFile) => path.relative(INFRA_DIR, bicep.file);

describe('infra/*.bicep structure', () => {
  it('has balanced brackets outside strings and comments', () => {
    const problems = files.flatMap(bracketProblems);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('points every module at an existing file', () => {
    const missing = files.flatMap((bicep) =>
      modules(bicep)
        .filter((m) => !existsSync(path.resolve(path.dirname(bicep.file), m.path)))
        .map((m) => `${relative(bicep)}: module ${m.symbol} → ${m.path}`),
    );
    expect(missing, missing.join('\n')).toEqual([]);
  });

  it('passes every module exactly parameters it declares, including all required ones', () => {
    const problems = files.flatMap((bicep) =>
      modules(bicep).flatMap((m) => {
        const declared = params(readBicep(path.resolve(path.dirname(bicep.file), m.path)));
        const names = new Set(declared.map((p) => p.name));
        return [
          ...m.params.filter((p) => !names.has(p)).map((p) => `${m.symbol}: passes undeclared ${p}`),
          ...declared
            .filter((p) => !p.hasDefault && !m.params.includes(p.name))
            .map((p) => `${m.symbol}: misses required ${p.name}`),
        ];
      }),
    );
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('reads only outputs that modules declare', () => {
    const problems = files.flatMap((bicep) => {
      const declared = new Map(
        modules(bicep).map((m) => [
          m.symbol,
          outputs(readBicep(path.resolve(path.dirname(bicep.file), m.path))),
        ]),
      );
      return [...bicep.code.matchAll(/\b(\w+)\.outputs\.(\w+)/g)]
        .filter(([, symbol, output]) => !declared.get(symbol!)?.includes(output!))
        .map(([reference]) => `${relative(bicep)}: ${reference}`);
    });
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('uses every parameter it declares', () => {
    const unused = files.flatMap((bicep) =>
      params(bicep)
        .filter((p) => !isReferenced(bicep, p.name, p.nameIndex))
        .map((p) => `${relative(bicep)}: ${p.name}`),
    );
    expect(unused, unused.join('\n')).toEqual([]);
  });

  it('gives each resource type one API version and well-formed type names', () => {
    const versions = new Map<string, Set<string>>();
    for (const bicep of files) {
      for (const r of resources(bicep)) {
        expect(r.type, relative(bicep)).toMatch(/^Microsoft\.\w+\/\w+(\/\w+)*$/);
        expect(r.apiVersion, `${r.type} in ${relative(bicep)}`).toMatch(/^\d{4}-\d{2}-\d{2}(-preview)?$/);
        versions.set(r.type, (versions.get(r.type) ?? new Set()).add(r.apiVersion));
      }
    }
    const mixed = [...versions]
      .filter(([, v]) => v.size > 1)
      .map(([type, v]) => `${type}: ${[...v].join(', ')}`);
    expect(mixed, mixed.join('\n')).toEqual([]);
  });

  it('names role assignments deterministically', () => {
    for (const bicep of files) {
      for (const r of resources(bicep).filter((r) => /[rR]oleAssignments$/.test(r.type) && !r.existing)) {
        const body = bicep.source.slice(r.bodyIndex, r.bodyIndex + 200);
        expect(body, `${r.symbol} in ${relative(bicep)}`).toMatch(/^\{\s*(parent: \w+\s*)?name: guid\(/);
      }
    }
  });
});

describe('infra/main.parameters.json and the parameter table of docs/deploy.md', () => {
  const declared = params(main);
  const parameterFile = JSON.parse(readFileSync(path.join(INFRA_DIR, 'main.parameters.json'), 'utf8')) as {
    parameters: Record<string, { value: unknown }>;
  };
  /** parameter → the azd environment variable main.parameters.json fills it from. */
  const azdVariables = new Map(
    Object.entries(parameterFile.parameters).map(([name, { value }]) => [
      name,
      /^\$\{(\w+)/.exec(String(value))?.[1] ?? '',
    ]),
  );

  it('maps only declared parameters, and every required one', () => {
    const names = new Set(declared.map((p) => p.name));
    expect([...azdVariables.keys()].filter((name) => !names.has(name))).toEqual([]);
    expect(declared.filter((p) => !p.hasDefault && !azdVariables.has(p.name)).map((p) => p.name)).toEqual([]);
  });

  it('documents every parameter with the azd variable that sets it', () => {
    const [, ...rows] = sectionTable(readGuide(), 'Parameters');
    const documented = new Map(
      rows.map((cells) => [codeSpans(cells[0]!)[0]!, codeSpans(cells[1] ?? '')[0] ?? '']),
    );
    expect([...documented.keys()].sort()).toEqual(declared.map((p) => p.name).sort());
    for (const p of declared) expect(documented.get(p.name), p.name).toBe(azdVariables.get(p.name) ?? '');
  });
});
