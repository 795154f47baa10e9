import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EndpointCount, MicrosoftCloud, RequestLogEntry } from '../../emulators/microsoft';
import { control, graphFetch, graphToken, startCloud, tenant } from './support';

let cloud: MicrosoftCloud;
let token: string;

beforeAll(async () => {
  cloud = await startCloud({ realism: { rateLimit: { enabled: false } } });
  token = await graphToken(cloud, tenant(cloud, 'contoso'));
});
afterAll(async () => {
  await cloud?.stop();
});
beforeEach(async () => {
  await control(cloud, 'PATCH', '/tenants/contoso/realism', {
    faults: { rate429: 0, rate503: 0, rate504: 0, resetRate: 0, lostResponses: [] },
    latency: { fixedMs: 0, jitterMs: 0 },
  });
  await control(cloud, 'DELETE', '/requests');
});

/** Sends `n` sequential GETs; returns each outcome (status, or 'reset' when the connection was dropped). */
async function burst(
  n: number,
  path = '/beta/deviceManagement/deviceCategories',
): Promise<Array<number | 'reset'>> {
  const out: Array<number | 'reset'> = [];
  for (let i = 0; i < n; i++) {
    try {
      const res = await fetch(`${cloud.graphBaseUrl}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await res.arrayBuffer();
      out.push(res.status);
    } catch {
      out.push('reset');
    }
  }
  return out;
}

const count = (xs: Array<number | 'reset'>, v: number | 'reset') => xs.filter((x) => x === v).length;

describe('fault injection and the request log', () => {
  it('injects 429 / 503 / 504 at the configured rates, reproducibly for a fixed seed', async () => {
    const n = 600;
    const faults = { rate429: 0.05, rate503: 0.1, rate504: 0.05, retryAfterSeconds: 2, seed: 4242 };
    await control(cloud, 'PATCH', '/tenants/contoso/realism?reseed=true', { faults });
    const first = await burst(n);
    // Within 4 standard deviations of the binomial expectation.
    for (const [status, p] of [
      [429, 0.05],
      [503, 0.1],
      [504, 0.05],
    ] as const) {
      const tolerance = 4 * Math.sqrt(n * p * (1 - p));
      expect(Math.abs(count(first, status) - n * p), `status ${status}`).toBeLessThanOrEqual(tolerance);
    }
    expect(count(first, 200)).toBe(n - count(first, 429) - count(first, 503) - count(first, 504));
    await control(cloud, 'PATCH', '/tenants/contoso/realism?reseed=true', { faults });
    expect(await burst(n)).toEqual(first);
  });

  it('injected 429 and 503 carry Retry-After and a Graph error body', async () => {
    await control(cloud, 'PATCH', '/tenants/contoso/realism?reseed=true', {
      faults: { rate429: 1, retryAfterSeconds: 3, seed: 1 },
    });
    const res = await graphFetch(cloud, token, 'GET', '/beta/deviceManagement/deviceConfigurations');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.body.error).toMatchObject({ code: 'TooManyRequests' });
    expect(Object.keys(res.body.error.innerError)).toEqual(['date', 'request-id', 'client-request-id']);
  });

  it('drops connections at the configured reset rate and logs each one', async () => {
    await control(cloud, 'PATCH', '/tenants/contoso/realism?reseed=true', {
      faults: { resetRate: 0.1, seed: 99 },
    });
    const outcomes = await burst(300);
    const resets = count(outcomes, 'reset');
    expect(Math.abs(resets - 30)).toBeLessThanOrEqual(4 * Math.sqrt(300 * 0.1 * 0.9));
    const log = await control(cloud, 'GET', '/requests?tenant=contoso');
    expect((log.entries as RequestLogEntry[]).filter((e) => e.fault === 'reset')).toHaveLength(resets);
  });

  it('counts requests per endpoint exactly as they were sent', async () => {
    const configs = (
      await graphFetch(cloud, token, 'GET', '/beta/deviceManagement/deviceConfigurations?$top=3')
    ).body.value as Array<{ id: string }>;
    for (let i = 0; i < 10; i++)
      await graphFetch(
        cloud,
        token,
        'GET',
        `/beta/deviceManagement/deviceConfigurations/${configs[i % 3]!.id}`,
      );
    for (let i = 0; i < 4; i++)
      await graphFetch(
        cloud,
        token,
        'GET',
        `/v1.0/deviceManagement/deviceConfigurations/${configs[0]!.id}/assignments`,
      );
    await graphFetch(cloud, token, 'GET', '/beta/deviceManagement/deviceConfigurations/not-a-real-id');
    const { counts } = (await control(cloud, 'GET', '/requests/counts?tenant=contoso')) as {
      counts: EndpointCount[];
    };
    const byEndpoint = Object.fromEntries(counts.map((c) => [c.endpoint, c]));
    expect(byEndpoint['GET /beta/deviceManagement/deviceConfigurations']?.total).toBe(1);
    expect(byEndpoint['GET /beta/deviceManagement/deviceConfigurations/{id}']).toMatchObject({
      total: 11,
      byStatus: { 200: 10, 404: 1 },
    });
    expect(byEndpoint['GET /v1.0/deviceManagement/deviceConfigurations/{id}/assignments']?.total).toBe(4);
    expect(counts.reduce((a, c) => a + c.total, 0)).toBe(16);
  });

  it('adds the configured latency', async () => {
    await control(cloud, 'PATCH', '/tenants/contoso/realism', { latency: { fixedMs: 40, jitterMs: 10 } });
    const started = Date.now();
    await burst(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    const entries = (await control(cloud, 'GET', '/requests?tenant=contoso')).entries as RequestLogEntry[];
    expect(entries).toHaveLength(5);
    for (const e of entries) expect(e.durationMs).toBeGreaterThanOrEqual(40);
  });

  it('rate limits per app with a Retry-After computed from the token bucket', async () => {
    await control(cloud, 'PATCH', '/tenants/contoso/realism', {
      rateLimit: {
        enabled: true,
        tenant: { requests: 100, windowSeconds: 20 },
        app: { requests: 10, windowSeconds: 20 },
      },
    });
    try {
      const outcomes = await burst(12);
      expect(count(outcomes, 200)).toBe(10);
      expect(count(outcomes, 429)).toBe(2);
      const throttled = await graphFetch(cloud, token, 'GET', '/beta/deviceManagement/deviceCategories');
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get('retry-after'))).toBe(2);
      expect(JSON.parse(throttled.body.error.message)).toMatchObject({ _version: 3, RetryAfter: 2 });
    } finally {
      await control(cloud, 'PATCH', '/tenants/contoso/realism', { rateLimit: { enabled: false } });
    }
  });

  it('limits per tenant (all apps) and per app separately', async () => {
    const second = await control(cloud, 'POST', '/tenants/contoso/apps', {
      displayName: 'Second reader',
      permissions: ['DeviceManagementServiceConfig.Read.All', 'DeviceManagementManagedDevices.Read.All'],
    });
    const contoso = tenant(cloud, 'contoso');
    const secondToken = await graphToken(cloud, {
      ...contoso,
      clientId: second.clientId,
      clientSecret: second.clientSecret,
    });
    const sp = await graphFetch(
      cloud,
      token,
      'GET',
      `/v1.0/servicePrincipals(appId='${second.clientId}')/appRoleAssignments`,
    );
    expect(sp.body.value).toHaveLength(2);
    await control(cloud, 'PATCH', '/tenants/contoso/realism', {
      rateLimit: {
        enabled: true,
        tenant: { requests: 6, windowSeconds: 60 },
        app: { requests: 4, windowSeconds: 60 },
      },
    });
    try {
      const first = await burst(5);
      expect(first.map(String)).toEqual(['200', '200', '200', '200', '429']);
      const other: number[] = [];
      for (let i = 0; i < 3; i++) {
        other.push(
          (await graphFetch(cloud, secondToken, 'GET', '/beta/deviceManagement/deviceCategories')).status,
        );
      }
      expect(other).toEqual([200, 200, 429]);
    } finally {
      await control(cloud, 'PATCH', '/tenants/contoso/realism', { rateLimit: { enabled: false } });
    }
  });
});

describe('lost responses: the write happens, its answer does not arrive', () => {
  const DC = '/beta/deviceManagement/deviceConfigurations';
  const profile = (displayName: string) => ({
    '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
    displayName,
    omaSettings: [],
  });
  const named = async (displayName: string) =>
    (
      await graphFetch(
        cloud,
        token,
        'GET',
        `${DC}?$filter=${encodeURIComponent(`displayName eq '${displayName}'`)}`,
      )
    ).body.value as Array<{ id: string; description?: string }>;

  it('answers 504 after the create was applied; a retry that looks first finds the one object', async () => {
    await control(cloud, 'PATCH', '/tenants/contoso/realism', {
      faults: {
        lostResponses: [{ method: 'POST', pathPattern: '^/beta/deviceManagement/deviceConfigurations$' }],
      },
    });
    const name = 'Lost answer 504';
    const first = await graphFetch(cloud, token, 'POST', DC, profile(name));
    expect(first.status).toBe(504);
    expect(first.body.error.code).toBe('GatewayTimeout');
    // The retry rule: find what the first attempt made before creating again.
    const found = await named(name);
    expect(found).toHaveLength(1);
    // The rule fired once (times defaults to 1): the next create is answered.
    const realism = await control(cloud, 'GET', '/tenants/contoso/realism');
    expect(realism.faults.lostResponses).toEqual([
      {
        method: 'POST',
        pathPattern: '^/beta/deviceManagement/deviceConfigurations$',
        times: 0,
        answer: '504',
      },
    ]);
    expect((await graphFetch(cloud, token, 'POST', DC, profile('Answered'))).status).toBe(201);
    const entries = (await control(cloud, 'GET', '/requests?tenant=contoso')).entries as RequestLogEntry[];
    const posts = entries.filter((e) => e.method === 'POST');
    expect(posts.map((e) => [e.status, e.responseLost ?? false])).toEqual([
      [504, true],
      [201, false],
    ]);
  });

  it('drops the connection after a PATCH was applied, and answers 504 for a lost write inside $batch', async () => {
    const created = await graphFetch(cloud, token, 'POST', DC, profile('Lost answer reset'));
    expect(created.status).toBe(201);
    await control(cloud, 'PATCH', '/tenants/contoso/realism', {
      faults: {
        lostResponses: [
          {
            method: 'PATCH',
            pathPattern: '^/beta/deviceManagement/deviceConfigurations/[^/]+$',
            answer: 'reset',
            times: 2,
          },
        ],
      },
    });
    await expect(
      fetch(`${cloud.graphBaseUrl}${DC}/${created.body.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
          description: 'first',
        }),
      }),
    ).rejects.toThrow();
    expect((await named('Lost answer reset'))[0]?.description).toBe('first');

    const batch = await graphFetch(cloud, token, 'POST', '/beta/$batch', {
      requests: [
        {
          id: '1',
          method: 'PATCH',
          url: `/deviceManagement/deviceConfigurations/${created.body.id}`,
          headers: { 'content-type': 'application/json' },
          body: { '@odata.type': '#microsoft.graph.windows10CustomConfiguration', description: 'second' },
        },
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.body.responses[0].status).toBe(504);
    expect((await named('Lost answer reset'))[0]?.description).toBe('second');
    // A refused write is not a lost answer: the rule only fires once Graph applied the write.
    await control(cloud, 'PATCH', '/tenants/contoso/realism', {
      faults: { lostResponses: [{ method: 'POST', pathPattern: 'deviceConfigurations$' }] },
    });
    expect((await graphFetch(cloud, token, 'POST', DC, { displayName: 'abstract type' })).status).toBe(400);
    expect((await control(cloud, 'GET', '/tenants/contoso/realism')).faults.lostResponses[0].times).toBe(1);
  });

  it('refuses a rule whose path pattern is not a regular expression', async () => {
    await expect(
      control(cloud, 'PATCH', '/tenants/contoso/realism', {
        faults: { lostResponses: [{ method: 'POST', pathPattern: '(' }] },
      }),
    ).rejects.toThrow(/400/);
  });
});
