import type { BuildContext } from '../context';

const GROUP_NAMES = [
  'SG-Intune-All-Windows-Devices',
  'SG-Intune-Pilot-Users',
  'SG-Intune-Autopilot-Devices',
  'SG-Update-Ring-Preview',
  'SG-Update-Ring-Pilot',
  'SG-Update-Ring-Broad',
  'SG-Finance-Users',
  'SG-HR-Users',
  'SG-Sales-Users',
  'SG-IT-Admins',
  'SG-Kiosk-Devices',
  'SG-iOS-Corporate-Devices',
  'SG-Android-Enterprise-Users',
  'SG-macOS-Devices',
  'SG-BYOD-Users',
  'SG-Executives',
  'SG-CA-Exclude-BreakGlass',
  'SG-W365-Users',
  'SG-Remote-Workers',
  'SG-Developers',
  'SG-Contractors',
  'SG-Frontline-Workers',
  'SG-Shared-Devices',
  'SG-App-Microsoft365-Apps',
  'SG-App-Adobe-Acrobat-Reader',
  'SG-App-Zoom',
  'SG-Compliance-Exempt',
  'SG-Defender-Onboarding',
  'SG-LAPS-Enabled-Devices',
  'SG-Printers-Floor2',
];
const DYNAMIC_GROUPS: Array<[string, string]> = [
  [
    'DG-All-Windows-11-Devices',
    '(device.deviceOSType -eq "Windows") and (device.deviceOSVersion -startsWith "10.0.22")',
  ],
  ['DG-All-iPhones', '(device.deviceOSType -eq "iPhone")'],
  ['DG-Corporate-Owned-Devices', '(device.deviceOwnership -eq "Company")'],
  ['DG-Autopilot-Registered', '(device.devicePhysicalIDs -any (_ -contains "[ZTDId]"))'],
];
const M365_GROUPS = ['M365-Marketing', 'M365-Project-Phoenix', 'M365-Service-Desk', 'M365-Leadership-Team'];

/** Security, dynamic and Microsoft 365 groups. `nameOffset` shifts the name list so tenants overlap in part. */
export function buildGroups(
  ctx: BuildContext,
  count: number,
  options: { prefix?: string; nameOffset?: number } = {},
): void {
  const names: Array<{ name: string; kind: 'security' | 'dynamic' | 'm365'; rule?: string }> = [
    ...GROUP_NAMES.map((name) => ({ name, kind: 'security' as const })),
    ...DYNAMIC_GROUPS.map(([name, rule]) => ({ name, kind: 'dynamic' as const, rule })),
    ...M365_GROUPS.map((name) => ({ name, kind: 'm365' as const })),
  ];
  const offset = options.nameOffset ?? 0;
  for (let i = 0; i < count; i++) {
    const spec = names[(i + offset) % names.length]!;
    const base =
      i + offset >= names.length ? `${spec.name}-${Math.floor((i + offset) / names.length) + 1}` : spec.name;
    const displayName = ctx.name(
      options.prefix && i % 2 === 1 ? base.replace(/^(SG|DG|M365)-/, `$1-${options.prefix}-`) : base,
    );
    const mailNickname = displayName.replace(/[^A-Za-z0-9-]/g, '').slice(0, 60);
    const id = ctx.id('group');
    const { createdDateTime } = ctx.times();
    const m365 = spec.kind === 'm365';
    const node = ctx.add('/groups', 'group', displayName, {
      id,
      deletedDateTime: null,
      classification: null,
      createdDateTime,
      creationOptions: m365 ? ['YammerProvisioning'] : [],
      description: `${displayName.replace(/^(SG|DG|M365)-/, '').replace(/-/g, ' ')} (${ctx.profile.orgName})`,
      expirationDateTime: null,
      groupTypes: m365 ? ['Unified'] : spec.kind === 'dynamic' ? ['DynamicMembership'] : [],
      isAssignableToRole: spec.name === 'SG-IT-Admins' ? true : null,
      mail: m365 ? `${mailNickname.toLowerCase()}@${ctx.profile.domain}` : null,
      mailEnabled: m365,
      mailNickname,
      membershipRule: spec.rule ?? null,
      membershipRuleProcessingState: spec.rule ? 'On' : null,
      onPremisesDomainName: null,
      onPremisesLastSyncDateTime: null,
      onPremisesNetBiosName: null,
      onPremisesSamAccountName: null,
      onPremisesSecurityIdentifier: null,
      onPremisesSyncEnabled: null,
      preferredDataLocation: null,
      preferredLanguage: null,
      proxyAddresses: m365 ? [`SMTP:${mailNickname.toLowerCase()}@${ctx.profile.domain}`] : [],
      renewedDateTime: createdDateTime,
      resourceBehaviorOptions: [],
      resourceProvisioningOptions: [],
      securityEnabled: !m365,
      securityIdentifier: `S-1-12-1-${parseInt(id.slice(0, 8), 16)}-${parseInt(id.slice(9, 13), 16)}-${parseInt(id.slice(14, 18), 16)}`,
      theme: null,
      visibility: m365 ? 'Private' : null,
      onPremisesProvisioningErrors: [],
    });
    for (const key of Object.keys(node.data)) {
      if (!['id', '@odata.type'].includes(key) && !ctx.schema.property('group', key)) delete node.data[key];
    }
    ctx.groups.push({ id, displayName });
  }
}

