import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudProcess, type CloudProcess } from '../support/cloud-process';
import type { ApiResponse } from '../support/api';
import { rawRequest, StoreFingerprint } from './support';

/**
 * Property-based fuzz of every route of /api/openapi.json (so a new route is covered without editing
 * this file): malformed path ids, query values, bodies, content types and tokens. For every answer: no
 * 5xx; a 4xx is problem+json with a stable code; nothing secret and no stack trace in the text; and a
 * rejected request leaves the store as it was. Fixed seed, bounded number of cases per route.
 */
const SEED = 20_2026;
const RUNS_PER_ROUTE = 6;

interface Operation {
  method: string;
  path: string;
  operationId: string;
  parameters: Array<{ name: string; in: 'path' | 'query' }>;
  bodyProperties: string[];
  exampleBody: unknown;
}

let cloudProcess: CloudProcess;
let store: StoreFingerprint;
let operations: Operation[] = [];
let secrets: string[] = [];

beforeAll(async () => {
  cloudProcess = await startCloudProcess({ env: { LOCAL_EXTRA_ENTRY_FILES: '' } });
  store = new StoreFingerprint(cloudProcess.description, cloudProcess.dataDir);
  const document = (await rawRequest(cloudProcess.description, 'GET', '/openapi.json')).body;
  operations = operationsOf(document);
  const { functions, cosmos } = cloudProcess.description;
  const local = JSON.parse(readFileSync(path.join(cloudProcess.dataDir, 'secrets.json'), 'utf8')) as Record<
    string,
    string
  >;
  const tenants = (cloudProcess.description.microsoft as { tenants: Array<{ clientSecret: string }> })
    .tenants;
  secrets = [
    functions.masterKey,
    functions.defaultKey,
    cosmos.key,
    ...Object.values(local),
    ...tenants.map((t) => t.clientSecret),
  ].filter((s) => s && s.length >= 16);
}, 120_000);

afterAll(async () => {
  store?.dispose();
  await cloudProcess?.stop();
});

function operationsOf(document: {
  paths: Record<string, Record<string, Record<string, unknown>>>;
}): Operation[] {
  return Object.entries(document.paths).flatMap(([routePath, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const body = (op.requestBody as { content?: Record<string, { schema?: { properties?: object } }> })
        ?.content?.['application/json']?.schema;
      return {
        method: method.toUpperCase(),
        path: routePath,
        operationId: String(op.operationId),
        parameters: ((op.parameters as Operation['parameters']) ?? []).map(({ name, in: where }) => ({
          name,
          in: where,
        })),
        bodyProperties: Object.keys(body?.properties ?? {}),
        exampleBody: op['x-example-body'],
      };
    }),
  );
}

const demo = () => cloudProcess.description.demo!;
const user = (name: string) => demo().users.find((u) => u.name === name)!;

/** Ids that exist (so a request can get past the first check), another workspace's, and unknown ones. */
function knownIds(name: string): string[] {
  const [contoso, northwind] = [demo().workspaces[0]!, demo().workspaces[1]!];
  const ids: Record<string, string[]> = {
    workspaceId: [contoso.id, northwind.id],
    tenantId: contoso.tenants.map((t) => t.id),
    connectionId: contoso.tenants.map((t) => t.connectionId!).filter(Boolean),
    userId: [user('rita').oid, user('nora').oid],
  };
  return [...(ids[name] ?? []), 'unknown-id'];
}

const hostile = fc.constantFrom(
  '',
  '\u0000',
  '\u0007\u001b[2J',
  '..',
  '../..',
  'a/b',
  'a\\b',
  'a#b',
  'a?b',
  '%00',
  '-1',
  '0x10',
  ' 5',
  '1e3',
  '😀',
  'x\ud800y',
  '{"token":null}',
  '[{"token":"+RID:~AAAA"}]',
  'null',
  'true',
  'x'.repeat(5000),
);
const weirdString = fc.oneof(
  hostile,
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 300 }),
);
const weirdJson = fc.oneof(
  weirdString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
);

/** Percent-encodes any string, lone surrogates included (sent as U+FFFD, which is what UTF-8 can carry). */
function encode(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

function forgedTokens(): string[] {
  const real = user('alice').token;
  const [header, payload] = real.split('.');
  const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  const expired = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), exp: 1 }),
  ).toString('base64url');
  return [
    `${header}.${payload}.AAAA`,
    `${none}.${payload}.`,
    `${header}.${expired}.${real.split('.')[2]}`,
    'garbage',
  ];
}

