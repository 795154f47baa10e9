import { defineContract } from '../define';
import { GraphPermissions as P } from '../permissions';

const all = { from: 'fixed', platform: 'all' } as const;

export const directoryContracts = [
  defineContract({
    key: 'groups',
    label: 'Groups',
    category: 'directory',
    role: 'dependency',
    apiVersion: 'v1.0',
    collectionPath: '/groups',
    elementType: 'group',
    // What assignment targets and selectors need; the full group object is large and personal.
    select: [
      'id',
      'displayName',
      'description',
      'groupTypes',
      'securityEnabled',
      'mailEnabled',
      'membershipRule',
      'membershipRuleProcessingState',
      'mailNickname',
      'onPremisesSyncEnabled',
      'createdDateTime',
    ],
    // The directory cache follows groups with Graph's delta query (docs/directory.md).
    changeTracking: 'delta',
    platform: all,
    restorable: false,
    permissions: { read: P.groupRead, write: null },
  }),
  defineContract({
    key: 'directoryRoleDefinitions',
    label: 'Entra role definitions',
    category: 'directory',
    role: 'directory',
    apiVersion: 'v1.0',
    collectionPath: '/roleManagement/directory/roleDefinitions',
    elementType: 'unifiedRoleDefinition',
    select: ['id', 'displayName', 'description', 'isBuiltIn', 'isEnabled', 'templateId', 'rolePermissions'],
    platform: all,
    restorable: false,
    permissions: { read: P.roleManagementRead, write: null },
  }),
  defineContract({
    key: 'servicePrincipals',
    label: 'Service principals (permission verification)',
    category: 'directory',
    role: 'internal',
    apiVersion: 'v1.0',
    collectionPath: '/servicePrincipals',
    elementType: 'servicePrincipal',
    select: ['id', 'appId', 'displayName', 'appRoles'],
    // Our own app's principal (its granted roles) and Microsoft Graph's (the role ids' names).
    namedFilters: { byAppId: "appId eq '{appId}'" },
    platform: all,
    subResources: [{ name: 'appRoleAssignments', read: 'batch', write: 'none' }],
    restorable: false,
    permissions: { read: P.applicationRead, write: null },
  }),
];
