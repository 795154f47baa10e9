/* eslint-disable @typescript-eslint/no-explicit-any -- Graph JSON read dynamically. */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MicrosoftCloud } from '../../emulators/microsoft';
import { control, graphFetch, graphToken, listAll, startCloud, tenant } from './support';

/**
 * With a state folder, every write a simulated tenant acknowledged survives a restart: a second cloud
 * started on the folder while the first still runs (nothing of the first's shutdown helps it, as after a
 * crash) answers every read as the first did. A reset tenant is its seed again, at the next start too.
 */
const stateDir = mkdtempSync(path.join(os.tmpdir(), 'tenantatlas-sim-state-'));
const clouds: MicrosoftCloud[] = [];
const DC = '/beta/deviceManagement/deviceConfigurations';
const COMPLIANCE = '/beta/deviceManagement/deviceCompliancePolicies';
const GP = '/beta/deviceManagement/groupPolicyConfigurations';
const CA = '/v1.0/identity/conditionalAccess/policies';

async function start(options: { stateDir?: string } = { stateDir }) {
  const cloud = await startCloud({ realism: { rateLimit: { enabled: false } }, ...options });
  clouds.push(cloud);
  const tokens = {
    contoso: await graphToken(cloud, tenant(cloud, 'contoso')),
    fabrikam: await graphToken(cloud, tenant(cloud, 'fabrikam')),
  };
  const call = async (name: keyof typeof tokens, method: string, url: string, body?: unknown) => {
    const res = await graphFetch(cloud, tokens[name], method, url, body);
    expect(res.status, `${method} ${url}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };
  return { cloud, tokens, call };
}

const startedAt = new Date().toISOString();

/**
 * The audit events written by this test in full, and how many the seed holds (seed events' ids count the
 * events built in the process so far: they differ between two clouds of one process, not between starts).
 */
function audited(events: any[]) {
  return {
    seeded: events.filter((e) => e.activityDateTime < startedAt).length,
    written: events.filter((e) => e.activityDateTime >= startedAt),
  };
}

/** What the app and an administrator see of both tenants, reads that cover every write below. */
async function view({ cloud, tokens, call }: Awaited<ReturnType<typeof start>>, gpId?: string) {
  const all = async (name: keyof typeof tokens, url: string) =>
    (await listAll(cloud, tokens[name], url)).items;
  const compliance = await all('contoso', COMPLIANCE);
  const seen = {
    configurations: await all('contoso', `${DC}?$expand=assignments`),
    compliance,
    rules: await Promise.all(
      compliance.map(
        async (p) =>
          (
            await call(
              'contoso',
              'GET',
              `${COMPLIANCE}/${p.id}/scheduledActionsForRule?$expand=scheduledActionConfigurations`,
            )
          ).value,
      ),
    ),
    definitionValues: gpId ? await all('contoso', `${GP}/${gpId}/definitionValues?$expand=definition`) : [],
    settings: await call('contoso', 'GET', '/beta/deviceManagement/settings'),
    conditionalAccess: await all('contoso', CA),
    audit: audited(await all('contoso', '/beta/deviceManagement/auditEvents')),
    directoryAudit: audited(await all('contoso', '/v1.0/auditLogs/directoryAudits')),
    fabrikamScripts: await all('fabrikam', '/beta/deviceManagement/deviceManagementScripts'),
    fabrikamAudit: audited(await all('fabrikam', '/beta/deviceManagement/auditEvents')),
  };
  // Context URLs name the cloud's port, the one thing that differs between two starts.
  return JSON.parse(JSON.stringify(seen).replaceAll(cloud.graphBaseUrl, 'GRAPH')) as typeof seen;
}

afterAll(async () => {
  for (const cloud of clouds) await cloud.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('a simulated tenant with a state folder', () => {
  it('keeps every acknowledged write across a restart, and a reset drops them', async () => {
    const first = await start();
    const seed = await view(first);
    const { call } = first;

    // Graph writes of every kind: create, update, action, children, delete, the deviceManagement parent.
    const ring = await call('contoso', 'POST', DC, {
      '@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration',
      displayName: 'WIN - Update Ring - Kept',
      qualityUpdatesDeferralPeriodInDays: 5,
    });
    await call('contoso', 'PATCH', `${DC}/${ring.id}`, { description: 'patched' });
    const groups = (await call('contoso', 'GET', '/v1.0/groups?$top=1&$select=id')).value;
    await call('contoso', 'POST', `${DC}/${ring.id}/assign`, {
      assignments: [
        { target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: groups[0].id } },
      ],
    });
    const doomed = seed.configurations.find((c) => c.id !== ring.id && c.displayName);
    await call('contoso', 'DELETE', `${DC}/${doomed.id}`);
    const compliance = seed.compliance[0];
    await call('contoso', 'POST', `${COMPLIANCE}/${compliance.id}/scheduleActionsForRules`, {
      deviceComplianceScheduledActionForRules: [
        {
          ruleName: 'PasswordRequired',
          scheduledActionConfigurations: [{ actionType: 'block', gracePeriodHours: 12 }],
        },
      ],
    });
    const definitions = (await call('contoso', 'GET', '/beta/deviceManagement/groupPolicyDefinitions?$top=2'))
      .value;
    const gp = await call('contoso', 'POST', GP, { displayName: 'ADMX - Kept' });
    await call('contoso', 'POST', `${GP}/${gp.id}/definitionValues`, {
      enabled: true,
      'definition@odata.bind': `https://graph.microsoft.com/beta/deviceManagement/groupPolicyDefinitions('${definitions[0].id}')`,
    });
    await call('contoso', 'POST', `${GP}/${gp.id}/updateDefinitionValues`, {
      added: [
        {
          enabled: false,
          'definition@odata.bind': `https://graph.microsoft.com/beta/deviceManagement/groupPolicyDefinitions('${definitions[1].id}')`,
        },
      ],
    });
    await call('contoso', 'PATCH', '/beta/deviceManagement', {
      settings: { deviceComplianceCheckinThresholdDays: 45 },
    });
    // Entra's: in directoryAudits, not in Intune's auditEvents.
    const policy = seed.conditionalAccess[0];
    await call('contoso', 'PATCH', `${CA}/${policy.id}`, { displayName: `${policy.displayName} (kept)` });
    // An administrator's changes through the control API.
    const [changed] = (
      await control(first.cloud, 'POST', '/tenants/fabrikam/admin-changes', {
        action: 'update',
        collection: '/deviceManagement/deviceManagementScripts',
        patch: { description: 'changed by an admin' },
        seed: 7,
      })
    ).changes;
    await control(first.cloud, 'POST', '/tenants/fabrikam/admin-changes', {
      action: 'delete',
      collection: '/deviceManagement/deviceManagementScripts',
      id: seed.fabrikamScripts.find((script) => script.id !== changed.id).id,
    });

    const before = await view(first, gp.id);
    expect(before.configurations.find((c) => c.id === doomed.id)).toBeUndefined();
    expect(before.settings.deviceComplianceCheckinThresholdDays).toBe(45);
    expect(before.directoryAudit.written.map((r: any) => r.targetResources[0].id)).toContain(policy.id);
    expect(before.definitionValues).toHaveLength(2);
    expect(before.fabrikamScripts.find((s) => s.id === changed.id).description).toBe('changed by an admin');
    expect(before.fabrikamScripts).toHaveLength(seed.fabrikamScripts.length - 1);

    // The first cloud is not stopped: the second sees only what was written to the folder.
    const second = await start();
    expect(await view(second, gp.id)).toEqual(before);

    // A torn last line (a write killed inside `write(2)`, never answered) is dropped.
    appendFileSync(path.join(stateDir, 'tenants', 'tenants-journal.ndjson'), '{"op":"set","tenant":"con');
    await control(second.cloud, 'POST', '/tenants/contoso/reset');
    const third = await start();
    const reset = await view(third);
    const { fabrikamScripts, fabrikamAudit, ...contoso } = reset;
    const { fabrikamScripts: _s, fabrikamAudit: _a, ...contosoSeed } = seed;
    expect(contoso).toEqual(contosoSeed);
    expect(fabrikamScripts).toEqual(before.fabrikamScripts);
    expect(fabrikamAudit).toEqual(before.fabrikamAudit);
    expect(readFileSync(path.join(stateDir, 'tenants', 'tenants-journal.ndjson'), 'utf8')).not.toContain(
      '"tenant":"contoso"',
    );
  });

  it('keeps answering when its state folder is removed while it runs (a temporary folder thrown away)', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'tenantatlas-sim-state-'));
    const { cloud, call } = await start({ stateDir: folder });
    rmSync(folder, { recursive: true, force: true });
    await call('contoso', 'PATCH', '/beta/deviceManagement', {
      settings: { deviceComplianceCheckinThresholdDays: 41 },
    });
    await control(cloud, 'POST', '/tenants/contoso/reset'); // compacts: skipped, the folder is gone
    expect(existsSync(folder)).toBe(false);
  });

  it('writes nothing without a state folder', async () => {
    const { cloud, call } = await start({});
    await control(cloud, 'POST', '/tenants/fabrikam/admin-changes', { action: 'delete', seed: 3 });
    await call('contoso', 'PATCH', '/beta/deviceManagement', {
      settings: { deviceComplianceCheckinThresholdDays: 40 },
    });
    const again = await start({});
    expect(
      (await again.call('contoso', 'GET', '/beta/deviceManagement/settings'))
        .deviceComplianceCheckinThresholdDays,
    ).toBe(30);
  });
});
