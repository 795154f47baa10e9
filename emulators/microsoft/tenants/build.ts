import type { EntraTenant } from '../entra/directory';
import type { GraphReference } from '../reference/load';
import type { Schema } from '../reference/schema';
import { stableGuid } from '../ids';
import { recordAudit, recordDirectoryAudit } from './audit';
import { BuildContext } from './context';
import * as apps from './families/apps';
import * as cs from './families/compliance-scripts';
import * as config from './families/configuration';
import * as enrollment from './families/enrollment';
import * as entra from './families/entra';
import * as foundations from './families/foundations';
import * as directoryRoles from './families/directory-roles';
import * as groupPolicy from './families/group-policy';
import * as updates from './families/updates-w365';
import { buildTenantSingletons } from './families/tenant-singletons';
import { TenantStore } from './store';

/** How many objects of each family a tenant gets. */
export interface SeedPlan {
  groups: number;
  /**
   * Groups no object is assigned to, built after everything else (so the other objects' ids and
   * assignments do not depend on them): enough for the directory's paging to matter.
   */
  unassignedGroups: number;
  filters: number;
  scopeTags: number;
  deviceCategories: number;
  notificationTemplates: number;
  deviceConfigurations: number;
  configurationPolicies: number;
  reusablePolicySettings: number;
  groupPolicyConfigurations: number;
  deviceCompliancePolicies: number;
  compliancePolicies: number;
  complianceScripts: number;
  intents: number;
  enrollmentConfigurations: number;
  autopilotProfiles: number;
  appleUserEnrollment: number;
  powerShellScripts: number;
  shellScripts: number;
  customAttributeScripts: number;
  healthScripts: number;
  mobileApps: number;
  appConfigurations: number;
  iosProtection: number;
  androidProtection: number;
  windowsProtection: number;
  targetedAppConfigurations: number;
  policySets: number;
  featureUpdates: number;
  qualityUpdates: number;
  driverUpdates: number;
  qualityUpdatePolicies: number;
  intuneCustomRoles: number;
  termsAndConditions: number;
  brandingProfiles: number;
  cloudPcProvisioning: number;
  cloudPcUserSettings: number;
  namedLocations: number;
  authenticationContexts: number;
  authenticationStrengths: number;
  agreements: number;
  conditionalAccess: number;
  entraCustomRoles: number;
  auditHistory: number;
}

export const CONTOSO_PLAN: SeedPlan = {
  groups: 38,
  unassignedGroups: 212,
  filters: 6,
  scopeTags: 4,
  deviceCategories: 5,
  notificationTemplates: 4,
  deviceConfigurations: 40,
  configurationPolicies: 20,
  reusablePolicySettings: 3,
  groupPolicyConfigurations: 8,
  deviceCompliancePolicies: 12,
  compliancePolicies: 3,
  complianceScripts: 3,
  intents: 4,
  enrollmentConfigurations: 4,
  autopilotProfiles: 4,
  appleUserEnrollment: 2,
  powerShellScripts: 8,
  shellScripts: 3,
  customAttributeScripts: 3,
  healthScripts: 6,
  mobileApps: 30,
  appConfigurations: 4,
  iosProtection: 3,
  androidProtection: 3,
  windowsProtection: 2,
  targetedAppConfigurations: 2,
  policySets: 2,
  featureUpdates: 3,
  qualityUpdates: 2,
  driverUpdates: 2,
  qualityUpdatePolicies: 1,
  intuneCustomRoles: 2,
  termsAndConditions: 2,
  brandingProfiles: 2,
  cloudPcProvisioning: 3,
  cloudPcUserSettings: 2,
  namedLocations: 5,
  authenticationContexts: 3,
  authenticationStrengths: 2,
  agreements: 2,
  conditionalAccess: 12,
  entraCustomRoles: 2,
  auditHistory: 40,
};

export const FABRIKAM_PLAN: SeedPlan = {
  ...CONTOSO_PLAN,
  groups: 24,
  unassignedGroups: 126,
  filters: 3,
  scopeTags: 2,
  deviceCategories: 3,
  notificationTemplates: 2,
  deviceConfigurations: 16,
  configurationPolicies: 10,
  groupPolicyConfigurations: 3,
  deviceCompliancePolicies: 6,
  mobileApps: 15,
  powerShellScripts: 4,
  healthScripts: 3,
  conditionalAccess: 7,
  namedLocations: 3,
  auditHistory: 15,
};

