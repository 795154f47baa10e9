import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { armContainerResource, containersDocument, CONTAINERS_JSON } from '../../scripts/generate-infra';
import { CONTAINERS } from '../../shared/store/containers';
import { INFRA_DIR, readBicep } from './bicep';

const root = path.resolve(INFRA_DIR, '..');

describe('Cosmos DB containers in infra/ come from shared/store/containers.ts', () => {
  it('the committed infra/generated/containers.json is what the definitions generate', () => {
    const committed: unknown = JSON.parse(readFileSync(path.join(root, CONTAINERS_JSON), 'utf8'));
    expect(committed, `${CONTAINERS_JSON} is stale: run npm run infra:generate`).toEqual(
      containersDocument(),
    );
  });

  it('carries each definition: partition key, unique keys, TTL, excluded paths', () => {
    for (const definition of Object.values(CONTAINERS)) {
      const resource = armContainerResource(definition);
      expect(resource.id).toBe(definition.id);
      expect(resource.partitionKey.paths).toEqual([definition.partitionKey]);
      expect(resource.uniqueKeyPolicy?.uniqueKeys.map((k) => k.paths)).toEqual(
        'uniqueKeys' in definition ? definition.uniqueKeys : undefined,
      );
      expect(resource.defaultTtl).toBe('defaultTtl' in definition ? definition.defaultTtl : undefined);
      const excluded = resource.indexingPolicy.excludedPaths.map((p) => p.path);
      for (const p of 'excludedPaths' in definition ? definition.excludedPaths : [])
        expect(excluded).toContain(p);
    }
  });

  it('is what cosmos.bicep loads, one container resource per entry', () => {
    const cosmos = readBicep(path.join(INFRA_DIR, 'modules', 'cosmos.bicep'));
    const loads = [...cosmos.source.matchAll(/loadJsonContent\('([^']+)'\)/g)].map((m) =>
      path.relative(root, path.resolve(path.dirname(cosmos.file), m[1]!)),
    );
    expect(loads).toEqual([CONTAINERS_JSON]);
    expect(cosmos.source).toMatch(/containers@[\w-]+' = \[\s*for (\w+) in containers:/);
    expect(cosmos.source).toMatch(/resource: \w+\.resource\b/);
  });
});