const FILTERS: Array<[string, string, string]> = [
  ['Windows - Corporate owned', 'windows10AndLater', '(device.deviceOwnership -eq "Corporate")'],
  ['Windows - Virtual machines', 'windows10AndLater', '(device.model -contains "Virtual Machine")'],
  ['iOS - Supervised iPhones', 'iOS', '(device.deviceCategory -eq "iPhone") and (device.isRooted -eq False)'],
  ['Android - Samsung devices', 'androidForWork', '(device.manufacturer -eq "samsung")'],
  ['macOS - Apple silicon', 'macOS', '(device.model -startsWith "MacBook")'],
  ['Windows - Surface devices', 'windows10AndLater', '(device.manufacturer -eq "Microsoft Corporation")'],
];

export function buildAssignmentFilters(ctx: BuildContext, count: number): void {
  for (let i = 0; i < count; i++) {
    const [name, platform, rule] = FILTERS[i % FILTERS.length]!;
    const node = ctx.add(
      '/deviceManagement/assignmentFilters',
      'deviceAndAppManagementAssignmentFilter',
      ctx.name(name),
      {
        platform,
        rule,
        roleScopeTags: ['0'],
        assignmentFilterManagementType: 'devices',
      },
    );
    ctx.filters.push({ id: node.id, platform });
  }
}

const SCOPE_TAGS = [
  'Region-EMEA',
  'Region-Americas',
  'Region-APAC',
  'Helpdesk-Tier1',
  'Subsidiary-Northwind',
];

export function buildScopeTags(ctx: BuildContext, count: number): void {
  ctx.add('/deviceManagement/roleScopeTags', 'roleScopeTag', 'Default', {
    id: '0',
    description: 'Default scope tag',
    isBuiltIn: true,
  });
  for (let i = 0; i < count; i++) {
    const id = String(i + 1);
    const node = ctx.add(
      '/deviceManagement/roleScopeTags',
      'roleScopeTag',
      ctx.name(SCOPE_TAGS[i % SCOPE_TAGS.length]!),
      {
        id,
        isBuiltIn: false,
      },
    );
    ctx.assign(node);
    ctx.scopeTagIds.push(id);
  }
}

export function buildDeviceCategories(ctx: BuildContext, count: number): void {
  const names = [
    'Corporate Laptop',
    'Shared Kiosk',
    'Executive Phone',
    'Developer Workstation',
    'Frontline Tablet',
    'Lab Device',
  ];
  for (let i = 0; i < count; i++) {
    ctx.add('/deviceManagement/deviceCategories', 'deviceCategory', ctx.name(names[i % names.length]!), {
      roleScopeTagIds: ['0'],
    });
  }
}

