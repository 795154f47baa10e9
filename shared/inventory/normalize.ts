import { createHash } from 'node:crypto';
import type { GraphObject } from '../graph';
import type { VersionContent } from './model';

type Json = unknown;

/** OData annotations that describe the response, not the object (`@odata.type` is content and stays). */
function isResponseAnnotation(key: string): boolean {
  return key.includes('@odata.') && key !== '@odata.type';
}

/** The value without response annotations, at every depth. */
export function stripAnnotations(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripAnnotations);
  if (value && typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (!isResponseAnnotation(key)) out[key] = stripAnnotations(inner);
    }
    return out;
  }
  return value;
}

/** Collections Graph returns in no promised order (assignments, settings, …) sorted by id. */
export function sortById<T extends Record<string, unknown>>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => String(a.id ?? '').localeCompare(String(b.id ?? '')));
}

/**
 * Encrypted OMA-URI values are never stored: any object marked `isEncrypted: true` loses its `value`
 * (null), and the JSON pointer of each is reported. A changed secret still changes the content through
 * its `secretReferenceValueId`.
 */
export function redactEncryptedValues(value: Json, path = ''): { value: Json; redacted: string[] } {
  const redacted: string[] = [];
  const walk = (node: Json, at: string): Json => {
    if (Array.isArray(node)) return node.map((inner, index) => walk(inner, `${at}/${index}`));
    if (!node || typeof node !== 'object') return node;
    const record = node as Record<string, Json>;
    const encrypted = record.isEncrypted === true;
    const out: Record<string, Json> = {};
    for (const [key, inner] of Object.entries(record)) {
      const pointer = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (encrypted && key === 'value') {
        out[key] = null;
        redacted.push(pointer);
      } else out[key] = walk(inner, pointer);
    }
    return out;
  };
  return { value: walk(value, path), redacted };
}

/** JSON with object keys sorted at every depth; arrays keep their order (order can be content). */
export function stableStringify(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, Json>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${stableStringify(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export interface NormalizedObject {
  content: VersionContent;
  redactedPaths: string[];
}

/**
 * One object as it is versioned: the object's own properties (without the assignments and expanded
 * sub-resources, which are kept beside it), sub-resources and assignments sorted by id, response
 * annotations stripped, encrypted values redacted.
 */
export function normalizeObject(
  object: GraphObject,
  subResources: Record<string, GraphObject[]>,
  assignments: GraphObject[],
): NormalizedObject {
  const own: Record<string, Json> = {};
  for (const [key, value] of Object.entries(object)) {
    if (key === 'assignments' || key in subResources) continue;
    own[key] = value;
  }
  const content: VersionContent = {
    object: stripAnnotations(own) as Record<string, unknown>,
    subResources: Object.fromEntries(
      Object.entries(subResources)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, items]) => [name, sortById(stripAnnotations(items) as GraphObject[])]),
    ),
    assignments: sortById(stripAnnotations(assignments) as GraphObject[]),
  };
  const { value, redacted } = redactEncryptedValues(content);
  return { content: value as VersionContent, redactedPaths: redacted };
}

/**
 * The content hash: the object's identity plus its normalized content, without the top-level properties
 * Graph manages itself (`lastModifiedDateTime`, `version`, counters): saving an object unchanged, or a
 * counter moving, is not a new version.
 */
export function contentHash(
  policyType: string,
  graphId: string,
  content: VersionContent,
  serverManaged: readonly string[],
): string {
  const object = Object.fromEntries(
    Object.entries(content.object).filter(([key]) => !serverManaged.includes(key)),
  );
  return createHash('sha256')
    .update(stableStringify({ policyType, graphId, ...content, object }))
    .digest('hex');
}
