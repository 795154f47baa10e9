import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MicrosoftCloud } from '../../emulators/microsoft';
import { Catalogue, NESTED_SUB_RESOURCES } from '../../emulators/microsoft/reference/catalogue';
import { loadGraphReference, type ApiVersion } from '../../emulators/microsoft/reference/load';
import { parseTypeRef, schemasOf, shortTypeName } from '../../emulators/microsoft/reference/schema';
import { graphToken, listAll, startCloud, tenant } from './support';

/** The anchor list of the issue: every one of these collections must be served with objects in contoso. */
const ANCHORS = [
  '/deviceManagement/deviceConfigurations',
  '/deviceManagement/configurationPolicies',
  '/deviceManagement/reusablePolicySettings',
  '/deviceManagement/groupPolicyConfigurations',
  '/deviceManagement/deviceCompliancePolicies',
  '/deviceManagement/compliancePolicies',
  '/deviceManagement/deviceComplianceScripts',
  '/deviceManagement/notificationMessageTemplates',
  '/deviceManagement/intents',
  '/deviceManagement/deviceEnrollmentConfigurations',
  '/deviceManagement/windowsAutopilotDeploymentProfiles',
  '/deviceManagement/appleUserInitiatedEnrollmentProfiles',
  '/deviceManagement/deviceManagementScripts',
  '/deviceManagement/deviceShellScripts',
  '/deviceManagement/deviceCustomAttributeShellScripts',
  '/deviceManagement/deviceHealthScripts',
  '/deviceAppManagement/mobileApps',
  '/deviceAppManagement/mobileAppConfigurations',
  '/deviceAppManagement/targetedManagedAppConfigurations',
  '/deviceAppManagement/iosManagedAppProtections',
  '/deviceAppManagement/androidManagedAppProtections',
  '/deviceAppManagement/windowsManagedAppProtections',
  '/deviceAppManagement/managedAppPolicies',
  '/deviceAppManagement/policySets',
  '/deviceManagement/windowsFeatureUpdateProfiles',
  '/deviceManagement/windowsQualityUpdateProfiles',
  '/deviceManagement/windowsDriverUpdateProfiles',
  '/deviceManagement/assignmentFilters',
  '/deviceManagement/roleScopeTags',
  '/deviceManagement/roleDefinitions',
  '/deviceManagement/deviceCategories',
  '/deviceManagement/termsAndConditions',
  '/deviceManagement/intuneBrandingProfiles',
  '/deviceManagement/virtualEndpoint/provisioningPolicies',
  '/deviceManagement/virtualEndpoint/userSettings',
  '/identity/conditionalAccess/policies',
  '/identity/conditionalAccess/namedLocations',
  '/policies/authenticationStrengthPolicies',
  '/identity/conditionalAccess/authenticationContextClassReferences',
  '/identityGovernance/termsOfUse/agreements',
  '/groups',
  '/roleManagement/directory/roleDefinitions',
  '/servicePrincipals',
  '/deviceManagement/auditEvents',
];

const reference = loadGraphReference();
const schemas = schemasOf(reference);
const catalogue = new Catalogue(reference);
let cloud: MicrosoftCloud;

beforeAll(async () => {
  cloud = await startCloud({ realism: { rateLimit: { enabled: false } } });
});
afterAll(async () => {
  await cloud?.stop();
});

interface Finding {
  url: string;
  path: string;
  message: string;
}

async function checkTenant(
  name: string,
  version: ApiVersion,
): Promise<{ findings: Finding[]; counts: Record<string, number>; checked: number }> {
  const token = await graphToken(cloud, tenant(cloud, name));
  const schema = schemas[version];
  const findings: Finding[] = [];
  const counts: Record<string, number> = {};
  let checked = 0;
  const validate = (url: string, item: Record<string, unknown>, declared: string) => {
    checked++;
    const type = typeof item['@odata.type'] === 'string' ? shortTypeName(item['@odata.type']) : undefined;
    if (!type) findings.push({ url, path: '$', message: 'no @odata.type' });
    for (const issue of schema.validate(item, declared)) findings.push({ url, ...issue });
  };
  for (const def of catalogue.collections) {
    const v = def.versions[version];
    if (!v) continue;
    const expand = schema.navigation(v.elementType, 'assignments') ? '?$expand=assignments' : '';
    const { items } = await listAll(cloud, token, `/${version}${def.path}${expand}`);
    counts[def.path] = items.length;
    for (const item of items) {
      validate(def.path, item, v.elementType);
      for (const nav of def.subResources) {
        const navDecl = schema.navigation(shortTypeName(item['@odata.type']), nav);
        if (!navDecl) continue;
        const navType = parseTypeRef(navDecl.type).type;
        const subPath = `/${version}${def.path}/${item.id}/${nav}`;
        const { items: children } = await listAll(cloud, token, subPath);
        for (const child of children) {
          validate(subPath, child, navType);
          for (const nested of NESTED_SUB_RESOURCES[`${def.path}/${nav}`] ?? []) {
            const nestedDecl = schema.navigation(shortTypeName(child['@odata.type']), nested);
            if (!nestedDecl) continue;
            const nestedPath = `${subPath}/${child.id}/${nested}`;
            const { items: grandChildren } = await listAll(cloud, token, nestedPath);
            for (const g of grandChildren) validate(nestedPath, g, parseTypeRef(nestedDecl.type).type);
          }
        }
      }
    }
  }
  return { findings, counts, checked };
}

describe('every object the simulated tenants serve validates against the CSDL', () => {
  for (const name of ['contoso', 'fabrikam'] as const) {
    for (const version of ['beta', 'v1.0'] as const) {
      it(`${name} ${version}: types exist and every member is declared on the type or its base types`, async () => {
        const { findings, counts, checked } = await checkTenant(name, version);
        expect(findings.slice(0, 20)).toEqual([]);
        expect(checked).toBeGreaterThan(
          { contoso: { beta: 500, 'v1.0': 350 }, fabrikam: { beta: 250, 'v1.0': 200 } }[name]![version],
        );
        for (const path of ANCHORS) {
          const v = catalogue.get(path)?.versions[version];
          if (!v) continue;
          expect(counts[path], `${name} ${version} ${path}`).toBeGreaterThan(0);
        }
      });
    }
  }

  it('contoso holds a few hundred objects, every anchor type is present in beta', async () => {
    const token = await graphToken(cloud, tenant(cloud, 'contoso'));
    let total = 0;
    for (const path of ANCHORS) {
      const { items } = await listAll(cloud, token, `/beta${path}`);
      expect(items.length, path).toBeGreaterThan(0);
      total += items.length;
    }
    expect(total).toBeGreaterThan(300);
  });

  it('group policy values reference their definitions and presentations', async () => {
    const token = await graphToken(cloud, tenant(cloud, 'contoso'));
    const { items: configs } = await listAll(
      cloud,
      token,
      '/beta/deviceManagement/groupPolicyConfigurations',
    );
    const base = `/beta/deviceManagement/groupPolicyConfigurations/${configs[0].id}/definitionValues`;
    const { items: values } = await listAll(cloud, token, base);
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) {
      const res = await fetch(`${cloud.graphBaseUrl}${base}/${value.id}/definition`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const definition = (await res.json()) as Record<string, unknown>;
      expect(res.status).toBe(200);
      expect(schemas.beta.validate(definition, 'groupPolicyDefinition')).toEqual([]);
      const { items: presentationValues } = await listAll(
        cloud,
        token,
        `${base}/${value.id}/presentationValues?$expand=presentation`,
      );
      for (const pv of presentationValues) expect(pv.presentation?.id).toBeTruthy();
    }
  });
});
