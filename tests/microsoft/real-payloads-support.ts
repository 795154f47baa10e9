/* eslint-disable @typescript-eslint/no-explicit-any -- exported Graph JSON is read dynamically, as a restore would. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../emulators/paths';
import {
  contractData,
  graphContracts,
  readOnlyProperties,
  readOnlyPropertiesOfPart,
  shortOdataType,
  type GraphContract,
} from '../../shared/graph';

/** One published real-world export (graph-reference/real-payloads/README.md). */
export interface RealPayload {
  /** `owner/repo:path@commit` of the public export. */
  source: string;
  /** Graph beta path below `/beta/` where such an object is created. */
  collection: string;
  payload: Record<string, any>;
}

/** The 70 exports in graph-reference/real-payloads/payloads.json, in file order. */
export function loadRealPayloads(): RealPayload[] {
  const file = path.join(repoRoot(), 'graph-reference', 'real-payloads', 'payloads.json');
  return JSON.parse(readFileSync(file, 'utf8')) as RealPayload[];
}

/** The `@odata.type` (short name) of an export, or the contract's element type when it names none. */
export function payloadType(contract: GraphContract, payload: Record<string, any>): string {
  const annotated = payload['@odata.type'];
  return typeof annotated === 'string' ? shortOdataType(annotated) : contract.elementType;
}

/**
 * The contract an export belongs to: the contracts of its collection path, narrowed to the ones whose
 * types hold the export's `@odata.type` (update rings and device configurations share a path; an `isof`
 * filter or `excludedTypes` tells them apart).
 */
export function contractOf(item: RealPayload): GraphContract {
  const collectionPath = `/${item.collection}`;
  const candidates = graphContracts.filter(
    (c) => c.collectionPath === collectionPath && c.shape.kind === 'collection' && c.restorable,
  );
  const matching = candidates.filter((c) => {
    const type = payloadType(c, item.payload);
    const types = contractData.contracts[c.key]?.types ?? [c.elementType];
    if (!types.includes(type) || c.excludedTypes?.includes(type)) return false;
    const isof = /isof\('microsoft\.graph\.(\w+)'\)/.exec(c.filter ?? '')?.[1];
    return !isof || isof === type;
  });
  // A contract whose filter names the type is more specific than the plain collection.
  const best = matching.find((c) => c.filter) ?? matching[0];
  if (!best) throw new Error(`No restorable contract for ${item.collection} (${item.source})`);
  return best;
}

/**
 * OData control information goes: annotations except `@odata.type` (nested ones stay: a settings catalog's
 * setting instances and values are polymorphic, and Graph needs their type to create them) and the action
 * advertisements of full-metadata exports (`"#microsoft.graph.assign": {title, target}`).
 */
function stripAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripAnnotations);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if ((key.includes('@') && key !== '@odata.type') || key.startsWith('#')) continue;
    out[key] = stripAnnotations(member);
  }
  return out;
}

function omit(obj: Record<string, any>, keys: readonly string[]): Record<string, any> {
  const out = { ...obj };
  for (const key of keys) delete out[key];
  return out;
}

/**
 * The body a restore POSTs for an export: OData annotations except `@odata.type`, the read-only members
 * of its type (ids, timestamps, `version`, counters; `readonly.generated.json`), assignments (written by
 * the contract's assignment write afterwards) and the read-only members of each inline sub-resource item.
 */
export function restoreBody(contract: GraphContract, payload: Record<string, any>): Record<string, any> {
  const clean = stripAnnotations(payload) as Record<string, any>;
  const body = omit(clean, [...readOnlyProperties(contract, clean['@odata.type']), 'assignments']);
  for (const sub of contract.subResources) {
    if (!(sub.name in body)) continue;
    if (sub.write !== 'inline' || !Array.isArray(body[sub.name])) {
      delete body[sub.name];
      continue;
    }
    body[sub.name] = (body[sub.name] as Array<Record<string, any>>).map((item) =>
      omit(item, readOnlyPropertiesOfPart(contract, sub.name)),
    );
  }
  return body;
}

/** The restore body of an object read back, for comparing it with what was sent. */
export function comparable(contract: GraphContract, object: Record<string, any>): Record<string, any> {
  return restoreBody(contract, object);
}

/**
 * Where an object read back differs from the body that wrote it: every member sent must read back equal,
 * nested objects and collections included. Members the body did not hold (ids of nested items, the
 * `@odata.type` Graph adds, read-only members and defaults the service fills) are not compared.
 */
export function bodyDifferences(sent: unknown, read: unknown, path = '$'): string[] {
  if (Array.isArray(sent)) {
    if (!Array.isArray(read) || read.length !== sent.length)
      return [`${path}: sent ${JSON.stringify(sent)}, read ${JSON.stringify(read)}`];
    return sent.flatMap((item, i) => bodyDifferences(item, read[i], `${path}[${i}]`));
  }
  if (typeof sent === 'object' && sent !== null) {
    if (typeof read !== 'object' || read === null || Array.isArray(read))
      return [`${path}: sent an object, read ${JSON.stringify(read)}`];
    return Object.entries(sent).flatMap(([key, value]) =>
      bodyDifferences(value, (read as Record<string, unknown>)[key], `${path}.${key}`),
    );
  }
  return sent === read ? [] : [`${path}: sent ${JSON.stringify(sent)}, read ${JSON.stringify(read)}`];
}
