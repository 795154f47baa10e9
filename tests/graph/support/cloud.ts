import {
  startMicrosoftCloud,
  type MicrosoftCloud,
  type SimulatedTenantInfo,
  type TenantSpec,
} from '../../../emulators/microsoft';
import { localCaDir } from '../../../emulators/paths';
import { ensureLocalCa } from '../../../emulators/tls/local-ca';
import {
  createGraphClientFactory,
  graphSettingsSchema,
  type GraphClientFactoryOptions,
  type GraphConnection,
  type GraphLogFields,
  type GraphLogger,
  type GraphSettings,
} from '../../../shared/graph';

const API_APP_ID = '5f0c2d7a-3b1e-4c8d-9a6f-0e2b4d6c8a1f';

/** The simulated Microsoft cloud on an ephemeral port, trusted through the checkout's local CA. */
export function startCloud(tenants: TenantSpec[]): Promise<MicrosoftCloud> {
  if (!process.env.NODE_EXTRA_CA_CERTS) {
    throw new Error('Run the tests through emulators/cli/with-local-ca.ts so Node trusts the local CA.');
  }
  return startMicrosoftCloud({
    port: 0,
    tls: ensureLocalCa(localCaDir()).server,
    apiAppId: API_APP_ID,
    tenants,
    seed: 11,
  });
}

export function simulatedTenant(cloud: MicrosoftCloud, name: string): SimulatedTenantInfo {
  const found = cloud.tenants.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no simulated tenant ${name}`);
  return found;
}

/** The control API of the simulator (realism, permissions, administrator changes, request log). */
export async function control<T = unknown>(
  cloud: MicrosoftCloud,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${cloud.controlUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 400) throw new Error(`control ${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface LoggedRequest {
  seq: number;
  at: number;
  durationMs: number;
  endpoint: string;
  status: number;
  fault?: string;
  throttled?: boolean;
  retryAttempt?: number;
  clientRequestId?: string;
  batchRequestId?: string;
}

export async function requestLog(
  cloud: MicrosoftCloud,
  tenant: string,
  since: number,
): Promise<LoggedRequest[]> {
  const log = await control<{ entries: LoggedRequest[] }>(
    cloud,
    'GET',
    `/requests?tenant=${tenant}&since=${since}`,
  );
  return log.entries;
}

export async function lastSeq(cloud: MicrosoftCloud): Promise<number> {
  return (await control<{ lastSeq: number }>(cloud, 'GET', '/requests?since=999999999')).lastSeq;
}

/** Every line the pipeline logged, kept for the secrecy check. */
export class CapturingLogger implements GraphLogger {
  readonly lines: Array<{ level: string; message: string; fields: GraphLogFields }> = [];
  debug = (message: string, fields: GraphLogFields) => this.lines.push({ level: 'debug', message, fields });
  info = (message: string, fields: GraphLogFields) => this.lines.push({ level: 'info', message, fields });
  warn = (message: string, fields: GraphLogFields) => this.lines.push({ level: 'warn', message, fields });
  error = (message: string, fields: GraphLogFields) => this.lines.push({ level: 'error', message, fields });
}

export function testSettings(cloud: MicrosoftCloud, overrides: Record<string, string> = {}): GraphSettings {
  return graphSettingsSchema.parse({
    GRAPH_BASE_URL: cloud.graphBaseUrl,
    GRAPH_AUTHORITY_HOST: cloud.authorityHost,
    GRAPH_MAX_RETRY_DELAY_MS: '50',
    ...overrides,
  });
}

export function factoryFor(
  cloud: MicrosoftCloud,
  logger: GraphLogger,
  overrides: Record<string, string> = {},
  extra: Partial<GraphClientFactoryOptions> = {},
) {
  return createGraphClientFactory({ settings: testSettings(cloud, overrides), logger, ...extra });
}

export function secretConnection(tenant: SimulatedTenantInfo, secret = tenant.clientSecret): GraphConnection {
  return {
    connectionId: `conn-secret-${tenant.name}-${secret.slice(0, 3)}`,
    entraTenantId: tenant.entraTenantId,
    clientId: tenant.clientId,
    credential: { kind: 'secret', secret },
  };
}

/** The simulator hands out one PEM with key and certificate; connections store them apart. */
export function certificateConnection(tenant: SimulatedTenantInfo): GraphConnection {
  const pem = tenant.certificate?.pem ?? '';
  const block = (label: RegExp) =>
    pem.match(new RegExp(`-----BEGIN ${label.source}-----[\\s\\S]+?-----END ${label.source}-----`))?.[0] ??
    '';
  return {
    connectionId: `conn-cert-${tenant.name}`,
    entraTenantId: tenant.entraTenantId,
    clientId: tenant.clientId,
    credential: {
      kind: 'certificate',
      certificatePem: block(/CERTIFICATE/),
      privateKeyPem: block(/(?:RSA )?PRIVATE KEY/),
    },
  };
}
