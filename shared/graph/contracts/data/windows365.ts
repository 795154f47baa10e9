import { defineContract, assignAction } from '../define';
import { GraphPermissions as P } from '../permissions';

const cloudPc = { read: P.cloudPcRead, write: P.cloudPcWrite };
const windows = { from: 'fixed', platform: 'windows' } as const;

export const windows365Contracts = [
  defineContract({
    key: 'cloudPcProvisioningPolicies',
    label: 'Windows 365 provisioning policies',
    category: 'windows365',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/virtualEndpoint/provisioningPolicies',
    elementType: 'cloudPcProvisioningPolicy',
    platform: windows,
    assignments: { read: 'expand', write: assignAction('assignments') },
    restorable: true,
    restoreNote: 'Azure network connections (domainJoinConfigurations) must exist in the target tenant.',
    permissions: cloudPc,
  }),
  defineContract({
    key: 'cloudPcUserSettings',
    label: 'Windows 365 user settings',
    category: 'windows365',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/virtualEndpoint/userSettings',
    elementType: 'cloudPcUserSetting',
    platform: windows,
    assignments: { read: 'expand', write: assignAction('assignments') },
    restorable: true,
    permissions: cloudPc,
  }),
];
