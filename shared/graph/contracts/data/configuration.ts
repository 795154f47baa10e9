import { defineContract, assignAction } from '../define';
import { GraphPermissions as P } from '../permissions';

const configuration = { read: P.configurationRead, write: P.configurationWrite };

export const configurationContracts = [
  defineContract({
    key: 'deviceConfigurations',
    label: 'Device configurations',
    category: 'configuration',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/deviceConfigurations',
    elementType: 'deviceConfiguration',
    // Update rings live in the same collection; they are their own type (windowsUpdateRings).
    excludedTypes: ['windowsUpdateForBusinessConfiguration'],
    platform: { from: 'odataType' },
    assignments: { read: 'expand', write: assignAction('assignments') },
    restorable: true,
    restoreNote: 'Encrypted OMA-URI values must be read with getOmaSettingPlainTextValue before a restore.',
    permissions: configuration,
  }),
  defineContract({
    key: 'configurationPolicies',
    label: 'Settings catalog and endpoint security',
    category: 'configuration',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/configurationPolicies',
    elementType: 'deviceManagementConfigurationPolicy',
    platform: { from: 'property', property: 'platforms' },
    assignments: { read: 'expand', write: assignAction('assignments') },
    subResources: [
      { name: 'settings', read: 'batch', write: 'inline', itemKey: 'settingInstance.settingDefinitionId' },
    ],
    restorable: true,
    restore: { update: 'put' },
    permissions: configuration,
  }),
  defineContract({
    key: 'reusablePolicySettings',
    label: 'Reusable policy settings',
    category: 'configuration',
    role: 'foundation',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/reusablePolicySettings',
    elementType: 'deviceManagementReusablePolicySetting',
    platform: { from: 'fixed', platform: 'windows' },
    restorable: true,
    permissions: configuration,
  }),
  defineContract({
    key: 'groupPolicyConfigurations',
    label: 'Administrative templates',
    category: 'configuration',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/groupPolicyConfigurations',
    elementType: 'groupPolicyConfiguration',
    platform: { from: 'fixed', platform: 'windows' },
    assignments: { read: 'expand', write: assignAction('assignments') },
    subResources: [
      {
        name: 'definitionValues',
        read: 'batch',
        expand: ['definition'],
        write: 'separate',
        writeAction: { action: 'updateDefinitionValues', bodyKey: 'added', deletedIdsKey: 'deletedIds' },
        binds: { definition: "/deviceManagement/groupPolicyDefinitions('{id}')" },
        children: [
          {
            name: 'presentationValues',
            read: 'batch',
            expand: ['presentation'],
            write: 'inline',
            binds: {
              presentation:
                "/deviceManagement/groupPolicyDefinitions('{parent.definition}')/presentations('{id}')",
            },
          },
        ],
      },
    ],
    restorable: true,
    restoreNote:
      'Definition values are created one by one with definition@odata.bind after the configuration.',
    permissions: configuration,
  }),
  defineContract({
    key: 'intents',
    label: 'Security baselines and endpoint security (intents)',
    category: 'configuration',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/intents',
    elementType: 'deviceManagementIntent',
    platform: { from: 'fixed', platform: 'windows' },
    assignments: { read: 'subresource', write: assignAction('assignments') },
    subResources: [
      {
        name: 'settings',
        read: 'batch',
        write: 'inline',
        writeAction: { action: 'updateSettings', bodyKey: 'settings' },
        itemKey: 'definitionId',
      },
    ],
    restorable: true,
    restoreNote: 'Created through templates/{templateId}/createInstance with settingsDelta, not by POST.',
    restore: {
      createVia: {
        path: '/deviceManagement/templates/{templateId}/createInstance',
        members: ['displayName', 'description', 'roleScopeTagIds'],
        inline: { settings: 'settingsDelta' },
      },
      // The template an intent is made from is Microsoft's (the same id in every tenant): it must exist in
      // the target, and a restore never creates one.
      references: [
        { path: 'templateId', target: 'intentTemplates', matchBy: 'id', missingReason: 'template_missing' },
      ],
    },
    permissions: configuration,
  }),
  defineContract({
    key: 'intentTemplates',
    label: 'Security baseline and endpoint security templates (built in)',
    category: 'configuration',
    // Not tenant content: read by the restore preview only, to map the templates intents name.
    role: 'reference',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/templates',
    elementType: 'deviceManagementTemplate',
    select: ['id', 'displayName'],
    platform: { from: 'fixed', platform: 'windows' },
    restorable: false,
    restoreNote: 'Built into every tenant by Microsoft: never created by a restore.',
    permissions: { read: P.configurationRead, write: null },
  }),
];
