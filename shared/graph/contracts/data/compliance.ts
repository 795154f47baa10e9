import { defineContract, assignAction } from '../define';
import { GraphPermissions as P } from '../permissions';

const configuration = { read: P.configurationRead, write: P.configurationWrite };

/** A compliance action's e-mail template (the zero GUID means none). */
const notificationTemplates = {
  path: 'scheduledActionsForRule[].scheduledActionConfigurations[].notificationTemplateId',
  target: 'notificationMessageTemplates',
  keep: ['00000000-0000-0000-0000-000000000000', ''],
} as const;

export const complianceContracts = [
  defineContract({
    key: 'deviceCompliancePolicies',
    label: 'Compliance policies',
    category: 'compliance',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/deviceCompliancePolicies',
    elementType: 'deviceCompliancePolicy',
    platform: { from: 'odataType' },
    assignments: { read: 'expand', write: assignAction('assignments') },
    subResources: [
      // Required inline on create: Graph refuses a per-platform compliance policy without it.
      {
        name: 'scheduledActionsForRule',
        read: 'expand',
        expand: ['scheduledActionConfigurations'],
        write: 'inline',
        writeAction: {
          action: 'scheduleActionsForRules',
          bodyKey: 'deviceComplianceScheduledActionForRules',
        },
      },
    ],
    restorable: true,
    restore: { references: [notificationTemplates] },
    permissions: configuration,
  }),
  defineContract({
    key: 'compliancePolicies',
    label: 'Compliance policies (settings catalog)',
    category: 'compliance',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/compliancePolicies',
    elementType: 'deviceManagementCompliancePolicy',
    platform: { from: 'property', property: 'platforms' },
    assignments: { read: 'expand', write: assignAction('assignments') },
    subResources: [
      { name: 'settings', read: 'batch', write: 'inline', itemKey: 'settingInstance.settingDefinitionId' },
      {
        name: 'scheduledActionsForRule',
        read: 'batch',
        expand: ['scheduledActionConfigurations'],
        write: 'inline',
        writeAction: { action: 'setScheduledActions', bodyKey: 'scheduledActions' },
      },
    ],
    restorable: true,
    restore: { update: 'put', references: [notificationTemplates] },
    permissions: configuration,
  }),
  defineContract({
    key: 'deviceComplianceScripts',
    label: 'Compliance scripts',
    category: 'compliance',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/deviceComplianceScripts',
    elementType: 'deviceComplianceScript',
    platform: { from: 'fixed', platform: 'windows' },
    assignments: { read: 'subresource', write: assignAction('deviceHealthScriptAssignments') },
    // The list leaves out the script content.
    detailRead: 'getById',
    restorable: true,
    permissions: configuration,
  }),
  defineContract({
    key: 'notificationMessageTemplates',
    label: 'Notification message templates',
    category: 'compliance',
    role: 'foundation',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/notificationMessageTemplates',
    elementType: 'notificationMessageTemplate',
    platform: { from: 'fixed', platform: 'all' },
    subResources: [{ name: 'localizedNotificationMessages', read: 'expand', write: 'separate' }],
    restorable: true,
    permissions: configuration,
  }),
];
