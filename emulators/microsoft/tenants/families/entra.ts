import { MICROSOFT_GRAPH_APP_ID, GRAPH_APP_ROLES } from '../../entra/permissions';
import type { AppRegistration, EntraTenant } from '../../entra/directory';
import type { BuildContext } from '../context';
import { newNode, type EntityNode } from '../store';

const CA = '/identity/conditionalAccess';

export function buildNamedLocations(ctx: BuildContext, count: number): string[] {
  const specs: Array<Record<string, unknown> & { displayName: string }> = [
    {
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      displayName: 'HQ - Public egress',
      isTrusted: true,
      ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '203.0.113.0/24' }],
    },
    {
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      displayName: 'Branch offices',
      isTrusted: true,
      ipRanges: [
        { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '198.51.100.0/25' },
        { '@odata.type': '#microsoft.graph.iPv6CidrRange', cidrAddress: '2001:db8:1234::/48' },
      ],
    },
    {
      '@odata.type': '#microsoft.graph.countryNamedLocation',
      displayName: 'Blocked countries',
      countriesAndRegions: ['KP', 'IR', 'SY'],
      includeUnknownCountriesAndRegions: true,
      countryLookupMethod: 'clientIpAddress',
    },
    {
      '@odata.type': '#microsoft.graph.countryNamedLocation',
      displayName: 'Allowed travel countries',
      countriesAndRegions: ['US', 'GB', 'DE', 'NL', 'FR'],
      includeUnknownCountriesAndRegions: false,
      countryLookupMethod: 'clientIpAddress',
    },
    {
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      displayName: 'VPN concentrators',
      isTrusted: false,
      ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '192.0.2.16/28' }],
    },
  ];
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const spec = specs[i % specs.length]!;
    const type = String(spec['@odata.type']).replace('#microsoft.graph.', '');
    const displayName = ctx.name(spec.displayName);
    const node = ctx.add(`${CA}/namedLocations`, type, displayName, { ...spec, displayName });
    ids.push(node.id);
  }
  return ids;
}

export function buildAuthenticationContexts(ctx: BuildContext, count: number): string[] {
  const names = [
    'Require trusted location',
    'Require compliant device',
    'Step-up MFA for sensitive data',
    'Privileged actions',
  ];
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `c${i + 1}`;
    ctx.add(
      `${CA}/authenticationContextClassReferences`,
      'authenticationContextClassReference',
      names[i % names.length]!,
      {
        id,
        description: `Authentication context: ${names[i % names.length]}`,
        isAvailable: i < 3,
      },
    );
    ids.push(id);
  }
  return ids;
}

export function buildAuthenticationStrengths(ctx: BuildContext, customCount: number): void {
  const collection = '/policies/authenticationStrengthPolicies';
  const builtIn: Array<[string, string, string, string[]]> = [
    [
      '00000000-0000-0000-0000-000000000002',
      'Multifactor authentication',
      'Combinations of methods that satisfy strong authentication, such as a password + SMS',
      [
        'windowsHelloForBusiness',
        'fido2',
        'x509CertificateMultiFactor',
        'deviceBasedPush',
        'temporaryAccessPassOneTime',
        'temporaryAccessPassMultiUse',
        'password,microsoftAuthenticatorPush',
        'password,softwareOath',
        'password,hardwareOath',
        'password,sms',
        'password,voice',
        'federatedMultiFactor',
        'microsoftAuthenticatorPush,federatedSingleFactor',
        'softwareOath,federatedSingleFactor',
        'hardwareOath,federatedSingleFactor',
        'sms,federatedSingleFactor',
        'voice,federatedSingleFactor',
      ],
    ],
    [
      '00000000-0000-0000-0000-000000000003',
      'Passwordless MFA',
      'Passwordless methods that satisfy strong authentication, such as Passwordless sign-in with the Microsoft Authenticator',
      ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush'],
    ],
    [
      '00000000-0000-0000-0000-000000000004',
      'Phishing-resistant MFA',
      'Phishing-resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key',
      ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
    ],
  ];
  for (const [id, displayName, description, allowedCombinations] of builtIn) {
    ctx.add(collection, 'authenticationStrengthPolicy', displayName, {
      id,
      description,
      policyType: 'builtIn',
      requirementsSatisfied: 'mfa',
      allowedCombinations,
      createdDateTime: '2021-12-01T00:00:00Z',
      modifiedDateTime: '2021-12-01T00:00:00Z',
    });
  }
  const custom: Array<[string, string[]]> = [
    ['Admins - FIDO2 or WHfB only', ['fido2', 'windowsHelloForBusiness']],
    ['Guests - Authenticator or OATH', ['password,microsoftAuthenticatorPush', 'password,softwareOath']],
    ['Contractors - Certificate based', ['x509CertificateMultiFactor']],
  ];
  for (let i = 0; i < customCount; i++) {
    const [name, combos] = custom[i % custom.length]!;
    ctx.add(collection, 'authenticationStrengthPolicy', ctx.name(name), {
      description: `${name} (${ctx.profile.orgName})`,
      policyType: 'custom',
      requirementsSatisfied: 'mfa',
      allowedCombinations: combos,
    });
  }
}

