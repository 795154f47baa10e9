import {
  BatchRequestContent,
  BatchResponseContent,
  PageIterator,
  type PageCollection,
} from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MicrosoftCloud, RequestLogEntry } from '../../emulators/microsoft';
import { control, graphClient, startCloud, tenant } from './support';

let cloud: MicrosoftCloud;

beforeAll(async () => {
  cloud = await startCloud();
});
afterAll(async () => {
  await cloud?.stop();
});

describe('the real @microsoft/microsoft-graph-client against the simulated Graph', () => {
  it('pages through a collection with PageIterator', async () => {
    const client = graphClient(cloud, tenant(cloud, 'contoso'));
    const first: PageCollection = await client
      .api('/deviceManagement/deviceConfigurations')
      .top(7)
      .select('id,displayName')
      .get();
    expect(first['@odata.nextLink']).toContain('$skiptoken=');
    const ids: string[] = [];
    const iterator = new PageIterator(client, first, (item: { id: string }) => {
      ids.push(item.id);
      return true;
    });
    await iterator.iterate();
    const all = await client.api('/deviceManagement/deviceConfigurations').select('id').get();
    expect(all['@odata.nextLink']).toBeUndefined();
    expect(ids).toEqual(all.value.map((i: { id: string }) => i.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(7 * 3);
  });

  it('pages the settings catalog at 25 per page, like the real service', async () => {
    const client = graphClient(cloud, tenant(cloud, 'contoso'));
    const first = await client.api('/deviceManagement/configurationPolicies').get();
    expect(first.value).toHaveLength(20);
    const fabrikamCount = (
      await graphClient(cloud, tenant(cloud, 'fabrikam')).api('/groups').count(true).top(5).get()
    )['@odata.count'];
    expect(fabrikamCount).toBeGreaterThan(5);
  });

  it('runs a $batch (serial dependsOn chain) with per-request status and 424 after a failed dependency', async () => {
    const client = graphClient(cloud, tenant(cloud, 'contoso'));
    const configs = await client.api('/deviceManagement/deviceConfigurations').top(2).select('id').get();
    const [a, b] = configs.value as Array<{ id: string }>;
    const origin = new URL(cloud.graphBaseUrl).origin;
    const batch = new BatchRequestContent([
      {
        id: '1',
        request: new Request(`${origin}/deviceManagement/deviceConfigurations/${a!.id}?$expand=assignments`, {
          method: 'GET',
        }),
      },
      {
        id: '2',
        request: new Request(`${origin}/deviceManagement/deviceConfigurations/${b!.id}/assignments`, {
          method: 'GET',
        }),
        dependsOn: ['1'],
      },
      {
        id: '3',
        request: new Request(`${origin}/deviceManagement/deviceConfigurations/does-not-exist`, {
          method: 'GET',
        }),
        dependsOn: ['2'],
      },
      {
        id: '4',
        request: new Request(`${origin}/deviceManagement/deviceConfigurations`, { method: 'GET' }),
        dependsOn: ['3'],
      },
    ]);
    const response = new BatchResponseContent(await client.api('/$batch').post(await batch.getContent()));
    expect(response.getResponseById('1').status).toBe(200);
    expect(
      ((await response.getResponseById('1').json()) as { assignments: unknown }).assignments,
    ).toBeInstanceOf(Array);
    expect(response.getResponseById('2').status).toBe(200);
    expect(response.getResponseById('3').status).toBe(404);
    expect(response.getResponseById('4').status).toBe(424);
    const log = await control(cloud, 'GET', '/requests?tenant=contoso');
    const inner = (log.entries as RequestLogEntry[]).filter((e) => e.batchRequestId);
    expect(inner.map((e) => e.endpoint)).toEqual(
      expect.arrayContaining([
        'GET /beta/deviceManagement/deviceConfigurations/{id}',
        'GET /beta/deviceManagement/deviceConfigurations/{id}/assignments',
      ]),
    );
  });

  it('rejects a batch of more than 20 requests', async () => {
    const client = graphClient(cloud, tenant(cloud, 'contoso'));
    const requests = Array.from({ length: 21 }, (_, i) => ({
      id: String(i + 1),
      method: 'GET',
      url: '/groups',
    }));
    await expect(client.api('/$batch').post({ requests })).rejects.toMatchObject({ statusCode: 400 });
  });

  it("the RetryHandler honours the rate limiter's 429 Retry-After", async () => {
    const fabrikam = tenant(cloud, 'fabrikam');
    const client = graphClient(cloud, fabrikam);
    await client.api('/deviceManagement/deviceCategories').get(); // token fetched, limiter untouched so far
    await control(cloud, 'PATCH', '/tenants/fabrikam/realism', {
      rateLimit: { enabled: true, app: { requests: 3, windowSeconds: 2 } },
    });
    const since = (await control(cloud, 'GET', '/requests')).lastSeq as number;
    const results = await Promise.all(
      Array.from({ length: 5 }, () => client.api('/deviceManagement/deviceCategories').get()),
    );
    expect(results.every((r) => Array.isArray(r.value))).toBe(true);
    const entries = (await control(cloud, 'GET', `/requests?tenant=fabrikam&since=${since}`))
      .entries as RequestLogEntry[];
    const throttled = entries.filter((e) => e.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    const retryAfter = throttled[0]!.retryAfterSeconds!;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    const retries = entries.filter((e) => e.retryAttempt !== undefined && e.status === 200);
    expect(retries.length).toBeGreaterThan(0);
    const firstThrottle = Math.min(...throttled.map((e) => e.at));
    expect(Math.min(...retries.map((e) => e.at)) - firstThrottle).toBeGreaterThanOrEqual(
      retryAfter * 1000 - 50,
    );
    expect(entries.filter((e) => e.status === 200)).toHaveLength(5);
    await control(cloud, 'PATCH', '/tenants/fabrikam/realism', {
      rateLimit: { app: { requests: 1000, windowSeconds: 20 } },
    });
  });
});
