import { readFileSync } from 'node:fs';
import path from 'node:path';
import { graphReferenceDir } from '../../../emulators/microsoft/reference/load';
import { CsdlIndex } from '../../../scripts/generate-graph-contracts';
import type { GraphApiVersion } from '../../../shared/graph';

/** `{policySet-id}`, `{id}` → `{}`: path templates compare without parameter names. */
export const normalizeTemplate = (template: string) => template.replace(/\{[^}]*\}/g, '{}');

interface ContractIndexVersion {
  elementType: string;
  assignmentType: string | null;
  assignAction: { path: string; body: Record<string, string> } | null;
}

/** The Graph reference data in graph-reference/, loaded once per test file. */
export class GraphReference {
  readonly dir = graphReferenceDir();
  readonly csdl: Record<GraphApiVersion, CsdlIndex> = {
    'v1.0': CsdlIndex.load(this.dir, 'v1.0'),
    beta: CsdlIndex.load(this.dir, 'beta'),
  };
  private readonly paths = new Map<GraphApiVersion, Set<string>>();
  private readonly actions = new Map<GraphApiVersion, Map<string, Record<string, string>>>();
  private readonly index = new Map<string, Partial<Record<GraphApiVersion, ContractIndexVersion>>>();

  constructor() {
    for (const version of ['v1.0', 'beta'] as const) {
      const lines = [`paths-${version}.txt`, `sdk-url-paths-${version}.txt`].flatMap((file) =>
        this.read(file).split('\n'),
      );
      this.paths.set(version, new Set(lines.filter(Boolean).map(normalizeTemplate)));
      const actions = JSON.parse(this.read(`actions-${version}.json`)) as Record<
        string,
        { body: Record<string, string> }
      >;
      this.actions.set(
        version,
        new Map(
          Object.entries(actions).map(([template, action]) => [normalizeTemplate(template), action.body]),
        ),
      );
    }
    const index = JSON.parse(this.read('contracts-index.json')) as {
      paths: Array<{ path: string; versions: Partial<Record<GraphApiVersion, ContractIndexVersion>> }>;
    };
    for (const entry of index.paths) this.index.set(entry.path, entry.versions);
  }

  private read(file: string): string {
    return readFileSync(path.join(this.dir, file), 'utf8');
  }

  hasPath(version: GraphApiVersion, template: string): boolean {
    return this.paths.get(version)!.has(normalizeTemplate(template));
  }

  actionBody(version: GraphApiVersion, template: string): Record<string, string> | undefined {
    return this.actions.get(version)!.get(normalizeTemplate(template));
  }

  indexEntry(version: GraphApiVersion, collectionPath: string): ContractIndexVersion | undefined {
    return this.index.get(collectionPath)?.[version];
  }

  readOnlyList(): Record<string, string[]> {
    return JSON.parse(this.read('readonly-properties.json')) as Record<string, string[]>;
  }
}
