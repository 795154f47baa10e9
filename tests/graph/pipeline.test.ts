import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MicrosoftCloud, SimulatedTenantInfo } from '../../emulators/microsoft';
import {
  getContract,
  GraphRequestError,
  listRequest,
  subResourceRequest,
  TenantLimiters,
  type GraphClient,
  type GraphObject,
} from '../../shared/graph';
import {
  CapturingLogger,
  certificateConnection,
  control,
  factoryFor,
  lastSeq,
  requestLog,
  secretConnection,
  simulatedTenant,
  startCloud,
  type LoggedRequest,
} from './support/cloud';

const configurationPolicies = getContract('configurationPolicies');
const deviceConfigurations = getContract('deviceConfigurations');
const POLICY_ENDPOINT = 'GET /beta/deviceManagement/configurationPolicies';
const NO_FAULTS = { rate429: 0, rate503: 0, rate504: 0, resetRate: 0 };

let cloud: MicrosoftCloud;
let contoso: SimulatedTenantInfo;
const logger = new CapturingLogger();
const consoleOutput: string[] = [];

async function realism(patch: Record<string, unknown>): Promise<void> {
  await control(cloud, 'PATCH', '/tenants/contoso/realism', patch);
}

/** The simulator's own view of a collection, read with plain fetch while no faults are injected. */
async function simulatorIds(path: string): Promise<string[]> {
  const client = factoryFor(cloud, logger).forConnection(secretConnection(contoso));
  const spec = getContract(path);
  const ids: string[] = [];
  for await (const item of client.listAll(spec, { select: ['id'], withAssignments: false }))
    ids.push(String(item.id));
  return ids;
}

async function collect(items: AsyncIterable<GraphObject>): Promise<GraphObject[]> {
  const all: GraphObject[] = [];
  for await (const item of items) all.push(item);
  return all;
}

async function failure(promise: Promise<unknown>): Promise<GraphRequestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphRequestError);
  return error as GraphRequestError;
}

beforeAll(async () => {
  for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      consoleOutput.push(args.map(String).join(' '));
    });
  }
  cloud = await startCloud([{ name: 'contoso' }]);
  contoso = simulatedTenant(cloud, 'contoso');
  // 2,000 more settings catalog policies (copies of the seeded ones): 80+ pages of 25.
  await control(cloud, 'POST', '/tenants/contoso/admin-changes', {
    action: 'create',
    collection: '/deviceManagement/configurationPolicies',
    count: 2000,
    seed: 5,
  });
  await realism({ rateLimit: { enabled: false } });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await cloud?.stop();
});

