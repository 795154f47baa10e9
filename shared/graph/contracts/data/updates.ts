import { defineContract, assignAction } from '../define';
import { GraphPermissions as P } from '../permissions';

const configuration = { read: P.configurationRead, write: P.configurationWrite };
const windows = { from: 'fixed', platform: 'windows' } as const;

export const updateContracts = [
  defineContract({
    key: 'windowsUpdateRings',
    label: 'Windows update rings',
    category: 'updates',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/deviceConfigurations',
    elementType: 'deviceConfiguration',
    filter: "isof('microsoft.graph.windowsUpdateForBusinessConfiguration')",
    platform: windows,
    assignments: { read: 'expand', write: assignAction('assignments') },
    restorable: true,
    permissions: configuration,
  }),
  defineContract({
    key: 'windowsFeatureUpdateProfiles',
    label: 'Windows feature update profiles',
    category: 'updates',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/windowsFeatureUpdateProfiles',
    elementType: 'windowsFeatureUpdateProfile',
    platform: windows,
    assignments: { read: 'expand', write: assignAction('assignments') },
    restorable: true,
    permissions: configuration,
  }),
  defineContract({
    key: 'windowsQualityUpdateProfiles',
    label: 'Windows quality update profiles',
    category: 'updates',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/windowsQualityUpdateProfiles',
    elementType: 'windowsQualityUpdateProfile',
    platform: windows,
    assignments: { read: 'expand', write: assignAction('assignments') },
    restorable: true,
    permissions: configuration,
  }),
  defineContract({
    key: 'windowsDriverUpdateProfiles',
    label: 'Windows driver update profiles',
    category: 'updates',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/windowsDriverUpdateProfiles',
    elementType: 'windowsDriverUpdateProfile',
    platform: windows,
    assignments: { read: 'expand', write: assignAction('assignments') },
    restorable: true,
    permissions: configuration,
  }),
];
