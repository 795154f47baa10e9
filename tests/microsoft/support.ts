/* eslint-disable @typescript-eslint/no-explicit-any -- Graph JSON in tests is read dynamically, as any client would. */
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll } from 'vitest';
import { Client, type AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import {
  startMicrosoftCloud,
  type MicrosoftCloud,
  type MicrosoftCloudOptions,
  type SimulatedTenantInfo,
} from '../../emulators/microsoft';
import { localCaDir } from '../../emulators/paths';
import { ensureLocalCa } from '../../emulators/tls/local-ca';

export const API_APP_ID = '6a3d1f4e-9b2c-4d7e-8f10-2a3b4c5d6e7f';
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** Starts a simulated Microsoft cloud on an ephemeral port with the checkout's local CA. */
export function startCloud(options: Partial<MicrosoftCloudOptions> = {}): Promise<MicrosoftCloud> {
  if (!process.env.NODE_EXTRA_CA_CERTS) {
    throw new Error('Run the tests through emulators/cli/with-local-ca.ts so Node trusts the local CA.');
  }
  const ca = ensureLocalCa(localCaDir());
  return startMicrosoftCloud({ port: 0, tls: ca.server, apiAppId: API_APP_ID, ...options });
}

/**
 * The file's simulated cloud (rate limit off) and a Graph token of contoso: started before the file's
 * tests, stopped after them. Read `cloud` and `token` inside tests, once `beforeAll` has run.
 */
export function contosoCloud(): { readonly cloud: MicrosoftCloud; readonly token: string } {
  const state = {} as { cloud: MicrosoftCloud; token: string };
  beforeAll(async () => {
    state.cloud = await startCloud({ realism: { rateLimit: { enabled: false } } });
    state.token = await graphToken(state.cloud, tenant(state.cloud, 'contoso'));
  });
  afterAll(async () => {
    await state.cloud?.stop();
  });
  return state;
}

export function tenant(cloud: MicrosoftCloud, name: string): SimulatedTenantInfo {
  const t = cloud.tenants.find((x) => x.name === name);
  if (!t) throw new Error(`no tenant ${name}`);
  return t;
}

export function secretCredential(
  cloud: MicrosoftCloud,
  t: SimulatedTenantInfo,
  secret = t.clientSecret,
): ClientSecretCredential {
  return new ClientSecretCredential(t.entraTenantId, t.clientId, secret, {
    authorityHost: cloud.authorityHost,
    disableInstanceDiscovery: true,
  });
}

/** The real Graph SDK client, pointed at the simulated Graph (auth header only reaches `customHosts`). */
export function graphClient(
  cloud: MicrosoftCloud,
  t: SimulatedTenantInfo,
  version: 'v1.0' | 'beta' = 'beta',
): Client {
  const credential = secretCredential(cloud, t);
  const authProvider: AuthenticationProvider = {
    getAccessToken: async () => (await credential.getToken(GRAPH_SCOPE)).token,
  };
  return Client.initWithMiddleware({
    authProvider,
    baseUrl: cloud.graphBaseUrl,
    defaultVersion: version,
    customHosts: new Set([new URL(cloud.graphBaseUrl).hostname]),
  });
}

export async function graphToken(cloud: MicrosoftCloud, t: SimulatedTenantInfo): Promise<string> {
  return (await secretCredential(cloud, t).getToken(GRAPH_SCOPE)).token;
}

/** Plain fetch against Graph with a bearer token: the raw status, headers and body. */
export async function graphFetch(
  cloud: MicrosoftCloud,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(`${cloud.graphBaseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export async function control(
  cloud: MicrosoftCloud,
  method: string,
  path: string,
  body?: unknown,
): Promise<any> {
  const res = await fetch(`${cloud.controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`control ${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Every item of a Graph collection, following @odata.nextLink. */
export async function listAll(
  cloud: MicrosoftCloud,
  token: string,
  path: string,
): Promise<{ items: any[]; pages: number }> {
  const items: any[] = [];
  let url: string | undefined = `${cloud.graphBaseUrl}${path}`;
  let pages = 0;
  while (url) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as any;
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${JSON.stringify(body)}`);
    items.push(...body.value);
    pages++;
    url = body['@odata.nextLink'];
  }
  return { items, pages };
}
