import type { ApiVersion, GraphReference } from './load';
import { schemasOf } from './schema';

/**
 * The simulator's catalogue of Graph collections: every collection path of contracts-index.json (per API
 * version, with its element type and /assign action) plus the anchor collections that live outside
 * /deviceManagement and /deviceAppManagement (Windows 365, authentication strengths and contexts, terms
 * of use, service principals). It is the simulator's own routing table, not the product's contract
 * registry.
 */
export type PermissionFamily =
  | 'intune-config'
  | 'intune-apps'
  | 'intune-serviceconfig'
  | 'intune-rbac'
  | 'intune-devices'
  | 'intune-audit'
  | 'entra-audit'
  | 'entra-ca'
  | 'entra-authstrength'
  | 'entra-groups'
  | 'entra-roles'
  | 'entra-apps'
  | 'agreements'
  | 'cloudpc';

/** Which service answers: decides the error shapes (Intune wraps messages in a JSON envelope). */
export type ServiceKind = 'intune' | 'directory' | 'policy';

export interface CollectionVersion {
  elementType: string;
  /** Body property of the `/assign` action (`assignments`, `mobileAppAssignments`, …) or null when there is none. */
  assignBodyKey: string | null;
}

export interface CollectionDef {
  path: string;
  versions: Partial<Record<ApiVersion, CollectionVersion>>;
  family: PermissionFamily;
  service: ServiceKind;
  paging: { defaultSize: number; maxSize: number };
  /** A read-only union of other collections (managedAppPolicies). */
  viewOf?: string[];
  /** GET only (auditEvents, groupPolicyDefinitions). */
  readOnly?: boolean;
  /** Contained navigations the seeded tenants fill (documented; any declared containment is addressable). */
  subResources: string[];
  /**
   * One object per tenant at `path` (`/deviceManagement/applePushNotificationCertificate`): GET answers the
   * object itself, never a page; it cannot be created or deleted.
   */
  singleton?: true;
}

/**
 * Tenant-wide singletons (the `deviceManagement` navigations and properties the peer backup tools read).
 * `settings` is a complex-typed property, changed by `PATCH /deviceManagement`, not on its own path.
 */
const SINGLETONS: Array<{ path: string; type: string; readOnly?: true }> = [
  { path: '/deviceManagement/settings', type: 'deviceManagementSettings', readOnly: true },
  { path: '/deviceManagement/applePushNotificationCertificate', type: 'applePushNotificationCertificate' },
  {
    path: '/deviceManagement/androidManagedStoreAccountEnterpriseSettings',
    type: 'androidManagedStoreAccountEnterpriseSettings',
  },
];

const ANCHOR_EXTRAS: Array<{ path: string; type: string; versions: ApiVersion[]; assign?: string }> = [
  {
    path: '/deviceManagement/virtualEndpoint/provisioningPolicies',
    type: 'cloudPcProvisioningPolicy',
    versions: ['v1.0', 'beta'],
    assign: 'assignments',
  },
  {
    path: '/deviceManagement/virtualEndpoint/userSettings',
    type: 'cloudPcUserSetting',
    versions: ['v1.0', 'beta'],
    assign: 'assignments',
  },
  {
    path: '/policies/authenticationStrengthPolicies',
    type: 'authenticationStrengthPolicy',
    versions: ['v1.0', 'beta'],
  },
  {
    path: '/identity/conditionalAccess/authenticationContextClassReferences',
    type: 'authenticationContextClassReference',
    versions: ['v1.0', 'beta'],
  },
  { path: '/identityGovernance/termsOfUse/agreements', type: 'agreement', versions: ['v1.0', 'beta'] },
  { path: '/servicePrincipals', type: 'servicePrincipal', versions: ['v1.0', 'beta'] },
  { path: '/auditLogs/directoryAudits', type: 'directoryAudit', versions: ['v1.0', 'beta'] },
];