describe('Graph client pipeline against the simulated Microsoft cloud', () => {
  it('reads every page of a 2,000-object collection exactly once under 20% injected 429s', async () => {
    const expected = await simulatorIds('configurationPolicies');
    expect(expected.length).toBeGreaterThanOrEqual(2000);
    await realism({ faults: { ...NO_FAULTS, rate429: 0.2, retryAfterSeconds: 0, seed: 42 } });
    const since = await lastSeq(cloud);
    const client = factoryFor(cloud, logger).forConnection(secretConnection(contoso));

    let pages = 0;
    const ids: string[] = [];
    for await (const page of client.listPages(configurationPolicies, {
      correlation: { runId: 'run-429', tenantId: 't-1' },
    })) {
      pages++;
      for (const item of page.items) {
        ids.push(String(item.id));
        expect(Array.isArray(item.assignments)).toBe(true);
      }
    }
    await realism({ faults: NO_FAULTS });

    expect(ids.length).toBe(expected.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...expected].sort());

    const log = (await requestLog(cloud, 'contoso', since)).filter(
      (entry) => entry.endpoint === POLICY_ENDPOINT,
    );
    const throttled = log.filter((entry) => entry.status === 429);
    const retried = log.filter((entry) => (entry.retryAttempt ?? 0) > 0);
    expect(pages).toBeGreaterThanOrEqual(80);
    // Each page answered 200 exactly once; every 429 was followed by a retry of that page.
    expect(log.filter((entry) => entry.status === 200)).toHaveLength(pages);
    expect(throttled.length).toBeGreaterThan(5);
    expect(retried).toHaveLength(throttled.length);
    expect(log).toHaveLength(pages + throttled.length);
    expect(logger.lines.some((line) => line.fields.runId === 'run-429' && line.fields.status === 429)).toBe(
      true,
    );
  });

  it('survives 503, 504 and connection resets on reads', async () => {
    const expected = await simulatorIds('deviceConfigurations');
    await realism({
      faults: { ...NO_FAULTS, rate503: 0.1, rate504: 0.1, resetRate: 0.1, retryAfterSeconds: 0, seed: 7 },
    });
    const since = await lastSeq(cloud);
    const client = factoryFor(cloud, logger).forConnection(secretConnection(contoso));
    const items = await collect(client.listAll(deviceConfigurations, { top: 2 }));
    await realism({ faults: NO_FAULTS });

    expect(items.map((item) => item.id).sort()).toEqual([...expected].sort());
    const faults = new Set(
      (await requestLog(cloud, 'contoso', since)).map((entry) => entry.fault).filter(Boolean),
    );
    expect(faults).toEqual(new Set(['503', '504', 'reset']));
    expect(logger.lines.some((line) => line.message === 'graph request failed without a response')).toBe(
      true,
    );
  });

  it('packs 45 requests into $batch calls of at most 20 and retries the throttled ones until all 45 succeed', async () => {
    const client = factoryFor(cloud, logger).forConnection(secretConnection(contoso));
    const ids = (await simulatorIds('configurationPolicies')).slice(0, 45);
    await realism({ faults: { ...NO_FAULTS, rate429: 0.2, retryAfterSeconds: 0, seed: 9 } });
    const since = await lastSeq(cloud);
    const results = await client.batch(
      ids.map((id) => subResourceRequest(configurationPolicies, id, 'settings')),
    );
    await realism({ faults: NO_FAULTS });

    expect(results).toHaveLength(45);
    expect(results.filter((result) => !result.ok)).toEqual([]);
    for (const result of results)
      expect(result.ok && Array.isArray((result.body as { value?: unknown }).value)).toBe(true);

    const log = await requestLog(cloud, 'contoso', since);
    const envelopes = log.filter((entry) => entry.endpoint === 'POST /beta/$batch');
    const inner = log.filter((entry) => entry.batchRequestId);
    const innerThrottled = inner.filter((entry) => entry.status === 429);
    expect(innerThrottled.length).toBeGreaterThan(0);
    expect(inner.filter((entry) => entry.status === 200)).toHaveLength(45);
    expect(envelopes.filter((entry) => entry.status === 200).length).toBeGreaterThan(3);
    expect(countPerBatch(inner).every((size) => size <= 20)).toBe(true);
  });

  it('continues a collection whose first page came from a $batch, and follows next links only on the configured Graph', async () => {
    const client = factoryFor(cloud, logger).forConnection(secretConnection(contoso));
    const mobileApps = getContract('mobileApps');
    const [first] = await client.batch([listRequest(mobileApps, { top: 7, select: ['id'] })]);
    expect(first?.ok).toBe(true);
    const body = (first as { body: { value: GraphObject[]; '@odata.nextLink': string } }).body;
    const ids = body.value.map((item) => item.id);
    for await (const page of client.continuePages(body['@odata.nextLink'], mobileApps.key)) {
      ids.push(...page.items.map((item) => item.id));
    }
    expect([...ids].sort()).toEqual((await simulatorIds('mobileApps')).sort());

    const since = await lastSeq(cloud);
    const elsewhere = client.continuePages(
      'https://attacker.example/beta/deviceManagement/deviceConfigurations',
      'x',
    );
    const error = await failure(elsewhere.next());
    expect(error.reasonCode).toBe('graph_error');
    expect(await requestLog(cloud, 'contoso', since)).toEqual([]);
  });

  it('honours Retry-After from the rate limiter (a throttled request waits, then succeeds)', async () => {
    const [id] = await simulatorIds('deviceConfigurations');
    await realism({ rateLimit: { enabled: true, app: { requests: 2, windowSeconds: 1 } } });
    try {
      const client = factoryFor(cloud, logger, { GRAPH_MAX_RETRY_DELAY_MS: '5000' }).forConnection(
        secretConnection(contoso),
      );
      const since = await lastSeq(cloud);
      const started = Date.now();
      const objects = await Promise.all([1, 2, 3].map(() => client.getById(deviceConfigurations, id!)));
      const elapsed = Date.now() - started;
      expect(objects.map((object) => object.id)).toEqual([id, id, id]);
      const throttled = (await requestLog(cloud, 'contoso', since)).filter((entry) => entry.throttled);
      expect(throttled.length).toBeGreaterThan(0);
      expect(elapsed).toBeGreaterThanOrEqual(900);
    } finally {
      await realism({ rateLimit: { enabled: false } });
    }
  });

  it('gives up after the configured retries: graph_throttled for 429, graph_unavailable for 503 and no answer', async () => {
    const client = factoryFor(cloud, logger, { GRAPH_MAX_RETRIES: '2' }).forConnection(
      secretConnection(contoso),
    );
    try {
      await realism({ faults: { ...NO_FAULTS, rate429: 1, retryAfterSeconds: 0 } });
      const throttled = await failure(client.getById(deviceConfigurations, 'any'));
      expect([throttled.reasonCode, throttled.status, throttled.retryable]).toEqual([
        'graph_throttled',
        429,
        true,
      ]);
      await realism({ faults: { ...NO_FAULTS, rate503: 1, retryAfterSeconds: 0 } });
      const unavailable = await failure(client.getById(deviceConfigurations, 'any'));
      expect([unavailable.reasonCode, unavailable.status, unavailable.retryable]).toEqual([
        'graph_unavailable',
        503,
        true,
      ]);
      await realism({ faults: { ...NO_FAULTS, resetRate: 1 } });
      const reset = await failure(client.getById(deviceConfigurations, 'any'));
      expect([reset.reasonCode, reset.status, reset.retryable]).toEqual([
        'graph_unavailable',
        undefined,
        true,
      ]);
    } finally {
      await realism({ faults: NO_FAULTS });
    }
  });

  it('reads with a certificate credential as with a secret', async () => {
    const client = factoryFor(cloud, logger).forConnection(certificateConnection(contoso));
    const first = await client.listPages(deviceConfigurations).next();
    expect(first.value?.items.length).toBeGreaterThan(0);
  });

  it('maps a wrong secret to provider_auth_failed without echoing it', async () => {
    const wrong = 'Wr0ng~' + 'x'.repeat(34);
    const client = factoryFor(cloud, logger).forConnection(secretConnection(contoso, wrong));
    const error = await failure(client.getById(deviceConfigurations, 'any'));
    expect(error.reasonCode).toBe('provider_auth_failed');
    expect(error.retryable).toBe(false);
    expect(error.graphCode).toBe('AADSTS7000215');
    expect(error.message).not.toContain(wrong);
  });

  it('maps an expired secret to provider_auth_failed', async () => {
    await control(cloud, 'PATCH', `/tenants/contoso/apps/${contoso.clientId}/secrets`, {
      expiresAt: new Date(Date.now() - 60_000).toISOString(),
    });
    try {
      const client = factoryFor(cloud, logger).forConnection({
        ...secretConnection(contoso),
        connectionId: 'expired',
      });
      const error = await failure(client.getById(deviceConfigurations, 'any'));
      expect(error.reasonCode).toBe('provider_auth_failed');
      expect(error.graphCode).toBe('AADSTS7000222');
    } finally {
      await control(cloud, 'PATCH', `/tenants/contoso/apps/${contoso.clientId}/secrets`, {
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
    }
  });

  it('maps a revoked permission to provider_permission_denied', async () => {
    const permissions = `/tenants/contoso/apps/${contoso.clientId}/permissions`;
    const { granted } = await control<{ granted: string[] }>(cloud, 'GET', permissions);
    await control(
      cloud,
      'DELETE',
      `${permissions}/${encodeURIComponent('DeviceManagementConfiguration.ReadWrite.All')}`,
    );
    try {
      const client = factoryFor(cloud, logger).forConnection(secretConnection(contoso));
      const error = await failure(collect(client.listAll(configurationPolicies)));
      expect(error.reasonCode).toBe('provider_permission_denied');
      expect(error.status).toBe(403);
      expect(error.retryable).toBe(false);
      expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
      // Other types keep working: one missing permission must not fail the rest of an inventory.
      const apps = await client.listPages(getContract('mobileApps')).next();
      expect(apps.value?.items.length).toBeGreaterThan(0);
    } finally {
      await control(cloud, 'PUT', permissions, { permissions: granted });
    }
  });

  it('maps a missing object to graph_error 404', async () => {
    const client = factoryFor(cloud, logger).forConnection(secretConnection(contoso));
    const error = await failure(client.getById(deviceConfigurations, '00000000-0000-0000-0000-000000000000'));
    expect(error.reasonCode).toBe('graph_error');
    expect(error.status).toBe(404);
  });

  it('keeps the requests of one Entra tenant within its concurrency limit, across clients', async () => {
    await realism({ latency: { fixedMs: 40, jitterMs: 0 } });
    try {
      const limiters = new TenantLimiters(2);
      const factory = factoryFor(cloud, logger, {}, { limiters });
      const clients: GraphClient[] = [
        factory.forConnection(secretConnection(contoso)),
        factory.forConnection(certificateConnection(contoso)),
      ];
      const limiter = limiters.forTenant(contoso.entraTenantId);
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, limiter.inFlight)), 2);
      const ids = (await simulatorIds('deviceConfigurations')).slice(0, 12);
      await Promise.all(ids.map((id, i) => clients[i % 2]!.getById(deviceConfigurations, id)));
      clearInterval(sampler);
      expect(peak).toBe(2);
    } finally {
      await realism({ latency: { fixedMs: 0, jitterMs: 0 } });
    }
  });

  it('never writes a token, secret or private key to the logs', () => {
    expect(logger.lines.length).toBeGreaterThan(100);
    const everything = JSON.stringify(logger.lines) + consoleOutput.join('\n');
    const certificate = certificateConnection(contoso).credential;
    expect(everything).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    expect(everything).not.toMatch(/bearer/i);
    expect(everything).not.toContain(contoso.clientSecret);
    if (certificate.kind === 'certificate') {
      expect(everything).not.toContain('PRIVATE KEY');
      expect(everything).not.toContain(certificate.privateKeyPem.split('\n')[1]);
    }
    const fields = new Set(logger.lines.flatMap((line) => Object.keys(line.fields)));
    expect(fields).toEqual(
      new Set([
        'method',
        'path',
        'contract',
        'attempt',
        'clientRequestId',
        'runId',
        'tenantId',
        'entraTenantId',
        'connectionId',
        'status',
        'durationMs',
        'requestId',
        'retryAfter',
        'failure',
        'retried',
        'of',
        'retry',
        'delayMs',
        'throttled',
      ]),
    );
  });
});

function countPerBatch(inner: LoggedRequest[]): number[] {
  const sizes = new Map<string, number>();
  for (const entry of inner) sizes.set(entry.batchRequestId!, (sizes.get(entry.batchRequestId!) ?? 0) + 1);
  return [...sizes.values()];
}