/** Share of a generated tenant's objects per family (the rest of the plan is scaled from these). */
const GENERATED_WEIGHTS: Partial<Record<keyof SeedPlan, number>> = {
  groups: 10,
  filters: 1.5,
  scopeTags: 0.3,
  deviceCategories: 0.5,
  notificationTemplates: 1,
  deviceConfigurations: 18,
  configurationPolicies: 14,
  reusablePolicySettings: 1,
  groupPolicyConfigurations: 5,
  deviceCompliancePolicies: 6,
  compliancePolicies: 1.5,
  complianceScripts: 1,
  intents: 1.5,
  enrollmentConfigurations: 2,
  autopilotProfiles: 1,
  appleUserEnrollment: 0.3,
  powerShellScripts: 4,
  shellScripts: 1,
  customAttributeScripts: 0.5,
  healthScripts: 3,
  mobileApps: 12,
  appConfigurations: 3,
  iosProtection: 1.5,
  androidProtection: 1.5,
  windowsProtection: 0.5,
  targetedAppConfigurations: 0.5,
  policySets: 0.5,
  featureUpdates: 0.7,
  qualityUpdates: 0.7,
  driverUpdates: 0.6,
  qualityUpdatePolicies: 0.2,
  intuneCustomRoles: 0.2,
  termsAndConditions: 0.3,
  brandingProfiles: 0.2,
  cloudPcProvisioning: 0.6,
  cloudPcUserSettings: 0.4,
  namedLocations: 1,
  authenticationContexts: 0.1,
  authenticationStrengths: 0.2,
  agreements: 0.2,
  conditionalAccess: 3,
  entraCustomRoles: 0.2,
  auditHistory: 2,
};

/** A generated tenant's plan: about `objects` objects spread by weight, plus `unassignedGroups` groups. */
export function generatedPlan(objects: number, unassignedGroups = 0): SeedPlan {
  const total = Object.values(GENERATED_WEIGHTS).reduce((a, b) => a + b, 0);
  const plan = { ...CONTOSO_PLAN, unassignedGroups };
  for (const key of Object.keys(plan) as Array<keyof SeedPlan>) {
    if (key === 'unassignedGroups') continue;
    plan[key] = Math.max(
      key === 'groups' ? 3 : 0,
      Math.round(((GENERATED_WEIGHTS[key] ?? 0) / total) * objects),
    );
  }
  plan.authenticationContexts = Math.min(plan.authenticationContexts, 25);
  plan.brandingProfiles = Math.max(1, plan.brandingProfiles);
  return plan;
}

export interface BuiltTenant {
  store: TenantStore;
  plan: SeedPlan;
}

/** Seeds a tenant's Graph objects. Order matters: foundations (groups, filters, tags) before what references them. */
export function buildTenant(
  reference: GraphReference,
  schema: Schema,
  entraTenant: EntraTenant,
  options: {
    seed: number;
    plan: SeedPlan;
    numberedNames: boolean;
    groupPrefix?: string;
    groupNameOffset?: number;
  },
): BuiltTenant {
  const store = new TenantStore();
  const ctx = new BuildContext(
    {
      name: entraTenant.name,
      tenantId: entraTenant.tenantId,
      orgName: entraTenant.displayName,
      domain: entraTenant.defaultDomain,
      seed: options.seed,
      numberedNames: options.numberedNames,
    },
    reference,
    schema,
    store,
  );
  const p = options.plan;
  foundations.buildGroups(ctx, p.groups, {
    prefix: options.groupPrefix,
    nameOffset: options.groupNameOffset,
  });
  foundations.buildAssignmentFilters(ctx, p.filters);
  foundations.buildScopeTags(ctx, p.scopeTags);
  foundations.buildDeviceCategories(ctx, p.deviceCategories);
  foundations.buildNotificationTemplates(ctx, p.notificationTemplates);
  foundations.buildIntuneRoles(ctx, p.intuneCustomRoles);
  directoryRoles.buildEntraRoles(ctx, p.entraCustomRoles);
  apps.buildMobileApps(ctx, p.mobileApps);
  config.buildDeviceConfigurations(ctx, p.deviceConfigurations);
  config.buildConfigurationPolicies(ctx, p.configurationPolicies);
  config.buildReusableSettings(ctx, p.reusablePolicySettings);
  groupPolicy.buildGroupPolicyDefinitions(ctx);
  groupPolicy.buildGroupPolicyConfigurations(ctx, p.groupPolicyConfigurations);
  config.buildIntents(ctx, p.intents);
  cs.buildDeviceCompliancePolicies(ctx, p.deviceCompliancePolicies);
  cs.buildCompliancePolicies(ctx, p.compliancePolicies);
  cs.buildComplianceScripts(ctx, p.complianceScripts);
  cs.buildPowerShellScripts(ctx, p.powerShellScripts);
  cs.buildShellScripts(ctx, p.shellScripts);
  cs.buildCustomAttributeScripts(ctx, p.customAttributeScripts);
  cs.buildHealthScripts(ctx, p.healthScripts);
  enrollment.buildEnrollmentConfigurations(ctx, p.enrollmentConfigurations);
  enrollment.buildAutopilotProfiles(ctx, p.autopilotProfiles);
  enrollment.buildAppleUserEnrollment(ctx, p.appleUserEnrollment);
  enrollment.buildTermsAndConditions(ctx, p.termsAndConditions);
  enrollment.buildBrandingProfiles(ctx, p.brandingProfiles);
  apps.buildAppConfigurations(ctx, p.appConfigurations);
  apps.buildAppProtection(ctx, {
    ios: p.iosProtection,
    android: p.androidProtection,
    windows: p.windowsProtection,
    config: p.targetedAppConfigurations,
  });
  apps.buildPolicySets(ctx, p.policySets);
  updates.buildUpdateProfiles(ctx, {
    feature: p.featureUpdates,
    quality: p.qualityUpdates,
    driver: p.driverUpdates,
    qualityPolicies: p.qualityUpdatePolicies,
  });
  updates.buildWindows365(ctx, { provisioning: p.cloudPcProvisioning, userSettings: p.cloudPcUserSettings });
  const locations = entra.buildNamedLocations(ctx, p.namedLocations);
  const contexts = entra.buildAuthenticationContexts(ctx, p.authenticationContexts);
  entra.buildAuthenticationStrengths(ctx, p.authenticationStrengths);
  entra.buildAgreements(ctx, p.agreements);
  entra.buildConditionalAccess(ctx, p.conditionalAccess, { locations, contexts });
  entra.buildServicePrincipals(ctx, entraTenant);
  seedAuditHistory(ctx, p.auditHistory);
  foundations.buildGroups(ctx, p.unassignedGroups, {
    prefix: options.groupPrefix,
    nameOffset: (options.groupNameOffset ?? 0) + p.groups,
  });
  // Last, so the objects above keep the ids and random draws they had before singletons existed.
  buildTenantSingletons(ctx);
  // Microsoft's built-in templates, in a tenant without intents too (every real tenant has them).
  config.buildBaselineTemplates(ctx);
  return { store, plan: p };
}

