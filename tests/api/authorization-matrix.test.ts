import { beforeAll, describe, expect, it } from 'vitest';
import { operationCatalog } from '../../shared/app/catalog';
import { CAPABILITIES, type Capability } from '../../shared/authz/capabilities';
import { api, demoUser, freshWorkspace, unreachableConnection, type ApiResponse } from '../support/api';
import { eventually } from '../support/http';
import { expiredToken, forgedToken } from '../support/tokens';

interface Operation {
  method: string;
  path: string;
  access: string;
  exampleBody?: unknown;
}

type Caller =
  'noToken' | 'expired' | 'forged' | 'otherWorkspace' | 'readonly' | 'operator' | 'manager' | 'owner';
// Destructive successes happen last, so every caller before them meets the resource intact.
const CALLERS: Caller[] = [
  'noToken',
  'expired',
  'forged',
  'otherWorkspace',
  'readonly',
  'operator',
  'manager',
  'owner',
];
const USER_OF = {
  otherWorkspace: 'nora',
  readonly: 'rita',
  operator: 'olga',
  manager: 'mike',
  owner: 'alice',
} as const;

let operations: Operation[] = [];
let scope: { workspaceId: string; tenantId: string; connectionId: string; runId: string };
let tokens: Record<'expired' | 'forged', string>;

beforeAll(async () => {
  const document = (await api('GET', '/openapi.json')).body as {
    paths: Record<string, Record<string, { 'x-access': string; 'x-example-body'?: unknown }>>;
  };
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      access: op['x-access'],
      exampleBody: op['x-example-body'],
    })),
  );
  const { workspaceId, tenantId } = await freshWorkspace('Authorization matrix');
  const connection = await unreachableConnection({ workspaceId, tenantId });
  // A finished run in the matrix workspace, for the run-scoped routes (its connection is fake: it fails fast).
  const started = await api('POST', `/workspaces/${workspaceId}/tenants/${tenantId}/operations`, {
    as: 'alice',
    body: { type: 'provider.health_check' },
  });
  expect(started.status).toBe(202);
  await eventually(async () => {
    const run = await api('GET', `/operations/${started.body.run.id}`, { as: 'alice' });
    return run.body.status === 'completed' ? true : undefined;
  });
  scope = { workspaceId, tenantId, connectionId: connection.id, runId: started.body.run.id };
  tokens = { expired: await expiredToken(demoUser('alice')), forged: await forgedToken(demoUser('alice')) };
});

/**
 * The start route checks each operation type's own capability (restore.execute needs more than
 * restore.preview). Types that need input are started with none: a caller with the capability gets
 * 400 for the input, never a run; one without it 403. Types that start with no input are left to the
 * route's own row above and the operations tests (a call here would start real runs).
 */
const START_TYPES = operationCatalog.startable().filter((type) => !type.input.safeParse({}).success);
const START_CALLERS = ['readonly', 'operator', 'manager', 'owner'] as const;

function expected(access: string, caller: Caller): 'allowed' | 401 | 403 | 404 {
  if (access === 'public') return 'allowed';
  if (caller === 'noToken' || caller === 'expired' || caller === 'forged') return 401;
  if (access === 'authenticated') return 'allowed';
  if (caller === 'otherWorkspace') return 404;
  const capability = access.replace('capability:', '') as Capability;
  return (CAPABILITIES[capability] as readonly string[]).includes(caller) ? 'allowed' : 403;
}

async function callAs(operation: Operation, caller: Caller, index: number): Promise<ApiResponse> {
  const path = operation.path
    .replace('{workspaceId}', scope.workspaceId)
    .replace('{tenantId}', scope.tenantId)
    .replace('{connectionId}', scope.connectionId)
    .replace('{runId}', scope.runId)
    .replace('{userId}', `matrix-user-${index}`)
    // Ids of resources the matrix does not create (schedules, backups, …): unknown ids, which must be
    // told apart from the authorization 404s below.
    .replace(/\{(\w+)\}/g, 'matrix-unknown-$1');
  const token =
    caller === 'noToken' ? null : caller === 'expired' || caller === 'forged' ? tokens[caller] : undefined;
  const query = operation.path === '/operations' ? `?workspaceId=${scope.workspaceId}` : '';
  return api(operation.method, `${path}${query}`, {
    ...(token !== undefined ? { token } : { as: USER_OF[caller as keyof typeof USER_OF] }),
    ...(operation.exampleBody !== undefined && { body: operation.exampleBody }),
  });
}

describe('authorization matrix: every route × every kind of caller', () => {
  it('covers every route of the API document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(18);
    for (const operation of operations)
      expect(operation.access, `${operation.method} ${operation.path}`).toMatch(
        /^(public|authenticated|capability:.+)$/,
      );
  });

  it('answers each caller as the capability table says', async () => {
    const failures: string[] = [];
    let index = 0;
    for (const caller of CALLERS) {
      for (const operation of operations) {
        const response = await callAs(operation, caller, index++);
        const want = expected(operation.access, caller);
        const isAuthz404 =
          response.status === 404 &&
          ['The workspace was not found.', 'The operation was not found.'].includes(response.body?.detail);
        const ok =
          want === 'allowed'
            ? ![401, 403].includes(response.status) && !isAuthz404 && response.status < 500
            : want === 404
              ? isAuthz404
              : response.status === want;
        if (!ok)
          failures.push(
            `${caller} ${operation.method} ${operation.path}: expected ${want}, got ${response.status} ${response.text.slice(0, 160)}`,
          );
        if (typeof want === 'number') {
          expect(response.headers.get('content-type')).toContain('application/problem+json');
          expect(response.body.code).toBe(
            want === 401 ? 'unauthenticated' : want === 403 ? 'forbidden' : 'not_found',
          );
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers each start type as the capability table says for that type', async () => {
    expect(START_TYPES.map((type) => type.type)).toEqual(
      expect.arrayContaining(['restore.preview', 'restore.execute']),
    );
    const failures: string[] = [];
    for (const runType of START_TYPES)
      for (const caller of START_CALLERS) {
        const response = await api(
          'POST',
          `/workspaces/${scope.workspaceId}/tenants/${scope.tenantId}/operations`,
          { as: USER_OF[caller], body: { type: runType.type } },
        );
        const want = expected(`capability:${runType.capability}`, caller) === 'allowed' ? 400 : 403;
        if (response.status !== want || (want === 403 && response.body?.code !== 'forbidden'))
          failures.push(
            `${caller} start ${runType.type}: expected ${want}, got ${response.status} ${response.text.slice(0, 160)}`,
          );
      }
    expect(failures).toEqual([]);
  });

  it('audits every 403', async () => {
    const denied = await api(
      'GET',
      `/workspaces/${scope.workspaceId}/audit?action=authorization.denied&limit=200`,
      {
        as: 'alice',
      },
    );
    expect(denied.status).toBe(200);
    const forbiddenCalls = [
      ...CALLERS.flatMap((caller) =>
        operations.filter((op) => expected(op.access, caller) === 403).map(() => caller),
      ),
      ...START_TYPES.flatMap((type) =>
        START_CALLERS.filter((caller) => expected(`capability:${type.capability}`, caller) === 403),
      ),
    ];
    expect(denied.body.items.length).toBe(forbiddenCalls.length);
    expect(denied.body.items.every((e: { action: string }) => e.action === 'authorization.denied')).toBe(
      true,
    );
  });
});
