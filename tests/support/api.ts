import { cloud } from './http';

export type DemoUserName = 'alice' | 'mike' | 'olga' | 'rita' | 'nora';

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert response fields one by one
  body: any;
}

export function demo() {
  const description = cloud().demo;
  if (!description) throw new Error('The local cloud has no demo part in cloud.json.');
  return description;
}

export function tokenOf(user: DemoUserName): string {
  const found = demo().users.find((u) => u.name === user);
  if (!found) throw new Error(`No demo user ${user}`);
  return found.token;
}

export function demoUser(user: DemoUserName) {
  return demo().users.find((u) => u.name === user)!;
}

export function contosoWorkspace() {
  return demo().workspaces.find((w) => w.name === 'Contoso MSP')!;
}

/** Calls the API under /api with an optional bearer token (a demo user's name, or a raw token). */
export async function api(
  method: string,
  path: string,
  options: {
    as?: DemoUserName;
    token?: string | null;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
): Promise<ApiResponse> {
  const token = options.token !== undefined ? options.token : options.as ? tokenOf(options.as) : null;
  const response = await fetch(`${cloud().functions.apiBaseUrl}${path}`, {
    method,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  return readApiResponse(response);
}

/** Status, headers, text and (when the text is JSON) the parsed body of a response. */
export async function readApiResponse(response: Response): Promise<ApiResponse> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** A fresh workspace owned by alice with mike, olga and rita in their demo roles: tests that mutate use their own. */
export async function freshWorkspace(name: string) {
  const created = await api('POST', '/workspaces', { as: 'alice', body: { name } });
  if (created.status !== 201) throw new Error(`workspace creation failed: ${created.status} ${created.text}`);
  const workspaceId = created.body.id as string;
  for (const user of ['mike', 'olga', 'rita'] as const) {
    const { oid, role, displayName } = demoUser(user);
    const put = await api('PUT', `/workspaces/${workspaceId}/members/${oid}`, {
      as: 'alice',
      body: { role, displayName },
    });
    if (put.status !== 200) throw new Error(`member ${user}: ${put.status} ${put.text}`);
  }
  const tenant = await api('POST', `/workspaces/${workspaceId}/tenants`, {
    as: 'alice',
    body: { name: `t-${Date.now().toString(36)}`, displayName: 'Test tenant' },
  });
  if (tenant.status !== 201) throw new Error(`tenant: ${tenant.status} ${tenant.text}`);
  return { workspaceId, tenantId: tenant.body.id as string };
}

/** A provider connection to a tenant that does not exist: every run that uses it fails fast. */
export async function unreachableConnection(scope: { workspaceId: string; tenantId: string }) {
  const created = await api(
    'POST',
    `/workspaces/${scope.workspaceId}/tenants/${scope.tenantId}/provider-connections`,
    {
      as: 'alice',
      body: {
        displayName: 'Unreachable connection',
        entraTenantId: '11111111-1111-1111-1111-111111111111',
        clientId: '22222222-2222-2222-2222-222222222222',
        credential: { authType: 'client_secret', clientSecret: 'not-a-secret' },
      },
    },
  );
  if (created.status !== 201) throw new Error(`connection: ${created.status} ${created.text}`);
  return created.body as { id: string };
}

/** Every item of a paged list route (`path` with its query), read as `as` with the largest page size. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert item fields one by one
export async function allPages(path: string, query = '', as: DemoUserName = 'rita'): Promise<any[]> {
  const items = [];
  let token: string | undefined;
  do {
    const params = new URLSearchParams(query);
    params.set('limit', '200');
    if (token) params.set('continuationToken', token);
    const page = await api('GET', `${path}?${params}`, { as });
    if (page.status !== 200) throw new Error(`GET ${path}: ${page.status} ${page.text}`);
    items.push(...page.body.items);
    token = page.body.continuationToken;
  } while (token);
  return items;
}