export function buildAgreements(ctx: BuildContext, count: number): void {
  for (let i = 0; i < count; i++) {
    ctx.add(
      '/identityGovernance/termsOfUse/agreements',
      'agreement',
      ctx.name(i === 0 ? `${ctx.profile.orgName} Terms of Use` : 'Guest access terms'),
      {
        isViewingBeforeAcceptanceRequired: true,
        isPerDeviceAcceptanceRequired: i === 1,
        userReacceptRequiredFrequency: i === 0 ? 'P365D' : null,
        termsExpiration: i === 0 ? { startDateTime: '2024-01-01T00:00:00Z', frequency: 'P180D' } : null,
      },
    );
  }
}

const CA_POLICIES: Array<{
  name: string;
  state: string;
  controls: string[];
  apps?: string[];
  platforms?: boolean;
  locations?: boolean;
  roles?: boolean;
  context?: boolean;
}> = [
  { name: 'CA001 - Require MFA for administrators', state: 'enabled', controls: ['mfa'], roles: true },
  { name: 'CA002 - Block legacy authentication', state: 'enabled', controls: ['block'] },
  {
    name: 'CA003 - Require MFA for all users',
    state: 'enabledForReportingButNotEnforced',
    controls: ['mfa'],
  },
  {
    name: 'CA004 - Require compliant or hybrid joined device',
    state: 'enabled',
    controls: ['compliantDevice', 'domainJoinedDevice'],
    platforms: true,
  },
  {
    name: 'CA005 - Block access from blocked countries',
    state: 'enabled',
    controls: ['block'],
    locations: true,
  },
  {
    name: 'CA006 - Require approved client app on mobile',
    state: 'enabled',
    controls: ['approvedApplication', 'compliantApplication'],
    platforms: true,
  },
  {
    name: 'CA007 - Require MFA for Azure management',
    state: 'enabled',
    controls: ['mfa'],
    apps: ['797f4846-ba00-4fd7-ba43-dac1f8f63013'],
  },
  { name: 'CA008 - Step-up for sensitive data', state: 'disabled', controls: ['mfa'], context: true },
  {
    name: 'CA009 - Require terms of use for guests',
    state: 'enabledForReportingButNotEnforced',
    controls: ['mfa'],
  },
  { name: 'CA010 - Block unknown platforms', state: 'enabled', controls: ['block'], platforms: true },
  {
    name: 'CA011 - Require password change for high-risk users',
    state: 'enabled',
    controls: ['mfa', 'passwordChange'],
  },
  { name: 'CA012 - Sign-in frequency for unmanaged devices', state: 'enabled', controls: ['mfa'] },
];