function requestFor(op: Operation) {
  const pathValues = fc.record(
    Object.fromEntries(
      op.parameters
        .filter((p) => p.in === 'path')
        .map((p) => [
          p.name,
          fc.oneof(
            { weight: 3, arbitrary: fc.constantFrom(...knownIds(p.name)) },
            // An empty segment is no request to this route (the host answers 404 before any app code).
            weirdString.filter((value) => value !== ''),
          ),
        ]),
    ),
  );
  const queryValues = fc.dictionary(
    fc.constantFrom(
      ...op.parameters.filter((p) => p.in === 'query').map((p) => p.name),
      'continuationToken',
      'limit',
    ),
    weirdString,
    { maxKeys: 3 },
  );
  const example = (op.exampleBody ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...op.bodyProperties, ...Object.keys(example)])];
  const body = fc.oneof(
    fc.constant(undefined),
    weirdJson,
    keys.length > 0
      ? fc
          .tuple(fc.constantFrom(...keys), weirdJson)
          .map(([key, value]) => ({ ...example, [key]: value }) as unknown)
      : fc.constant(example as unknown),
  );
  const contentType = fc.constantFrom(
    'application/json',
    'application/json',
    'text/plain',
    'application/x-www-form-urlencoded',
    undefined,
  );
  const caller = fc.constantFrom('alice', 'alice', 'rita', 'nora', 'none', ...forgedTokens());
  return fc.record({ pathValues, queryValues, body, contentType, caller });
}

async function send(op: Operation, input: RequestInput): Promise<ApiResponse> {
  const routePath = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encode(String(input.pathValues[name])),
  );
  const query = Object.entries(input.queryValues)
    .map(([key, value]) => `${key}=${encode(value)}`)
    .join('&');
  const token = ['alice', 'rita', 'nora'].includes(input.caller)
    ? user(input.caller).token
    : input.caller === 'none'
      ? undefined
      : input.caller;
  return rawRequest(cloudProcess.description, op.method, `${routePath}${query ? `?${query}` : ''}`, {
    ...(token !== undefined && { token }),
    headers: input.contentType ? { 'content-type': input.contentType } : {},
    ...(input.body !== undefined &&
      op.method !== 'GET' && { body: new TextEncoder().encode(JSON.stringify(input.body)) }),
  });
}

/** Waits until a request that was accepted has finished writing (runs it started included). */
async function settle(): Promise<Map<string, string>> {
  let last = await store.take();
  for (let i = 0; i < 60; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const next = await store.take();
    if (StoreFingerprint.changes(last, next).length === 0) return next;
    last = next;
  }
  return last;
}

interface RequestInput {
  pathValues: Record<string, string>;
  queryValues: Record<string, string>;
  body: unknown;
  contentType: string | undefined;
  caller: string;
}

describe('fuzz of every route in /api/openapi.json', () => {
  it('covers the whole document', () => {
    expect(operations.length).toBeGreaterThan(30);
  });

  it('answers every malformed request with a clean 4xx that writes nothing, and never a 5xx', async () => {
    let before = await settle();
    const seen: Record<string, number> = {};
    for (const op of operations) {
      await fc.assert(
        fc.asyncProperty(requestFor(op), async (input) => {
          const response = await send(op, input as RequestInput);
          const where = `${op.method} ${op.path} ${JSON.stringify(input).slice(0, 300)} → ${response.status} ${response.text.slice(0, 300)}`;
          seen[response.status] = (seen[response.status] ?? 0) + 1;
          expect(response.status, where).toBeLessThan(500);
          for (const secret of secrets) expect(response.text.includes(secret), where).toBe(false);
          expect(response.text, where).not.toMatch(/\n\s+at .+:\d+:\d+|node_modules|\/dist\//);
          if (response.status >= 400) {
            expect(response.headers.get('content-type'), where).toContain('application/problem+json');
            expect(response.body?.code, where).toMatch(/^[a-z][a-z_]*$/);
            expect(response.body?.status, where).toBe(response.status);
            const after = await store.take();
            expect(StoreFingerprint.changes(before, after), where).toEqual([]);
          } else {
            before = op.method === 'GET' ? before : await settle();
          }
        }),
        { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
    }
    // The fuzz reaches past the first checks: some requests succeed, and every kind of refusal occurs.
    expect(Object.keys(seen).map(Number).sort(), JSON.stringify(seen)).toEqual(
      expect.arrayContaining([200, 400, 401, 404]),
    );
  }, 300_000);
});
