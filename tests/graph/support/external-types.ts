/**
 * Collections of the anchor list that live outside the reference extract (graph-reference/ covers
 * /deviceManagement, /deviceAppManagement, Conditional Access policies and named locations, groups and
 * directory role definitions). Their paths and members are those of the Graph docs resource pages
 * (agreement, authenticationContextClassReference, authenticationStrengthPolicy, servicePrincipal,
 * appRoleAssignment, directoryAudit), v1.0 and beta alike.
 */
export const EXTERNAL_COLLECTIONS: Readonly<Record<string, string>> = {
  '/policies/authenticationStrengthPolicies': 'authenticationStrengthPolicy',
  '/identity/conditionalAccess/authenticationContextClassReferences': 'authenticationContextClassReference',
  '/identityGovernance/termsOfUse/agreements': 'agreement',
  '/servicePrincipals': 'servicePrincipal',
  '/auditLogs/directoryAudits': 'directoryAudit',
};

export const EXTERNAL_TYPES: Readonly<
  Record<string, { properties: string[]; navigations: Record<string, string> }>
> = {
  directoryAudit: {
    properties: [
      'id',
      'activityDateTime',
      'activityDisplayName',
      'additionalDetails',
      'category',
      'correlationId',
      'initiatedBy',
      'loggedByService',
      'operationType',
      'result',
      'resultReason',
      'targetResources',
    ],
    navigations: {},
  },
  agreement: {
    properties: [
      'id',
      'displayName',
      'isPerDeviceAcceptanceRequired',
      'isViewingBeforeAcceptanceRequired',
      'termsExpiration',
      'userReacceptRequiredFrequency',
    ],
    navigations: {
      acceptances: 'agreementAcceptance',
      file: 'agreementFile',
      files: 'agreementFileLocalization',
    },
  },
  authenticationContextClassReference: {
    properties: ['id', 'description', 'displayName', 'isAvailable'],
    navigations: {},
  },
  servicePrincipal: {
    properties: [
      'id',
      'deletedDateTime',
      'accountEnabled',
      'appDisplayName',
      'appId',
      'appOwnerOrganizationId',
      'appRoleAssignmentRequired',
      'appRoles',
      'displayName',
      'servicePrincipalNames',
      'servicePrincipalType',
      'signInAudience',
      'tags',
    ],
    navigations: { appRoleAssignments: 'appRoleAssignment', appRoleAssignedTo: 'appRoleAssignment' },
  },
};