export function buildConditionalAccess(
  ctx: BuildContext,
  count: number,
  refs: { locations: string[]; contexts: string[] },
): void {
  const breakGlass = ctx.groups.find((g) => g.displayName.includes('BreakGlass')) ?? ctx.groups[0];
  for (let i = 0; i < count; i++) {
    const spec = CA_POLICIES[i % CA_POLICIES.length]!;
    const users = {
      includeUsers: spec.roles ? [] : ['All'],
      excludeUsers: [],
      includeGroups:
        !spec.roles && ctx.groups.length > 3 && i % 3 === 2 ? [ctx.prng.pick(ctx.groups).id] : [],
      excludeGroups: breakGlass ? [breakGlass.id] : [],
      includeRoles: spec.roles
        ? [
            '62e90394-69f5-4237-9190-012177145e10',
            '3a2c62db-5318-420d-8d74-23affee5d9d5',
            'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
          ]
        : [],
      excludeRoles: [],
      includeGuestsOrExternalUsers: null,
      excludeGuestsOrExternalUsers: null,
    };
    const conditions: Record<string, unknown> = {
      userRiskLevels: spec.name.includes('high-risk') ? ['high'] : [],
      signInRiskLevels: [],
      clientAppTypes: spec.name.includes('legacy') ? ['exchangeActiveSync', 'other'] : ['all'],
      platforms: spec.platforms
        ? {
            includePlatforms: spec.name.includes('unknown') ? ['all'] : ['android', 'iOS'],
            excludePlatforms: spec.name.includes('unknown')
              ? ['android', 'iOS', 'windows', 'macOS', 'linux']
              : [],
          }
        : null,
      locations:
        spec.locations && refs.locations.length > 0
          ? {
              includeLocations: [refs.locations[Math.min(2, refs.locations.length - 1)]!],
              excludeLocations: [],
            }
          : null,
      devices: null,
      clientApplications: null,
      applications: {
        includeApplications: spec.context ? [] : (spec.apps ?? ['All']),
        excludeApplications: [],
        includeUserActions: [],
        includeAuthenticationContextClassReferences:
          spec.context && refs.contexts.length > 0 ? [refs.contexts[0]!] : [],
        applicationFilter: null,
      },
      users,
    };
    ctx.add(`${CA}/policies`, 'conditionalAccessPolicy', ctx.name(spec.name), {
      state: spec.state,
      conditions,
      grantControls: {
        operator: spec.controls.length > 1 ? 'OR' : 'AND',
        builtInControls: spec.controls,
        customAuthenticationFactors: [],
        termsOfUse: [],
      },
      sessionControls: spec.name.includes('frequency')
        ? {
            applicationEnforcedRestrictions: null,
            cloudAppSecurity: null,
            persistentBrowser: null,
            disableResilienceDefaults: null,
            signInFrequency: {
              value: 8,
              type: 'hours',
              isEnabled: true,
              authenticationType: 'primaryAndSecondaryAuthentication',
              frequencyInterval: 'timeBased',
            },
          }
        : null,
      description: undefined,
    });
  }
}

/** The service principals of our app (in the customer tenant) and of Microsoft Graph (with its app roles). */
/** The service principal object of an app registration in its tenant. */
export function appServicePrincipal(tenant: EntraTenant, app: AppRegistration): EntityNode {
  return newNode('servicePrincipal', {
    id: app.servicePrincipalId,
    deletedDateTime: null,
    accountEnabled: true,
    appDisplayName: app.displayName,
    appId: app.clientId,
    appOwnerOrganizationId: tenant.tenantId,
    appRoleAssignmentRequired: false,
    appRoles: [],
    displayName: app.displayName,
    servicePrincipalNames: [app.clientId],
    servicePrincipalType: 'Application',
    signInAudience: 'AzureADMultipleOrgs',
    tags: ['WindowsAzureActiveDirectoryIntegratedApp'],
  });
}

export function buildServicePrincipals(ctx: BuildContext, tenant: EntraTenant): void {
  const sp = '/servicePrincipals';
  for (const app of tenant.apps.values()) ctx.store.add(sp, appServicePrincipal(tenant, app));
  ctx.store.add(
    sp,
    newNode('servicePrincipal', {
      id: tenant.graphServicePrincipalId,
      deletedDateTime: null,
      accountEnabled: true,
      appDisplayName: 'Microsoft Graph',
      appId: MICROSOFT_GRAPH_APP_ID,
      appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
      appRoleAssignmentRequired: false,
      appRoles: Object.entries(GRAPH_APP_ROLES).map(([value, id]) => ({
        allowedMemberTypes: ['Application'],
        description: `Allows the app to use ${value} without a signed-in user.`,
        displayName: value.replace(/\./g, ' '),
        id,
        isEnabled: true,
        origin: 'Application',
        value,
      })),
      displayName: 'Microsoft Graph',
      servicePrincipalNames: ['https://graph.microsoft.com', MICROSOFT_GRAPH_APP_ID],
      servicePrincipalType: 'Application',
      signInAudience: 'AzureADMultipleOrgs',
      tags: [],
    }),
  );
}