const ADMINS = ['megan.bowen', 'alex.wilber', 'adele.vance', 'nestor.wilke'];

function seedAuditHistory(ctx: BuildContext, count: number): void {
  const audited = [
    '/deviceManagement/deviceConfigurations',
    '/deviceManagement/configurationPolicies',
    '/deviceManagement/deviceCompliancePolicies',
    '/deviceAppManagement/mobileApps',
    '/deviceManagement/deviceEnrollmentConfigurations',
  ];
  const events: Array<{ at: string; run: (at: string) => void }> = [];
  for (let i = 0; i < count; i++) {
    const collection = audited[i % audited.length]!;
    const items = [...ctx.store.collection(collection).values()];
    if (items.length === 0) continue;
    const node = ctx.prng.pick(items);
    const name = ADMINS[ctx.prng.int(ADMINS.length)]!;
    const operation = ctx.prng.pick(['Create', 'Patch', 'Patch', 'Assign'] as const);
    const at =
      operation === 'Create' ? String(node.data.createdDateTime ?? ctx.timestamp()) : ctx.timestamp();
    events.push({
      at,
      run: (when) =>
        recordAudit(
          ctx.store,
          {
            kind: 'user',
            userPrincipalName: `${name}@${ctx.profile.domain}`,
            userId: ctx.id(`admin-${name}`),
          },
          {
            operation,
            collection,
            resourceId: node.id,
            resourceDisplayName: String(node.data.displayName ?? node.data.name ?? ''),
            resourceType: node.type,
            modified:
              operation === 'Patch'
                ? [{ displayName: 'Description', oldValue: '', newValue: node.data.description ?? '' }]
                : [],
            at: when,
          },
        ),
    });
  }
  for (const e of events.sort((a, b) => a.at.localeCompare(b.at))) e.run(e.at);
  // Entra's log: the conditional access policies' creation, by the first admin (no random draws, so
  // everything built after keeps its ids).
  const admin = ADMINS[0]!;
  for (const node of ctx.store.collection('/identity/conditionalAccess/policies').values()) {
    const at = String(node.data.createdDateTime ?? '2024-01-02T08:00:00Z');
    recordDirectoryAudit(
      ctx.store,
      {
        kind: 'user',
        userPrincipalName: `${admin}@${ctx.profile.domain}`,
        userId: stableGuid(ctx.profile.tenantId, `admin-${admin}`),
      },
      {
        operation: 'Create',
        collection: '/identity/conditionalAccess/policies',
        resourceId: node.id,
        resourceDisplayName: String(node.data.displayName ?? ''),
        resourceType: node.type,
        at,
      },
    );
  }
}
