import type { AddressInfo } from 'node:net';
import { CONTROL_PREFIX, createMicrosoftServer, GRAPH_PREFIX } from './server';
import type { RealismPatch } from './realism/settings';
import { Runtime, type TenantSpec, type UserClaimsInput } from './runtime';

export type { TenantSpec } from './runtime';
export type { RealismSettings, RealismPatch } from './realism/settings';
export { INTUNE_RATE_LIMIT } from './realism/settings';
export type { RequestLogEntry, EndpointCount } from './realism/request-log';
export { GRAPH_APP_ROLES, DEFAULT_GRANTED_PERMISSIONS, MICROSOFT_GRAPH_APP_ID } from './entra/permissions';

export interface MicrosoftCloudOptions {
  /** 0 = ephemeral. One HTTPS server: Entra at `/`, Graph at `/graph`, the control API at `/_control`. */
  port: number;
  /** Listen address, default 127.0.0.1; URLs use https://localhost:PORT. */
  host?: string;
  tls: { certPem: string; keyPem: string };
  /** Audience (app id) of our API: user tokens are issued for it. */
  apiAppId: string;
  /** Default: contoso + fabrikam. */
  tenants?: TenantSpec[];
  /** Seed for tenant ids, client ids, secrets and object ids (default 1). */
  seed?: number;
  /** Realism applied to every tenant at start (latency, rate limits, faults); the control API changes it later. */
  realism?: RealismPatch;
  /**
   * Keeps the token signing key, app certificates and the tenants' journal (every acknowledged write to a
   * tenant's objects) here so they survive restarts (e.g. `.local/microsoft`).
   */
  stateDir?: string;
}

export interface SimulatedTenantInfo {
  name: string;
  entraTenantId: string;
  clientId: string;
  clientSecret: string;
  /** The app registration's certificate credential: `pem` holds the private key and the certificate. */
  certificate?: { pem: string; thumbprint: string; thumbprintSha256: string };
}

export interface MicrosoftCloud {
  /** e.g. https://localhost:PORT (for @azure/identity `authorityHost`, with `disableInstanceDiscovery: true`). */
  authorityHost: string;
  /** https://localhost:PORT/graph — then /v1.0 or /beta. Graph SDK: `baseUrl` + `customHosts: ['localhost']`. */
  graphBaseUrl: string;
  /** https://localhost:PORT/_control */
  controlUrl: string;
  tenants: SimulatedTenantInfo[];
  /** A user token for our API (aud = apiAppId, iss = issuer(tid)), signed with a key in the JWKS. */
  issueUserToken(user: UserClaimsInput, options?: { expiresInSeconds?: number }): Promise<string>;
  /** The `iss` our API must accept for users of that tenant: https://localhost:PORT/{tid}/v2.0 */
  issuer(entraTenantId: string): string;
  jwksUri: string;
  /** The `microsoft` part of .local/cloud.json. */
  describe(): Record<string, unknown>;
  stop(): Promise<void>;
}

export async function startMicrosoftCloud(options: MicrosoftCloudOptions): Promise<MicrosoftCloud> {
  const holder: { runtime?: Runtime } = {};
  const { server, sockets } = createMicrosoftServer(holder, options.tls);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const authorityHost = `https://localhost:${port}`;
  let runtime: Runtime;
  try {
    runtime = new Runtime({
      authorityHost,
      graphBaseUrl: `${authorityHost}${GRAPH_PREFIX}`,
      controlUrl: `${authorityHost}${CONTROL_PREFIX}`,
      apiAppId: options.apiAppId,
      tenants: options.tenants ?? [{ name: 'contoso' }, { name: 'fabrikam' }],
      seed: options.seed ?? 1,
      realism: options.realism,
      stateDir: options.stateDir,
    });
  } catch (e) {
    server.close();
    throw e;
  }
  holder.runtime = runtime;
  const described = runtime.describe();
  return {
    authorityHost,
    graphBaseUrl: runtime.graphBaseUrl,
    controlUrl: runtime.options.controlUrl,
    tenants: described.tenants as SimulatedTenantInfo[],
    jwksUri: String(described.jwksUri),
    issueUserToken: (user, opts) => runtime.issueUserToken(user, opts),
    issuer: (tid) => runtime.issuer(tid),
    describe: () => runtime.describe(),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          runtime.close();
          resolve();
        });
        for (const socket of sockets) socket.destroy();
      }),
  };
}
