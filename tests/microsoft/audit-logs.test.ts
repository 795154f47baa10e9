import { describe, expect, it } from 'vitest';
import { contosoCloud, control, graphFetch, listAll, tenant } from './support';

const state = contosoCloud();
const since = (ms: number) => new Date(Date.now() - ms).toISOString();
const recent = (from: string) =>
  encodeURIComponent(`activityDateTime ge ${from} and activityOperationType ne 'Get'`);

describe('audit logs of the simulated cloud', () => {
  it('an administrator change through the control API is in auditEvents (v1.0) with her UPN', async () => {
    const { cloud, token } = state;
    const from = since(1000);
    const [change] = (
      await control(cloud, 'POST', '/tenants/contoso/admin-changes', {
        action: 'update',
        collection: '/deviceManagement/deviceConfigurations',
        actor: 'adele.vance@contoso.onmicrosoft.com',
        seed: 3,
      })
    ).changes;
    const { items } = await listAll(
      cloud,
      token,
      `/v1.0/deviceManagement/auditEvents?$filter=${recent(from)}`,
    );
    const mine = items.filter((e) => e.resources[0].resourceId === change.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      activityOperationType: 'Patch',
      actor: { auditActorType: 'ItPro', userPrincipalName: 'adele.vance@contoso.onmicrosoft.com' },
    });
  });

  it('an app change of a conditional access policy is in directoryAudits with the app, behind AuditLog.Read.All', async () => {
    const { cloud, token } = state;
    const from = since(1000);
    const policies = await graphFetch(cloud, token, 'GET', '/v1.0/identity/conditionalAccess/policies');
    const policy = policies.body.value[0];
    const patched = await graphFetch(
      cloud,
      token,
      'PATCH',
      `/v1.0/identity/conditionalAccess/policies/${policy.id}`,
      {
        displayName: `${policy.displayName} (audited)`,
      },
    );
    expect(patched.status).toBeLessThan(300);
    const app = tenant(cloud, 'contoso');
    await control(cloud, 'DELETE', `/tenants/contoso/apps/${app.clientId}/permissions/AuditLog.Read.All`);
    const denied = await graphFetch(cloud, token, 'GET', '/v1.0/auditLogs/directoryAudits');
    expect(denied.status).toBe(403);
    await control(cloud, 'POST', `/tenants/contoso/apps/${app.clientId}/permissions`, {
      permission: 'AuditLog.Read.All',
    });
    const { items } = await listAll(
      cloud,
      token,
      `/v1.0/auditLogs/directoryAudits?$filter=${encodeURIComponent(`activityDateTime ge ${from}`)}`,
    );
    const mine = items.filter((e) => e.targetResources[0].id === policy.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      activityDisplayName: 'Update conditional access policy',
      loggedByService: 'Conditional Access',
      operationType: 'Update',
      initiatedBy: { user: null, app: { appId: app.clientId } },
    });
  });

  it('records arrive after the tenant audit delay, and assignment-only changes are audited as Assign', async () => {
    const { cloud, token } = state;
    await control(cloud, 'PATCH', '/tenants/contoso/realism', { audit: { delaySeconds: 1.5 } });
    try {
      const from = since(1000);
      const [change] = (
        await control(cloud, 'POST', '/tenants/contoso/admin-changes', {
          action: 'assign',
          collection: '/deviceManagement/deviceConfigurations',
          assignments: [{ target: { '@odata.type': '#microsoft.graph.allDevicesAssignmentTarget' } }],
          seed: 4,
        })
      ).changes;
      const url = `/v1.0/deviceManagement/auditEvents?$filter=${recent(from)}`;
      const mine = async () =>
        (await listAll(cloud, token, url)).items.filter((e) => e.resources[0].resourceId === change.id);
      expect(await mine()).toHaveLength(0);
      await new Promise((resolve) => setTimeout(resolve, 1600));
      const [record] = await mine();
      expect(record).toMatchObject({ activityOperationType: 'Assign' });
      // The record keeps the time of the change, not of its arrival: a reader needs an overlap.
      expect(Date.parse(record.activityDateTime)).toBeLessThan(Date.now() - 1400);
      const assignments = await graphFetch(
        cloud,
        token,
        'GET',
        `/beta/deviceManagement/deviceConfigurations/${change.id}/assignments`,
      );
      expect(assignments.body.value).toHaveLength(1);
    } finally {
      await control(cloud, 'PATCH', '/tenants/contoso/realism', { audit: { delaySeconds: 0 } });
    }
  });
});
