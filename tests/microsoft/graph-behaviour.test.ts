/* eslint-disable @typescript-eslint/no-explicit-any -- Graph JSON read dynamically. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MicrosoftCloud } from '../../emulators/microsoft';
import { control, graphFetch, graphToken, listAll, startCloud, tenant } from './support';

let cloud: MicrosoftCloud;
let token: string;
const DC = '/beta/deviceManagement/deviceConfigurations';

beforeAll(async () => {
  cloud = await startCloud({ realism: { rateLimit: { enabled: false } } });
  token = await graphToken(cloud, tenant(cloud, 'contoso'));
});
afterAll(async () => {
  await cloud?.stop();
});

const get = (path: string) => graphFetch(cloud, token, 'GET', path);

describe('$expand, $filter and $select', () => {
  it('$expand=assignments works where Graph supports it, on lists and single objects', async () => {
    const list = await get(`${DC}?$expand=assignments`);
    expect(list.status).toBe(200);
    expect(list.body.value.every((p: { assignments: unknown }) => Array.isArray(p.assignments))).toBe(true);
    const assigned = list.body.value.find((p: { assignments: unknown[] }) => p.assignments.length > 0);
    expect(assigned.assignments[0].target['@odata.type']).toMatch(/^#microsoft\.graph\.\w+AssignmentTarget$/);
    const single = await get(`${DC}/${assigned.id}?$expand=assignments`);
    expect(single.body.assignments).toEqual(assigned.assignments);
    const apps = await get('/beta/deviceAppManagement/mobileApps?$expand=assignments&$top=3');
    expect(apps.status).toBe(200);
  });

  it('$expand=assignments is 400 where the type has no assignments', async () => {
    for (const path of [
      '/beta/deviceAppManagement/managedAppPolicies',
      '/beta/deviceManagement/notificationMessageTemplates',
      '/beta/deviceManagement/assignmentFilters',
    ]) {
      const res = await get(`${path}?$expand=assignments`);
      expect(res.status, path).toBe(400);
      expect(res.body.error.message).toMatch(/Could not find a property named 'assignments'/);
    }
  });

  it("filters update rings with isof('microsoft.graph.windowsUpdateForBusinessConfiguration')", async () => {
    const { items: rings } = await listAll(
      cloud,
      token,
      `${DC}?$filter=${encodeURIComponent("isof('microsoft.graph.windowsUpdateForBusinessConfiguration')")}`,
    );
    expect(rings.length).toBeGreaterThan(2);
    expect(
      rings.every((r) => r['@odata.type'] === '#microsoft.graph.windowsUpdateForBusinessConfiguration'),
    ).toBe(true);
    const { items: others } = await listAll(
      cloud,
      token,
      `${DC}?$filter=${encodeURIComponent("not isof('microsoft.graph.windowsUpdateForBusinessConfiguration')")}`,
    );
    const { items: all } = await listAll(cloud, token, DC);
    expect(rings.length + others.length).toBe(all.length);
  });

  it('filters with eq on displayName and id, startswith, and rejects what it cannot parse', async () => {
    const { items: all } = await listAll(cloud, token, DC);
    const target = all[5];
    const byName = await get(
      `${DC}?$filter=${encodeURIComponent(`displayName eq '${target.displayName.replace(/'/g, "''")}'`)}`,
    );
    expect(byName.body.value.map((p: { id: string }) => p.id)).toEqual([target.id]);
    const byId = await get(`${DC}?$filter=${encodeURIComponent(`id eq '${target.id}'`)}`);
    expect(byId.body.value).toHaveLength(1);
    const prefix = await get(
      `${DC}?$filter=${encodeURIComponent("startswith(displayName,'WIN - Update Ring')")}`,
    );
    expect(prefix.body.value.length).toBeGreaterThan(2);
    expect(
      (
        await get(
          `/beta/groups?$filter=${encodeURIComponent("securityEnabled eq true and startswith(displayName,'SG-')")}`,
        )
      ).body.value.length,
    ).toBeGreaterThan(10);
    expect((await get(`${DC}?$filter=${encodeURIComponent('displayName eq')}`)).status).toBe(400);
  });

  it('$select returns only the selected members; unknown members are 400', async () => {
    const res = await get(`${DC}?$select=id,displayName&$top=2`);
    for (const item of res.body.value)
      expect(Object.keys(item).sort()).toEqual(['@odata.type', 'displayName', 'id']);
    expect((await get(`${DC}?$select=nope`)).status).toBe(400);
  });

  it('v1.0 serves only what v1.0 declares; beta-only collections are 400 there', async () => {
    expect((await get('/v1.0/deviceManagement/configurationPolicies')).status).toBe(400);
    expect((await get('/beta/deviceManagement/configurationPolicies')).status).toBe(200);
  });
});

describe('writes', () => {
  it('rejects read-only properties on POST and PATCH with 400', async () => {
    const body = {
      '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
      displayName: 'RO test',
      omaSettings: [],
    };
    const withId = await graphFetch(cloud, token, 'POST', DC, {
      ...body,
      id: 'x',
      createdDateTime: '2024-01-01T00:00:00Z',
    });
    expect(withId.status).toBe(400);
    expect(withId.body.error.message).toMatch(/read-only/);
    const created = await graphFetch(cloud, token, 'POST', DC, body);
    expect(created.status).toBe(201);
    for (const prop of ['version', 'supportsScopeTags', 'lastModifiedDateTime']) {
      const res = await graphFetch(cloud, token, 'PATCH', `${DC}/${created.body.id}`, {
        [prop]: prop === 'supportsScopeTags' ? true : prop === 'version' ? 9 : '2024-01-01T00:00:00Z',
      });
      expect(res.status, prop).toBe(400);
    }
    const ca = await graphFetch(cloud, token, 'POST', '/v1.0/identity/conditionalAccess/policies', {
      displayName: 'x',
      state: 'disabled',
      createdDateTime: '2024-01-01T00:00:00Z',
    });
    expect(ca.status).toBe(400);
  });

  it('rejects members the type does not declare and @odata.type that does not fit', async () => {
    const unknown = await graphFetch(cloud, token, 'POST', DC, {
      '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
      displayName: 'x',
      notAProperty: 1,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('ModelValidationFailure');
    const abstract = await graphFetch(cloud, token, 'POST', DC, { displayName: 'x' });
    expect(abstract.status).toBe(400);
    const wrongType = await graphFetch(cloud, token, 'POST', DC, {
      '@odata.type': '#microsoft.graph.iosStoreApp',
      displayName: 'x',
    });
    expect(wrongType.status).toBe(400);
  });

  it('creates, updates, assigns and deletes, writing audit events that name the app', async () => {
    const created = await graphFetch(cloud, token, 'POST', DC, {
      '@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration',
      displayName: 'WIN - Update Ring - Restored',
      qualityUpdatesDeferralPeriodInDays: 5,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.version).toBe(1);
    const patched = await graphFetch(cloud, token, 'PATCH', `${DC}/${id}`, {
      description: 'patched',
      qualityUpdatesDeferralPeriodInDays: 6,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      description: 'patched',
      qualityUpdatesDeferralPeriodInDays: 6,
      version: 2,
    });
    const groups = (await get('/v1.0/groups?$top=2&$select=id')).body.value as Array<{ id: string }>;
    const assign = await graphFetch(cloud, token, 'POST', `${DC}/${id}/assign`, {
      assignments: [
        { target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: groups[0]!.id } },
        {
          target: {
            '@odata.type': '#microsoft.graph.exclusionGroupAssignmentTarget',
            groupId: groups[1]!.id,
          },
        },
      ],
    });
    expect(assign.status).toBe(200);
    expect(assign.body.value).toHaveLength(2);
    expect(
      (await get(`${DC}/${id}/assignments`)).body.value.map(
        (a: { target: { groupId: string } }) => a.target.groupId,
      ),
    ).toEqual(groups.map((g) => g.id));
    expect((await graphFetch(cloud, token, 'DELETE', `${DC}/${id}`)).status).toBe(204);
    const gone = await get(`${DC}/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('ResourceNotFound');
    const { items: events } = await listAll(
      cloud,
      token,
      `/beta/deviceManagement/auditEvents?$filter=${encodeURIComponent(`activityDateTime gt ${new Date(Date.now() - 60_000).toISOString()}`)}`,
    );
    const mine = events.filter((e) => e.resources[0].resourceId === id);
    expect(mine.map((e) => e.activityOperationType)).toEqual(['Create', 'Patch', 'Assign', 'Delete']);
    expect(mine[0].actor).toMatchObject({
      applicationDisplayName: 'TenantAtlas Operations',
      auditActorType: 'Application',
    });
  });

  it('requires scheduledActionsForRule inline when creating a compliance policy', async () => {
    const path = '/beta/deviceManagement/deviceCompliancePolicies';
    const base = {
      '@odata.type': '#microsoft.graph.windows10CompliancePolicy',
      displayName: 'WIN - Compliance - Restored',
      bitLockerEnabled: true,
    };
    expect((await graphFetch(cloud, token, 'POST', path, base)).status).toBe(400);
    const created = await graphFetch(cloud, token, 'POST', path, {
      ...base,
      scheduledActionsForRule: [
        {
          ruleName: 'PasswordRequired',
          scheduledActionConfigurations: [
            {
              actionType: 'block',
              gracePeriodHours: 0,
              notificationTemplateId: '',
              notificationMessageCCList: [],
            },
          ],
        },
      ],
    });
    expect(created.status).toBe(201);
    const rules = await get(
      `${path}/${created.body.id}/scheduledActionsForRule?$expand=scheduledActionConfigurations`,
    );
    expect(rules.body.value[0].scheduledActionConfigurations[0].actionType).toBe('block');
  });

  it('creates settings catalog policies with settings inline and binds group policy values to definitions', async () => {
    const policy = await graphFetch(cloud, token, 'POST', '/beta/deviceManagement/configurationPolicies', {
      name: 'WIN - Restored settings',
      platforms: 'windows10',
      technologies: 'mdm',
      settings: [
        {
          settingInstance: {
            '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
            settingDefinitionId: 'device_vendor_msft_policy_config_experience_allowcortana',
            choiceSettingValue: {
              value: 'device_vendor_msft_policy_config_experience_allowcortana_0',
              children: [],
            },
          },
        },
      ],
    });
    expect(policy.status).toBe(201);
    expect(
      (await get(`/beta/deviceManagement/configurationPolicies/${policy.body.id}/settings`)).body.value,
    ).toHaveLength(1);

    const definitions = (await get('/beta/deviceManagement/groupPolicyDefinitions?$top=1')).body.value;
    const gp = await graphFetch(cloud, token, 'POST', '/beta/deviceManagement/groupPolicyConfigurations', {
      displayName: 'ADMX - Restored',
    });
    expect(gp.status).toBe(201);
    const value = await graphFetch(
      cloud,
      token,
      'POST',
      `/beta/deviceManagement/groupPolicyConfigurations/${gp.body.id}/definitionValues`,
      {
        enabled: true,
        'definition@odata.bind': `https://graph.microsoft.com/beta/deviceManagement/groupPolicyDefinitions('${definitions[0].id}')`,
      },
    );
    expect(value.status).toBe(201);
    const definition = await get(
      `/beta/deviceManagement/groupPolicyConfigurations/${gp.body.id}/definitionValues/${value.body.id}/definition`,
    );
    expect(definition.body.id).toBe(definitions[0].id);
  });
});

describe('permissions', () => {
  it('an endpoint whose permission the app lacks answers 403; other types keep working', async () => {
    const contoso = tenant(cloud, 'contoso');
    const sp = (
      await get(`/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${contoso.clientId}'`)}`)
    ).body.value[0];
    const roles = async () =>
      (await get(`/v1.0/servicePrincipals/${sp.id}/appRoleAssignments`)).body.value.map(
        (a: { appRoleId: string }) => a.appRoleId,
      );
    const appsRead = '7a6ee1e7-141e-4cec-ae74-d9db155731ff';
    const appsReadWrite = '78145de6-330d-4800-a6ce-494ff2d33d07';
    expect(await roles()).toContain(appsReadWrite);
    await control(
      cloud,
      'DELETE',
      `/tenants/contoso/apps/${contoso.clientId}/permissions/DeviceManagementApps.ReadWrite.All`,
    );
    try {
      const denied = await get('/beta/deviceAppManagement/mobileApps');
      expect(denied.status).toBe(403);
      expect(denied.body.error.code).toBe('Forbidden');
      expect(JSON.parse(denied.body.error.message).Message).toMatch(/DeviceManagementApps.Read.All/);
      expect((await get(DC)).status).toBe(200);
      expect(await roles()).not.toContain(appsReadWrite);
      await control(cloud, 'POST', `/tenants/contoso/apps/${contoso.clientId}/permissions`, {
        permission: 'DeviceManagementApps.Read.All',
      });
      expect((await get('/beta/deviceAppManagement/mobileApps')).status).toBe(200);
      expect(await roles()).toContain(appsRead);
      const createDenied = await graphFetch(cloud, token, 'POST', '/beta/deviceAppManagement/mobileApps', {
        '@odata.type': '#microsoft.graph.webApp',
        displayName: 'x',
        appUrl: 'https://x',
      });
      expect(createDenied.status).toBe(403);
    } finally {
      await control(cloud, 'PUT', `/tenants/contoso/apps/${contoso.clientId}/permissions`, {
        permissions: (
          await control(cloud, 'GET', `/tenants/contoso/apps/${contoso.clientId}/permissions`)
        ).granted.concat('DeviceManagementApps.ReadWrite.All'),
      });
    }
    await control(cloud, 'DELETE', `/tenants/contoso/apps/${contoso.clientId}/permissions/Group.Read.All`);
    const groups = await get('/v1.0/groups');
    expect(groups.status).toBe(403);
    expect(groups.body.error.code).toBe('Authorization_RequestDenied');
    await control(cloud, 'POST', `/tenants/contoso/apps/${contoso.clientId}/permissions`, {
      permission: 'Group.Read.All',
    });
  });

  it("with permissionCheck 'token' a revocation applies to new tokens only, like the real service", async () => {
    const contoso = tenant(cloud, 'contoso');
    await control(cloud, 'PATCH', '/tenants/contoso/realism', { permissionCheck: 'token' });
    const before = await graphToken(cloud, contoso);
    await control(
      cloud,
      'DELETE',
      `/tenants/contoso/apps/${contoso.clientId}/permissions/DeviceManagementServiceConfig.ReadWrite.All`,
    );
    try {
      const path = '/beta/deviceManagement/deviceEnrollmentConfigurations';
      expect((await graphFetch(cloud, before, 'GET', path)).status).toBe(200);
      const after = await graphToken(cloud, contoso);
      expect((await graphFetch(cloud, after, 'GET', path)).status).toBe(403);
    } finally {
      await control(cloud, 'POST', `/tenants/contoso/apps/${contoso.clientId}/permissions`, {
        permission: 'DeviceManagementServiceConfig.ReadWrite.All',
      });
      await control(cloud, 'PATCH', '/tenants/contoso/realism', { permissionCheck: 'live' });
    }
  });

  it('answers 401 without a token or with a token for another audience', async () => {
    const res = await fetch(`${cloud.graphBaseUrl}/v1.0/groups`);
    expect(res.status).toBe(401);
    const user = await cloud.issueUserToken({
      oid: 'o',
      tid: tenant(cloud, 'contoso').entraTenantId,
      name: 'n',
      preferredUsername: 'p',
    });
    expect((await graphFetch(cloud, user, 'GET', '/v1.0/groups')).status).toBe(401);
  });
});

describe('administrator changes and tenants', () => {
  it('simulated administrator changes update objects and write audit events naming the actor', async () => {
    const { changes } = await control(cloud, 'POST', '/tenants/contoso/admin-changes', {
      action: 'update',
      collection: '/deviceManagement/deviceConfigurations',
      count: 2,
      actor: 'adele.vance@contoso.onmicrosoft.com',
      seed: 5,
    });
    expect(changes).toHaveLength(2);
    const changed = await get(`${DC}/${changes[0].id}`);
    expect(changed.body.description).toMatch(/Changed by adele.vance/);
    const { items: events } = await listAll(
      cloud,
      token,
      `/beta/deviceManagement/auditEvents?$filter=${encodeURIComponent(`activityDateTime gt ${new Date(Date.now() - 60_000).toISOString()}`)}`,
    );
    expect(
      events.some(
        (e) =>
          e.actor.userPrincipalName === 'adele.vance@contoso.onmicrosoft.com' &&
          e.resources[0].resourceId === changes[0].id,
      ),
    ).toBe(true);
  });

  it('fabrikam has other group ids and partly the same group names', async () => {
    const fabToken = await graphToken(cloud, tenant(cloud, 'fabrikam'));
    const contosoGroups = (await listAll(cloud, token, '/v1.0/groups')).items;
    const fabrikamGroups = (await listAll(cloud, fabToken, '/v1.0/groups')).items;
    const ids = new Set(contosoGroups.map((g) => g.id));
    expect(fabrikamGroups.some((g) => ids.has(g.id))).toBe(false);
    const names = new Set(contosoGroups.map((g) => g.displayName));
    const shared = fabrikamGroups.filter((g) => names.has(g.displayName)).length;
    expect(shared).toBeGreaterThan(3);
    expect(shared).toBeLessThan(fabrikamGroups.length);
  });

  // How fast it generates is the benchmarks' concern (a timed assertion fails on a busy machine).
  it('generates a 10,000-object tenant deterministically from its seed', async () => {
    const big = await startCloud({ tenants: [{ name: 'bench', generated: { objects: 10_000, seed: 7 } }] });
    try {
      const summary = (await (await fetch(`${big.controlUrl}/tenants/bench`)).json()) as any;
      const total = Object.entries(summary.counts as Record<string, number>)
        .filter(([path]) => path !== '/deviceManagement/auditEvents')
        .reduce((a, [, n]) => a + n, 0);
      expect(total).toBeGreaterThan(9_500);
      expect(total).toBeLessThan(10_600);
      const bigToken = await graphToken(big, big.tenants[0]!);
      const { items, pages } = await listAll(big, bigToken, '/beta/deviceManagement/deviceConfigurations');
      expect(items.length).toBe(summary.counts['/deviceManagement/deviceConfigurations']);
      expect(pages).toBe(Math.ceil(items.length / 1000));
      const again = await startCloud({
        tenants: [{ name: 'bench', generated: { objects: 10_000, seed: 7 } }],
      });
      try {
        const againToken = await graphToken(again, again.tenants[0]!);
        const first = (
          await graphFetch(
            again,
            againToken,
            'GET',
            '/beta/deviceManagement/deviceConfigurations?$top=20&$select=id,displayName',
          )
        ).body.value;
        expect(first).toEqual(
          items
            .slice(0, 20)
            .map((i) => ({ '@odata.type': i['@odata.type'], id: i.id, displayName: i.displayName })),
        );
      } finally {
        await again.stop();
      }
    } finally {
      await big.stop();
    }
  });
});
