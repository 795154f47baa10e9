import { describe, expect, it } from 'vitest';
import {
  assignmentWriteRequests,
  createRequest,
  derivePlatform,
  getByIdRequest,
  getContract,
  listRequest,
  readOnlyProperties,
  readOnlyPropertiesOfPart,
  subResourceRequest,
  updateRequest,
} from '../../shared/graph';

const decoded = (url: string) => decodeURIComponent(url);

describe('requests built from contracts', () => {
  it('lists with the contract filter, expands and version', () => {
    const rings = listRequest(getContract('windowsUpdateRings'));
    expect(rings).toMatchObject({
      method: 'GET',
      apiVersion: 'beta',
      idempotent: true,
      contractKey: 'windowsUpdateRings',
    });
    expect(decoded(rings.url)).toBe(
      "/deviceManagement/deviceConfigurations?$expand=assignments&$filter=isof('microsoft.graph.windowsUpdateForBusinessConfiguration')",
    );
    expect(decoded(listRequest(getContract('deviceCompliancePolicies')).url)).toBe(
      '/deviceManagement/deviceCompliancePolicies?$expand=assignments,scheduledActionsForRule($expand=scheduledActionConfigurations)',
    );
    expect(
      decoded(listRequest(getContract('deviceConfigurations'), { withAssignments: false, top: 5 }).url),
    ).toBe('/deviceManagement/deviceConfigurations?$top=5');
    expect(decoded(listRequest(getContract('groups')).url)).toMatch(/^\/groups\?\$select=id,displayName,/);
  });

  it('fills named filters with OData-quoted parameters only', () => {
    const principals = getContract('servicePrincipals');
    const spec = listRequest(principals, {
      namedFilter: { name: 'byAppId', params: { appId: "x' or 1 eq 1 or appId eq '" } },
    });
    expect(decoded(spec.url)).toContain("$filter=appId eq 'x'' or 1 eq 1 or appId eq '''");
    expect(() => listRequest(principals, { namedFilter: { name: 'byAppId', params: {} } })).toThrow(/appId/);
    expect(() => listRequest(principals, { namedFilter: { name: 'nope', params: {} } })).toThrow(/no filter/);
  });

  it('writes date-time parameters bare, and only real UTC date-times', () => {
    const audit = getContract('intuneAuditEvents');
    const window = (from: string) =>
      listRequest(audit, { namedFilter: { name: 'window', params: { from, to: '2026-12-06T10:05:00Z' } } });
    expect(decoded(window('2026-12-06T10:00:00.123Z').url)).toContain(
      "$filter=activityDateTime ge 2026-12-06T10:00:00.123Z and activityDateTime le 2026-12-06T10:05:00Z and activityOperationType ne 'Get'",
    );
    expect(() => window('2026-12-06T10:00:00Z or true')).toThrow(/UTC date-time/);
    expect(() => window('yesterday')).toThrow(/UTC date-time/);
  });

  it('encodes ids as one path segment', () => {
    expect(getByIdRequest(getContract('mobileApps'), 'a/../b?c').url).toBe(
      '/deviceAppManagement/mobileApps/a%2F..%2Fb%3Fc?$expand=assignments',
    );
    expect(() => getByIdRequest(getContract('mobileApps'), '')).toThrow();
  });

  it('reads declared sub-resources only, nested ones below their parent item', () => {
    const templates = getContract('groupPolicyConfigurations');
    expect(decoded(subResourceRequest(templates, 'p1', 'definitionValues').url)).toBe(
      '/deviceManagement/groupPolicyConfigurations/p1/definitionValues?$expand=definition',
    );
    expect(
      decoded(
        subResourceRequest(templates, 'p1', 'definitionValues', { id: 'v1', name: 'presentationValues' }).url,
      ),
    ).toBe(
      '/deviceManagement/groupPolicyConfigurations/p1/definitionValues/v1/presentationValues?$expand=presentation',
    );
    expect(() => subResourceRequest(templates, 'p1', 'settings')).toThrow(/no sub-resource/);
  });

  it('writes assignments the way each family takes them', () => {
    const target = { target: { '@odata.type': '#microsoft.graph.groupAssignmentTarget', groupId: 'g1' } };
    const [apps] = assignmentWriteRequests(getContract('mobileApps'), 'a1', [target]);
    expect(apps).toMatchObject({
      method: 'POST',
      idempotent: false,
      url: '/deviceAppManagement/mobileApps/a1/assign',
    });
    expect(apps!.body).toEqual({ mobileAppAssignments: [target] });
    const autopilot = assignmentWriteRequests(getContract('windowsAutopilotDeploymentProfiles'), 'p1', [
      target,
      target,
    ]);
    expect(autopilot.map((spec) => spec.url)).toEqual([
      '/deviceManagement/windowsAutopilotDeploymentProfiles/p1/assignments',
      '/deviceManagement/windowsAutopilotDeploymentProfiles/p1/assignments',
    ]);
    expect(assignmentWriteRequests(getContract('policySets'), 's1', [])[0]!.url).toBe(
      '/deviceAppManagement/policySets/s1/update',
    );
    expect(() => assignmentWriteRequests(getContract('conditionalAccessPolicies'), 'c1', [])).toThrow();
  });

  it('creates and updates on the collection and the item', () => {
    const contract = getContract('namedLocations');
    expect(createRequest(contract, { displayName: 'x' })).toMatchObject({
      method: 'POST',
      url: '/identity/conditionalAccess/namedLocations',
      body: { displayName: 'x' },
      idempotent: false,
    });
    expect(updateRequest(contract, 'n1', {}).method).toBe('PATCH');
  });
});