const SUB_RESOURCES: Record<string, string[]> = {
  '/deviceManagement/configurationPolicies': ['assignments', 'settings'],
  '/deviceManagement/compliancePolicies': ['assignments', 'settings', 'scheduledActionsForRule'],
  '/deviceManagement/groupPolicyConfigurations': ['assignments', 'definitionValues'],
  '/deviceManagement/deviceCompliancePolicies': ['assignments', 'scheduledActionsForRule'],
  '/deviceManagement/notificationMessageTemplates': ['localizedNotificationMessages'],
  '/deviceManagement/intents': ['assignments', 'settings'],
  '/deviceManagement/groupPolicyDefinitions': ['presentations'],
  '/deviceAppManagement/iosManagedAppProtections': ['assignments', 'apps'],
  '/deviceAppManagement/androidManagedAppProtections': ['assignments', 'apps'],
  '/deviceAppManagement/windowsManagedAppProtections': ['assignments', 'apps'],
  '/deviceAppManagement/targetedManagedAppConfigurations': ['assignments', 'apps'],
  '/deviceAppManagement/policySets': ['assignments', 'items'],
  '/servicePrincipals': ['appRoleAssignments'],
};

/** Nested sub-resources (below a sub-resource item). */
export const NESTED_SUB_RESOURCES: Record<string, string[]> = {
  '/deviceManagement/groupPolicyConfigurations/definitionValues': ['presentationValues'],
  '/deviceManagement/deviceCompliancePolicies/scheduledActionsForRule': ['scheduledActionConfigurations'],
};

function familyOf(path: string): PermissionFamily {
  const last = path.split('/').pop() ?? '';
  if (path === '/deviceManagement/auditEvents') return 'intune-audit';
  if (path === '/auditLogs/directoryAudits') return 'entra-audit';
  if (path.startsWith('/deviceManagement/virtualEndpoint')) return 'cloudpc';
  if (path.startsWith('/deviceAppManagement')) return 'intune-apps';
  if (['roleDefinitions', 'roleAssignments', 'roleScopeTags', 'resourceOperations'].includes(last)) {
    return path.startsWith('/roleManagement') ? 'entra-roles' : 'intune-rbac';
  }
  if (path.startsWith('/roleManagement')) return 'entra-roles';
  if (
    [
      'deviceEnrollmentConfigurations',
      'windowsAutopilotDeploymentProfiles',
      'appleUserInitiatedEnrollmentProfiles',
      'termsAndConditions',
      'intuneBrandingProfiles',
      'depOnboardingSettings',
      'windowsAutopilotDeviceIdentities',
      'importedWindowsAutopilotDeviceIdentities',
      'androidDeviceOwnerEnrollmentProfiles',
      'androidForWorkEnrollmentProfiles',
      'exchangeConnectors',
      'mobileThreatDefenseConnectors',
      'deviceManagementPartners',
      'complianceManagementPartners',
      'remoteAssistancePartners',
      'applePushNotificationCertificate',
    ].includes(last)
  ) {
    return 'intune-serviceconfig';
  }
  if (
    [
      'managedDevices',
      'deviceCategories',
      'detectedApps',
      'comanagedDevices',
      'windowsMalwareInformation',
    ].includes(last)
  ) {
    return 'intune-devices';
  }
  if (path.startsWith('/identity/conditionalAccess')) return 'entra-ca';
  if (path.startsWith('/policies/authenticationStrength')) return 'entra-authstrength';
  if (path === '/groups') return 'entra-groups';
  if (path === '/servicePrincipals') return 'entra-apps';
  if (path.startsWith('/identityGovernance/termsOfUse')) return 'agreements';
  return 'intune-config';
}

function serviceOf(family: PermissionFamily): ServiceKind {
  if (['entra-groups', 'entra-roles', 'entra-apps', 'entra-audit'].includes(family)) return 'directory';
  if (family.startsWith('intune') || family === 'cloudpc') return 'intune';
  return 'policy';
}

/**
 * Page sizes like the real service: the settings catalog family pages at 25, Entra directory lists at 100
 * (up to 999 with $top), Intune classic lists return up to 1000 per page, conditional access lists are
 * not paged in practice.
 */
function pagingOf(path: string): CollectionDef['paging'] {
  if (
    /\/(configurationPolicies|compliancePolicies|reusablePolicySettings|configurationPolicyTemplates)$/.test(
      path,
    )
  ) {
    return { defaultSize: 25, maxSize: 100 };
  }
  if (path === '/groups' || path === '/servicePrincipals') return { defaultSize: 100, maxSize: 999 };
  if (path === '/deviceManagement/auditEvents') return { defaultSize: 50, maxSize: 999 };
  if (path === '/auditLogs/directoryAudits') return { defaultSize: 100, maxSize: 999 };
  return { defaultSize: 1000, maxSize: 1000 };
}

