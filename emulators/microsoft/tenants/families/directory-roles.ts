import type { BuildContext } from '../context';

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
