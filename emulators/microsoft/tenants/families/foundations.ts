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

/** Built-in Entra roles (real template ids) plus a few custom roles. */
const ENTRA_BUILT_IN_ROLES: Array<[string, string, string]> = [
  [
    '62e90394-69f5-4237-9190-012177145e10',
    'Global Administrator',
    'Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.',
  ],
  [
    '3a2c62db-5318-420d-8d74-23affee5d9d5',
    'Intune Administrator',
    'Can manage all aspects of the Intune product.',
  ],
  [
    'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
    'Conditional Access Administrator',
    'Can manage Conditional Access capabilities.',
  ],
  [
    '194ae4cb-b126-40b2-bd5b-6091b380977d',
    'Security Administrator',
    'Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.',
  ],
  [
    'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
    'Global Reader',
    'Can read everything that a Global Administrator can, but not update anything.',
  ],
  [
    'fe930be7-5e62-47db-91af-98c3a49a38b1',
    'User Administrator',
    'Can manage all aspects of users and groups, including resetting passwords for limited admins.',
  ],
  [
    'fdd7a751-b60b-444a-984c-02652fe8fa1c',
    'Groups Administrator',
    'Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies, and view groups activity and audit reports.',
  ],
  [
    '729827e3-9c14-49f7-bb1b-9608f156bbb8',
    'Helpdesk Administrator',
    'Can reset passwords for non-administrators and Helpdesk Administrators.',
  ],
  [
    '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
    'Application Administrator',
    'Can create and manage all aspects of app registrations and enterprise apps.',
  ],
  [
    '158c047a-c907-4556-b7ef-446551a6b5f7',
    'Cloud Application Administrator',
    'Can create and manage all aspects of app registrations and enterprise apps except App Proxy.',
  ],
  [
    '5d6b6bb7-de71-4623-b4af-96380a352509',
    'Security Reader',
    'Can read security information and reports in Microsoft Entra ID and Office 365.',
  ],
  [
    'c4e39bd9-1100-46d3-8c65-fb160da0071f',
    'Authentication Administrator',
    'Can access to view, set and reset authentication method information for any non-admin user.',
  ],
  [
    'e8611ab8-c189-46e8-94e1-60213ab1f814',
    'Privileged Role Administrator',
    'Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.',
  ],
  ['4a5d8f65-41da-4de4-8968-e035b65339cf', 'Reports Reader', 'Can read sign-in and audit reports.'],
  [
    '11451d60-acb2-45eb-a7d6-43d0f0125c13',
    'Windows 365 Administrator',
    'Can provision and manage all aspects of Cloud PCs.',
  ],
  [
    '29232cdf-9323-42fd-ade2-1d097af3e4de',
    'Exchange Administrator',
    'Can manage all aspects of the Exchange product.',
  ],
  [
    'f28a1f50-f6e7-4571-818b-6a12f2af6b6c',
    'SharePoint Administrator',
    'Can manage all aspects of the SharePoint service.',
  ],
  ['69091246-20e8-4a56-aa4d-066075b2a7a8', 'Teams Administrator', 'Can manage the Microsoft Teams service.'],
  [
    'b0f54661-2d74-4c50-afa3-1ec803f12efe',
    'Billing Administrator',
    'Can perform common billing related tasks like updating payment information.',
  ],
];

export function buildEntraRoles(ctx: BuildContext, customCount: number): void {
  const collection = '/roleManagement/directory/roleDefinitions';
  const perms = (actions: string[]) => [{ allowedResourceActions: actions, condition: null }];
  for (const [templateId, displayName, description] of ENTRA_BUILT_IN_ROLES) {
    ctx.add(collection, 'unifiedRoleDefinition', displayName, {
      id: templateId,
      templateId,
      description,
      isBuiltIn: true,
      isEnabled: true,
      isPrivileged: [
        '62e90394-69f5-4237-9190-012177145e10',
        'e8611ab8-c189-46e8-94e1-60213ab1f814',
        '194ae4cb-b126-40b2-bd5b-6091b380977d',
      ].includes(templateId),
      resourceScopes: ['/'],
      version: '1',
      rolePermissions: perms([
        'microsoft.directory/groups/allProperties/read',
        'microsoft.directory/policies/standard/read',
      ]),
      inheritsPermissionsFrom: undefined,
    });
  }
  const custom = ['Device Configuration Reader', 'Group Owner Manager', 'App Registration Auditor'];
  for (let i = 0; i < customCount; i++) {
    const id = ctx.id('custom-role');
    ctx.add(
      collection,
      'unifiedRoleDefinition',
      ctx.name(`${ctx.profile.orgName.split(' ')[0]} - ${custom[i % custom.length]}`),
      {
        id,
        templateId: id,
        description: 'Custom role created by the identity team',
        isBuiltIn: false,
        isEnabled: true,
        isPrivileged: false,
        resourceScopes: ['/'],
        version: null,
        rolePermissions: perms(['microsoft.directory/applications/allProperties/read']),
        inheritsPermissionsFrom: undefined,
      },
    );
  }
}