export function buildNotificationTemplates(ctx: BuildContext, count: number): void {
  const names = [
    'Noncompliant device - first notice',
    'Noncompliant device - final warning',
    'Jailbroken device detected',
    'OS update required',
  ];
  for (let i = 0; i < count; i++) {
    const displayName = ctx.name(names[i % names.length]!);
    const node = ctx.add(
      '/deviceManagement/notificationMessageTemplates',
      'notificationMessageTemplate',
      displayName,
      {
        defaultLocale: 'en-us',
        brandingOptions: 'includeCompanyLogo,includeCompanyName,includeContactInformation',
        description: undefined,
      },
    );
    const messages: Array<[string, string, string]> = [
      [
        'en-us',
        'Action required: your device is not compliant',
        `Your device does not meet ${ctx.profile.orgName} security requirements. Open Company Portal to fix it.`,
      ],
      [
        'de-de',
        'Aktion erforderlich: Ihr Gerät ist nicht konform',
        `Ihr Gerät erfüllt die Sicherheitsanforderungen von ${ctx.profile.orgName} nicht.`,
      ],
    ];
    messages.forEach(([locale, subject, messageTemplate], j) =>
      ctx.child(node, 'localizedNotificationMessages', 'localizedNotificationMessage', {
        id: `${node.id}_${locale}`,
        locale,
        subject,
        messageTemplate,
        isDefault: j === 0,
        lastModifiedDateTime: ctx.timestamp(),
      }),
    );
    ctx.notificationTemplateIds.push(node.id);
  }
}

const INTUNE_BUILT_IN_ROLES: Array<[string, string]> = [
  [
    'Policy and Profile manager',
    'Manages compliance policy, configuration profiles, Apple enrollment, corporate device identifiers, and security baselines.',
  ],
  [
    'Help Desk Operator',
    'Performs remote tasks on users and devices and can assign applications or policies to users or devices.',
  ],
  [
    'Application Manager',
    'Manages mobile and managed applications, can read device information and can view device configuration profiles.',
  ],
  ['Read Only Operator', 'Views user, device, enrollment, configuration, and application information.'],
  [
    'Intune Role Administrator',
    'Manages custom Intune roles and adds assignments for built-in Intune roles.',
  ],
  [
    'Endpoint Security Manager',
    'Manages security and compliance features such as security baselines, device compliance, conditional access, and Microsoft Defender for Endpoint.',
  ],
  ['School Administrator', 'Manages Windows 10 devices in Intune for Education.'],
  ['Cloud PC Administrator', 'Manages all aspects of Cloud PCs.'],
];

export function buildIntuneRoles(ctx: BuildContext, customCount: number): void {
  const collection = '/deviceManagement/roleDefinitions';
  const permissions = (actions: string[]) => [
    {
      '@odata.type': '#microsoft.graph.rolePermission',
      actions: [],
      resourceActions: [
        {
          '@odata.type': '#microsoft.graph.resourceAction',
          allowedResourceActions: actions,
          notAllowedResourceActions: [],
        },
      ],
    },
  ];
  const defs: string[] = [];
  INTUNE_BUILT_IN_ROLES.forEach(([name, description]) => {
    const node = ctx.add(collection, 'deviceAndAppManagementRoleDefinition', name, {
      description,
      isBuiltIn: true,
      isBuiltInRoleDefinition: true,
      roleScopeTagIds: ['0'],
      permissions: undefined,
      rolePermissions: permissions([
        'Microsoft.Intune_DeviceConfigurations_Read',
        'Microsoft.Intune_Organization_Read',
      ]),
    });
    defs.push(node.id);
  });
  const customNames = ['Contoso - Tier 1 Helpdesk', 'Contoso - App Packaging', 'Contoso - Security Auditors'];
  for (let i = 0; i < customCount; i++) {
    const name = ctx.name(
      customNames[i % customNames.length]!.replace('Contoso', ctx.profile.orgName.split(' ')[0]!),
    );
    const node = ctx.add(collection, 'deviceAndAppManagementRoleDefinition', name, {
      isBuiltIn: false,
      isBuiltInRoleDefinition: false,
      permissions: undefined,
      rolePermissions: permissions([
        'Microsoft.Intune_ManagedDevices_Read',
        'Microsoft.Intune_RemoteTasks_RebootNow',
        'Microsoft.Intune_MobileApps_Read',
      ]),
    });
    defs.push(node.id);
  }
  for (let i = 0; i < Math.min(3, defs.length) && ctx.groups.length > 0; i++) {
    ctx.add(
      '/deviceManagement/roleAssignments',
      'deviceAndAppManagementRoleAssignment',
      ctx.name(`Assignment ${i + 1}`),
      {
        description: 'Role assignment for the regional IT team',
        scopeMembers: [ctx.prng.pick(ctx.groups).id],
        members: [ctx.prng.pick(ctx.groups).id],
        resourceScopes: [ctx.prng.pick(ctx.groups).id],
        scopeType: 'resourceScope',
        roleScopeTagIds: ['0'],
      },
    );
  }
}
