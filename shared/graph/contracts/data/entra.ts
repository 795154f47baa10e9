import { defineContract } from '../define';
import { GraphPermissions as P } from '../permissions';

const conditionalAccess = { read: P.policyRead, write: P.conditionalAccessWrite };
const all = { from: 'fixed', platform: 'all' } as const;

/** Targets of Entra policies live inside the object (conditions), so there are no assignments to read. */
export const entraContracts = [
  defineContract({
    key: 'conditionalAccessPolicies',
    label: 'Conditional Access policies',
    category: 'conditionalAccess',
    apiVersion: 'beta',
    collectionPath: '/identity/conditionalAccess/policies',
    elementType: 'conditionalAccessPolicy',
    platform: all,
    restorable: true,
    restoreNote:
      'Named locations, groups and authentication strengths in conditions are remapped; create them first.',
    restore: {
      reportOnlyState: {
        property: 'state',
        enforcing: 'enabled',
        value: 'enabledForReportingButNotEnforced',
      },
      references: [
        ...['includeGroups', 'excludeGroups'].map((list) => ({
          path: `conditions.users.${list}[]`,
          target: 'groups',
          keep: ['All'],
        })),
        ...['includeLocations', 'excludeLocations'].map((list) => ({
          path: `conditions.locations.${list}[]`,
          target: 'namedLocations',
          keep: ['All', 'AllTrusted'],
        })),
        { path: 'grantControls.authenticationStrength.id', target: 'authenticationStrengthPolicies' },
      ],
    },
    permissions: conditionalAccess,
  }),
  defineContract({
    key: 'namedLocations',
    label: 'Named locations',
    category: 'conditionalAccess',
    role: 'foundation',
    apiVersion: 'beta',
    collectionPath: '/identity/conditionalAccess/namedLocations',
    elementType: 'namedLocation',
    platform: all,
    restorable: true,
    permissions: conditionalAccess,
  }),
  defineContract({
    key: 'authenticationStrengthPolicies',
    label: 'Authentication strengths',
    category: 'conditionalAccess',
    apiVersion: 'v1.0',
    collectionPath: '/policies/authenticationStrengthPolicies',
    elementType: 'authenticationStrengthPolicy',
    platform: all,
    subResources: [{ name: 'combinationConfigurations', read: 'batch', write: 'separate' }],
    restorable: true,
    restoreNote: 'Built-in strengths (policyType builtIn) are never recreated.',
    restore: { builtInWhen: [{ property: 'policyType', equals: 'builtIn' }] },
    permissions: conditionalAccess,
  }),
  defineContract({
    key: 'authenticationContextClassReferences',
    label: 'Authentication contexts',
    category: 'conditionalAccess',
    apiVersion: 'v1.0',
    collectionPath: '/identity/conditionalAccess/authenticationContextClassReferences',
    elementType: 'authenticationContextClassReference',
    platform: all,
    restorable: true,
    restoreNote: 'The id (c1…c99) is chosen by the caller: restore keeps it.',
    permissions: conditionalAccess,
  }),
  defineContract({
    key: 'termsOfUseAgreements',
    label: 'Terms of use',
    category: 'conditionalAccess',
    apiVersion: 'v1.0',
    collectionPath: '/identityGovernance/termsOfUse/agreements',
    elementType: 'agreement',
    platform: all,
    restorable: false,
    restoreNote: 'The agreement PDF files are not part of the object; create agreements by hand.',
    permissions: { read: P.agreementRead, write: P.agreementWrite },
  }),
];