export class Catalogue {
  readonly collections: CollectionDef[];
  readonly singletons: CollectionDef[];
  private readonly byPath = new Map<string, CollectionDef>();

  constructor(reference: GraphReference) {
    const schemas = schemasOf(reference);
    const defs = new Map<string, CollectionDef>();
    const add = (path: string, version: ApiVersion, elementType: string, assignBodyKey: string | null) => {
      let def = defs.get(path);
      if (!def) {
        const family = familyOf(path);
        def = {
          path,
          versions: {},
          family,
          service: serviceOf(family),
          paging: pagingOf(path),
          subResources: SUB_RESOURCES[path] ?? [],
        };
        defs.set(path, def);
      }
      def.versions[version] = { elementType, assignBodyKey };
    };
    for (const entry of reference.contracts) {
      for (const [version, v] of Object.entries(entry.versions) as Array<
        [ApiVersion, NonNullable<(typeof entry.versions)['beta']>]
      >) {
        const bodyKey = v.assignAction ? (Object.keys(v.assignAction.body)[0] ?? null) : null;
        add(entry.path, version, v.elementType, bodyKey);
      }
    }
    for (const extra of ANCHOR_EXTRAS) {
      for (const version of extra.versions) {
        if (schemas[version].hasType(extra.type)) add(extra.path, version, extra.type, extra.assign ?? null);
      }
    }
    for (const def of defs.values()) {
      if (def.subResources.length === 0) {
        const type = def.versions.beta?.elementType ?? def.versions['v1.0']?.elementType;
        if (type && schemas.beta.navigation(type, 'assignments')) def.subResources = ['assignments'];
      }
    }
    const view = defs.get('/deviceAppManagement/managedAppPolicies');
    if (view) {
      view.viewOf = [
        '/deviceAppManagement/iosManagedAppProtections',
        '/deviceAppManagement/androidManagedAppProtections',
        '/deviceAppManagement/windowsManagedAppProtections',
        '/deviceAppManagement/targetedManagedAppConfigurations',
        '/deviceAppManagement/mdmWindowsInformationProtectionPolicies',
        '/deviceAppManagement/windowsInformationProtectionPolicies',
      ];
      view.readOnly = true;
      view.versions.beta!.assignBodyKey = 'assignments';
      if (view.versions['v1.0']) view.versions['v1.0'].assignBodyKey = 'assignments';
    }
    for (const p of [
      '/deviceManagement/auditEvents',
      '/auditLogs/directoryAudits',
      '/deviceManagement/groupPolicyDefinitions',
    ]) {
      const def = defs.get(p);
      if (def) def.readOnly = true;
    }
    this.collections = [...defs.values()].sort((a, b) => b.path.length - a.path.length);
    for (const def of this.collections) this.byPath.set(def.path, def);
    this.singletons = SINGLETONS.map(({ path, type, readOnly }) => {
      const family = familyOf(path);
      const def: CollectionDef = {
        path,
        versions: {},
        family,
        service: serviceOf(family),
        paging: pagingOf(path),
        subResources: [],
        singleton: true,
        ...(readOnly && { readOnly }),
      };
      for (const version of ['v1.0', 'beta'] as const) {
        if (schemas[version].hasType(type))
          def.versions[version] = { elementType: type, assignBodyKey: null };
      }
      this.byPath.set(path, def);
      return def;
    });
  }

  get(path: string): CollectionDef | undefined {
    return this.byPath.get(path);
  }

  /** The collection whose path is the longest prefix of the given segments, and how many segments it used. */
  /** Singletons that are properties of the root `path`, by property name. */
  singletonsUnder(path: string): Map<string, CollectionDef> {
    const out = new Map<string, CollectionDef>();
    for (const [defPath, def] of this.byPath)
      if (def.singleton && defPath.startsWith(`${path}/`) && !defPath.slice(path.length + 1).includes('/'))
        out.set(defPath.slice(path.length + 1), def);
    return out;
  }

  match(segments: string[]): { def: CollectionDef; used: number } | undefined {
    for (let used = Math.min(segments.length, 4); used >= 1; used--) {
      const def = this.byPath.get('/' + segments.slice(0, used).join('/'));
      if (def) return { def, used };
    }
    return undefined;
  }
}
