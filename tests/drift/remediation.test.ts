import { describe, expect, it } from 'vitest';
import type { GraphObject } from '../../shared/graph';
import { execute, graphOf, ownCloudForFile, preview } from '../restore/support';
import {
  evaluated,
  findings,
  until,
  type FindingView,
  type Tenant,
  generalConfiguration,
  sync,
  goldenAndChecked,
} from './support';

/**
 * Remediation: a restore preview whose source is a baseline's findings plans the golden tenant's
 * expected objects into the drifted tenant (updating the object each finding compared, by name or by
 * pairing; creating a missing one), and executing it resolves exactly those findings once the tenant's
 * inventory has the new versions. Expectations come from what Graph answers an independent client.
 */
const cloud = ownCloudForFile();

/** These tests plant and compare configuration profiles only. */
const syncTypes = (tenant: Tenant) => sync(cloud, tenant, ['deviceConfigurations']);

describe('drift remediation through restore', () => {
  let contoso: Tenant;
  let fabrikam: Tenant;
  let baselineId: string;
  const planted: Record<string, GraphObject> = {};
  let open: FindingView[];
  let previewRun: { id: string; result: { confirmationToken: string } };
  const named = (name: string) => open.find((f) => f.displayName === name)!;

  it('plans the baseline objects behind the chosen findings into the tenant, matched by name or pairing', async () => {
    ({ contoso, fabrikam } = await goldenAndChecked(cloud, 'Remedy', { directory: true }));
    const c = graphOf(cloud, 'contoso');
    const f = graphOf(cloud, 'fabrikam');
    const general = generalConfiguration;
    planted.changedC = await c.create('deviceConfigurations', general('Remedy changed', 8));
    planted.changedF = await f.create('deviceConfigurations', general('Remedy changed', 12));
    planted.pairedC = await c.create('deviceConfigurations', general('Remedy paired', 9));
    planted.pairedF = await f.create('deviceConfigurations', general('Remedy renamed locally', 4));
    planted.missingC = await c.create('deviceConfigurations', general('Remedy missing', 6));
    planted.untouchedC = await c.create('deviceConfigurations', general('Remedy untouched', 7));
    planted.untouchedF = await f.create('deviceConfigurations', general('Remedy untouched', 14));
    await syncTypes(contoso);
    await syncTypes(fabrikam);

    const created = await cloud.api('POST', `/workspaces/${contoso.workspaceId}/baselines`, {
      as: 'mike',
      body: {
        name: 'Remedy standard',
        source: {
          tenantId: contoso.tenantId,
          itemIds: [planted.changedC, planted.pairedC, planted.missingC, planted.untouchedC].map(
            (o) => `deviceConfigurations:${o!.id}`,
          ),
        },
      },
    });
    expect(created.status, created.text).toBe(201);
    baselineId = created.body.id;
    const assigned = await cloud.api(
      'PUT',
      `/workspaces/${contoso.workspaceId}/baselines/${baselineId}/tenants/${fabrikam.tenantId}`,
      {
        as: 'mike',
        body: { pairings: { [`deviceConfigurations:${planted.pairedC!.id}`]: planted.pairedF!.id } },
      },
    );
    expect(assigned.status, assigned.text).toBe(200);
    await evaluated(cloud, contoso.workspaceId, baselineId, fabrikam.tenantId);
    open = await findings(
      cloud,
      contoso.workspaceId,
      `baselineId=${baselineId}&tenantId=${fabrikam.tenantId}`,
    );
    expect(open.map((x) => `${x.displayName}/${x.outcome}`).sort()).toEqual([
      'Remedy changed/different',
      'Remedy missing/missing',
      'Remedy paired/different',
      'Remedy untouched/different',
    ]);

    // Findings of another tenant or unknown ones are not this tenant's to remediate: 404, nothing started.
    const unknown = await cloud.api('POST', `${contoso.base}/operations`, {
      as: 'mike',
      body: {
        type: 'restore.preview',
        source: { baselineId, findingIds: [named('Remedy changed').id] },
      },
    });
    expect(unknown.status, unknown.text).toBe(404);
    const noBaseline = await cloud.api('POST', `${fabrikam.base}/operations`, {
      as: 'mike',
      body: {
        type: 'restore.preview',
        source: { baselineId: 'no-such-baseline', findingIds: [named('Remedy changed').id] },
      },
    });
    expect(noBaseline.status, noBaseline.text).toBe(404);

    const chosen = ['Remedy changed', 'Remedy paired', 'Remedy missing'].map((name) => named(name).id);
    const { run, items } = await preview(cloud, fabrikam, { source: { baselineId, findingIds: chosen } });
    expect(run.result).toMatchObject({ items: 3, create: 1, update: 2, blocked: 0 });
    const byName = new Map(items.map((item) => [item.displayName, item]));
    expect(byName.get('Remedy changed')).toMatchObject({
      action: 'update',
      sourceGraphId: planted.changedC!.id,
      targetGraphId: planted.changedF!.id,
    });
    expect(byName.get('Remedy paired')).toMatchObject({
      action: 'update',
      sourceGraphId: planted.pairedC!.id,
      targetGraphId: planted.pairedF!.id,
    });
    expect(byName.get('Remedy missing')).toMatchObject({ action: 'create', targetGraphId: null });
    expect(byName.has('Remedy untouched')).toBe(false);
    previewRun = run;
  }, 300_000);

  it('executing the plan resolves exactly those findings, with the versions that resolved them', async () => {
    const chosen = ['Remedy changed', 'Remedy paired', 'Remedy missing'].map((name) => named(name).id);
    const executed = await execute(cloud, fabrikam, previewRun);
    expect(executed.outcome, JSON.stringify(executed.failures)).toBe('succeeded');
    expect(executed.result).toMatchObject({ created: 1, updated: 2, failed: 0 });

    // Graph now has the golden values in Fabrikam's objects (the paired one under the baseline's name).
    const now = await graphOf(cloud, 'fabrikam').list('deviceConfigurations');
    const byId = new Map(now.map((o) => [String(o.id), o]));
    expect(byId.get(String(planted.changedF!.id))).toMatchObject({ passwordMinimumLength: 8 });
    expect(byId.get(String(planted.pairedF!.id))).toMatchObject({
      displayName: 'Remedy paired',
      passwordMinimumLength: 9,
    });
    expect(now.filter((o) => o.displayName === 'Remedy missing')).toEqual([
      expect.objectContaining({ passwordMinimumLength: 6 }),
    ]);
    expect(byId.get(String(planted.untouchedF!.id))).toMatchObject({ passwordMinimumLength: 14 });

    await syncTypes(fabrikam);
    const all = await until(async () => {
      const list = await findings(
        cloud,
        contoso.workspaceId,
        `baselineId=${baselineId}&tenantId=${fabrikam.tenantId}&state=all`,
      );
      return list.filter((x) => chosen.includes(x.id)).every((x) => x.state === 'resolved')
        ? list
        : undefined;
    }, 'the resolutions');
    for (const finding of all.filter((x) => chosen.includes(x.id))) {
      expect(finding.outcome).toBe('matching');
      const item = await cloud.api(
        'GET',
        `${fabrikam.base}/inventory/${encodeURIComponent(finding.tenantItemId!)}`,
        { as: 'rita' },
      );
      expect(item.status, item.text).toBe(200);
      expect(finding.resolvedByVersion).toBe(item.body.currentVersionId);
    }
    expect(all.find((x) => x.displayName === 'Remedy untouched')).toMatchObject({ state: 'open' });
  }, 300_000);

  it('refuses to remediate an extra: it has no expected object, and restore never deletes', async () => {
    const patched = await cloud.api('PATCH', `/workspaces/${contoso.workspaceId}/baselines/${baselineId}`, {
      as: 'mike',
      body: { reportExtras: true },
    });
    expect(patched.status, patched.text).toBe(200);
    await evaluated(cloud, contoso.workspaceId, baselineId, fabrikam.tenantId);
    const extra = (
      await findings(cloud, contoso.workspaceId, `baselineId=${baselineId}&tenantId=${fabrikam.tenantId}`)
    ).find((x) => x.outcome === 'extra')!;
    expect(extra).toBeDefined();
    const refused = await cloud.api('POST', `${fabrikam.base}/operations`, {
      as: 'mike',
      body: { type: 'restore.preview', source: { baselineId, findingIds: [extra.id] } },
    });
    expect(refused.status, refused.text).toBe(400);
    expect(refused.body).toMatchObject({ code: 'validation_failed' });
  }, 120_000);
});