describe('read-only properties and platforms', () => {
  it('strips the properties of the object’s own type, falling back to the element type', () => {
    const configurations = getContract('deviceConfigurations');
    expect(readOnlyProperties(configurations, '#microsoft.graph.windows10GeneralConfiguration')).toEqual(
      expect.arrayContaining([
        'id',
        'createdDateTime',
        'lastModifiedDateTime',
        'version',
        'supportsScopeTags',
      ]),
    );
    expect(readOnlyProperties(configurations, '#microsoft.graph.somethingElse')).toEqual(
      readOnlyProperties(configurations),
    );
    expect(readOnlyProperties(getContract('termsOfUseAgreements'))).toEqual(['id']);
    expect(readOnlyPropertiesOfPart(configurations, 'assignments')).toContain('id');
    expect(readOnlyPropertiesOfPart(getContract('configurationPolicies'), 'settings')).toContain('id');
  });

  it('derives the platform from @odata.type, a platform property, or the contract', () => {
    const at = (key: string, object: Record<string, unknown>) => derivePlatform(getContract(key), object);
    expect(
      at('deviceConfigurations', { '@odata.type': '#microsoft.graph.iosGeneralDeviceConfiguration' }),
    ).toBe('iOS');
    expect(
      at('deviceConfigurations', { '@odata.type': '#microsoft.graph.editionUpgradeConfiguration' }),
    ).toBe('windows');
    expect(
      at('deviceCompliancePolicies', { '@odata.type': '#microsoft.graph.aospDeviceOwnerCompliancePolicy' }),
    ).toBe('android');
    expect(at('mobileApps', { '@odata.type': '#microsoft.graph.macOSDmgApp' })).toBe('macOS');
    expect(at('mobileApps', { '@odata.type': '#microsoft.graph.webApp' })).toBe('all');
    expect(
      at('deviceEnrollmentConfigurations', {
        '@odata.type': '#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration',
      }),
    ).toBe('windows');
    expect(at('configurationPolicies', { platforms: 'windows10' })).toBe('windows');
    expect(at('configurationPolicies', { platforms: 'iOS,macOS' })).toBe('all');
    expect(at('assignmentFilters', { platform: 'windows10AndLater' })).toBe('windows');
    expect(at('assignmentFilters', {})).toBe('unknown');
    expect(at('deviceShellScripts', {})).toBe('macOS');
  });
});
