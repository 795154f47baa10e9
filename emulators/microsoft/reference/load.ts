import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../paths';

/**
 * The Graph reference data (CSDL extracts, contracts index, read-only properties, payload samples) in the
 * checkout's `graph-reference/` (see its README). GRAPH_REFERENCE_DIR points elsewhere, for someone
 * trying a newer extract before refreshing the committed copy. The deployed app never reads it.
 */
export function graphReferenceDir(): string {
  const dir = process.env.GRAPH_REFERENCE_DIR
    ? path.resolve(process.env.GRAPH_REFERENCE_DIR)
    : path.join(repoRoot(), 'graph-reference');
  if (!existsSync(path.join(dir, 'contracts-index.json'))) {
    throw new Error(
      `Graph reference data not found in ${dir} (expected contracts-index.json, csdl-intune-*.json, samples/). ` +
        (process.env.GRAPH_REFERENCE_DIR
          ? "GRAPH_REFERENCE_DIR names a folder without it: unset it to use the checkout's graph-reference/."
          : 'The checkout is incomplete: graph-reference/ is part of the repository.'),
    );
  }
  return dir;
}

export type ApiVersion = 'v1.0' | 'beta';
export const API_VERSIONS: readonly ApiVersion[] = ['v1.0', 'beta'];

export interface CsdlMember {
  type: string;
  nullable?: boolean | null;
  containsTarget?: boolean | null;
}
export interface CsdlType {
  baseType?: string | null;
  abstract?: boolean | null;
  key?: string[];
  properties?: Record<string, CsdlMember>;
  navigationProperties?: Record<string, CsdlMember>;
}
export interface CsdlExtract {
  entityTypes: Record<string, CsdlType>;
  complexTypes: Record<string, CsdlType>;
  enumTypes: Record<string, string[]>;
  flagsEnumTypes?: Record<string, unknown> | string[];
}

export interface ContractVersionEntry {
  elementType: string;
  elementTypeAbstract: boolean;
  derivedTypes: string[];
  assignmentsPath: string | null;
  assignmentType: string | null;
  assignAction: { path: string; body: Record<string, string> } | null;
  samples: string[];
}
export interface ContractEntry {
  path: string;
  versions: Partial<Record<ApiVersion, ContractVersionEntry>>;
}

export interface SampleIndexEntry {
  type: string;
  apiVersion: ApiVersion;
  path: string;
}

/** Everything read from the reference folder, loaded once per process. */
export interface GraphReference {
  dir: string;
  csdl: Record<ApiVersion, CsdlExtract>;
  contracts: ContractEntry[];
  readOnly: Record<string, string[]>;
  sample(version: ApiVersion, type: string): Record<string, unknown> | undefined;
  sampleTypes(version: ApiVersion): Set<string>;
}

let cached: GraphReference | undefined;

export function loadGraphReference(): GraphReference {
  if (cached) return cached;
  const dir = graphReferenceDir();
  const json = <T>(file: string): T => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as T;
  const index = json<SampleIndexEntry[]>('samples/index.json');
  const sampleTypes: Record<ApiVersion, Set<string>> = { 'v1.0': new Set(), beta: new Set() };
  for (const entry of index) sampleTypes[entry.apiVersion]?.add(entry.type);
  const sampleCache = new Map<string, Record<string, unknown>>();
  const { _meta: _ignored, ...readOnly } = json<Record<string, string[]> & { _meta: unknown }>(
    'readonly-properties.json',
  );
  cached = {
    dir,
    csdl: {
      'v1.0': json<CsdlExtract>('csdl-intune-v1.0.json'),
      beta: json<CsdlExtract>('csdl-intune-beta.json'),
    },
    contracts: json<{ paths: ContractEntry[] }>('contracts-index.json').paths,
    readOnly: readOnly as Record<string, string[]>,
    sampleTypes: (version) => sampleTypes[version],
    sample(version, type) {
      if (!sampleTypes[version].has(type)) return undefined;
      const key = `${version}/${type}`;
      let value = sampleCache.get(key);
      if (!value) {
        value = json<Record<string, unknown>>(`samples/${version}/${type}.json`);
        sampleCache.set(key, value);
      }
      return structuredClone(value);
    },
  };
  return cached;
}
