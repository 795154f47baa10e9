/* eslint-disable @typescript-eslint/no-explicit-any -- Graph JSON read dynamically. */
import { describe, expect, it } from 'vitest';
import { readOnlyProperties, type GraphContract } from '../../shared/graph';
import { contosoCloud, graphFetch, listAll } from './support';
import {
  bodyDifferences,
  comparable,
  contractOf,
  loadRealPayloads,
  restoreBody,
  type RealPayload,
} from './real-payloads-support';

const env = contosoCloud();
const payloads = loadRealPayloads();

/** The object as Graph shows it by id, with its inline sub-resources (expanded or listed, as the contract reads them). */
async function readBack(
  contract: GraphContract,
  item: RealPayload,
  id: string,
): Promise<Record<string, any>> {
  const path = `/beta/${item.collection}/${id}`;
  const expand = contract.subResources
    .filter((s) => s.write === 'inline' && s.read === 'expand')
    .map((s) => (s.expand ? `${s.name}($expand=${s.expand.join(',')})` : s.name));
  const res = await graphFetch(
    env.cloud,
    env.token,
    'GET',
    expand.length ? `${path}?$expand=${expand.join(',')}` : path,
  );
  expect(res.status, `GET ${path}`).toBe(200);
  const object = res.body as Record<string, any>;
  for (const sub of contract.subResources.filter((s) => s.write === 'inline' && s.read === 'batch')) {
    object[sub.name] = (await listAll(env.cloud, env.token, `${path}/${sub.name}`)).items;
  }
  return object;
}

describe('real-world exports (graph-reference/real-payloads)', () => {
  it('holds 70 exports, each mapped to a restorable contract', () => {
    expect(payloads).toHaveLength(70);
    const keys = new Set(payloads.map((p) => contractOf(p).key));
    expect([...keys].sort()).toEqual([
      'androidManagedAppProtections',
      'assignmentFilters',
      'conditionalAccessPolicies',
      'configurationPolicies',
      'deviceCompliancePolicies',
      'deviceConfigurations',
      'deviceHealthScripts',
      'deviceManagementScripts',
      'iosManagedAppProtections',
      'windowsDriverUpdateProfiles',
      'windowsFeatureUpdateProfiles',
      'windowsUpdateRings',
    ]);
  });

  it('creates every export, stripped as a restore strips it, and reads each back equal', async () => {
    const refused: string[] = [];
    const different: string[] = [];
    for (const item of payloads) {
      const contract = contractOf(item);
      const body = restoreBody(contract, item.payload);
      const created = await graphFetch(env.cloud, env.token, 'POST', `/beta/${item.collection}`, body);
      if (created.status !== 201) {
        refused.push(`${item.source}: ${created.status} ${created.body?.error?.message ?? ''}`);
        continue;
      }
      const back = comparable(contract, await readBack(contract, item, created.body.id as string));
      const differences = bodyDifferences(body, back);
      if (differences.length > 0) different.push(`${item.source}: ${differences.join('; ')}`);
    }
    console.log(
      `real payloads: ${payloads.length - refused.length}/${payloads.length} accepted, ` +
        `${payloads.length - refused.length - different.length} read back equal`,
    );
    expect(refused).toEqual([]);
    expect(different).toEqual([]);
  });

  it('ignores read-only members sent unset (null, false, 0, "", []) and refuses them sent with a value', async () => {
    // The exports' own read-only members with unset values (update rings: featureUpdatesPauseStartDate: null, …).
    let carried = 0;
    for (const item of payloads) {
      const contract = contractOf(item);
      const unset = readOnlyProperties(contract, item.payload['@odata.type']).filter(
        (p) => p in item.payload && isUnset(item.payload[p]),
      );
      if (unset.length === 0) continue;
      carried++;
      const body = { ...restoreBody(contract, item.payload), ...pick(item.payload, unset) };
      const created = await graphFetch(env.cloud, env.token, 'POST', `/beta/${item.collection}`, body);
      expect(created.status, `${item.source}: ${created.body?.error?.message}`).toBe(201);
    }
    expect(carried).toBeGreaterThanOrEqual(3);

    const post = (path: string, body: unknown) => graphFetch(env.cloud, env.token, 'POST', path, body);
    const tag = await post('/beta/deviceManagement/roleScopeTags', {
      displayName: 'Ring A',
      isBuiltIn: false,
    });
    expect(tag.status).toBe(201);
    expect(tag.body.isBuiltIn ?? false).toBe(false);
    const builtIn = await post('/beta/deviceManagement/roleScopeTags', { displayName: 'B', isBuiltIn: true });
    expect(builtIn.status).toBe(400);
    expect(builtIn.body.error.message).toMatch(/'isBuiltIn' is read-only/);

    const profile = {
      '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
      displayName: 'OMA',
      omaSettings: [],
    };
    const dc = '/beta/deviceManagement/deviceConfigurations';
    const unsetTag = await post(dc, { ...profile, supportsScopeTags: false });
    expect(unsetTag.status).toBe(201);
    expect(unsetTag.body.supportsScopeTags).toBe(true); // the service's value, not the body's
    expect((await post(dc, { ...profile, supportsScopeTags: true })).status).toBe(400);
    expect((await post(dc, { ...profile, id: 'b3f1e3c2-0000-4000-8000-000000000001' })).status).toBe(400);
    const withVersion = await post(dc, { ...profile, version: 7, createdDateTime: null });
    expect(withVersion.status).toBe(400);
    expect(withVersion.body.error.message).toMatch(/'version' is read-only/);

    const oem = await post('/beta/deviceAppManagement/mobileAppConfigurations', {
      '@odata.type': '#microsoft.graph.androidManagedStoreAppConfiguration',
      displayName: 'OEMConfig',
      targetedMobileApps: [],
      appSupportsOemConfig: false,
    });
    expect(oem.status, oem.body?.error?.message).toBe(201);

    const patched = await graphFetch(env.cloud, env.token, 'PATCH', `${dc}/${unsetTag.body.id}`, {
      '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
      description: 'changed',
      lastModifiedDateTime: null,
      version: 0,
    });
    expect(patched.status).toBe(200);
    expect(patched.body.description).toBe('changed');
    expect(patched.body.version).toBe(2);
    expect(patched.body.lastModifiedDateTime).not.toBeNull();
  });
});

function isUnset(value: unknown): boolean {
  return (
    value === null ||
    value === false ||
    value === 0 ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

function pick(obj: Record<string, any>, keys: readonly string[]): Record<string, any> {
  return Object.fromEntries(keys.map((k) => [k, obj[k]]));
}
