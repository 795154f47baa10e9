import { defineContract, assignAction } from '../define';
import { GraphPermissions as P } from '../permissions';

const configuration = { read: P.configurationRead, write: P.configurationWrite };
const scriptAssignments = assignAction('deviceManagementScriptAssignments');

/** The lists leave out the script content, so every script is re-read by id (`detailRead`). */
export const scriptContracts = [
  defineContract({
    key: 'deviceManagementScripts',
    label: 'PowerShell scripts',
    category: 'scripts',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/deviceManagementScripts',
    elementType: 'deviceManagementScript',
    platform: { from: 'fixed', platform: 'windows' },
    assignments: { read: 'expand', write: scriptAssignments },
    detailRead: 'getById',
    restorable: true,
    permissions: configuration,
  }),
  defineContract({
    key: 'deviceShellScripts',
    label: 'macOS shell scripts',
    category: 'scripts',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/deviceShellScripts',
    elementType: 'deviceShellScript',
    platform: { from: 'fixed', platform: 'macOS' },
    assignments: { read: 'expand', write: scriptAssignments },
    detailRead: 'getById',
    restorable: true,
    permissions: configuration,
  }),
  defineContract({
    key: 'deviceCustomAttributeShellScripts',
    label: 'macOS custom attribute scripts',
    category: 'scripts',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/deviceCustomAttributeShellScripts',
    elementType: 'deviceCustomAttributeShellScript',
    platform: { from: 'fixed', platform: 'macOS' },
    assignments: { read: 'expand', write: scriptAssignments },
    detailRead: 'getById',
    restorable: true,
    permissions: configuration,
  }),
  defineContract({
    key: 'deviceHealthScripts',
    label: 'Remediations (device health scripts)',
    category: 'scripts',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/deviceHealthScripts',
    elementType: 'deviceHealthScript',
    platform: { from: 'fixed', platform: 'windows' },
    assignments: { read: 'expand', write: assignAction('deviceHealthScriptAssignments') },
    detailRead: 'getById',
    restorable: true,
    restoreNote: 'Microsoft-published scripts (isGlobalScript) are read-only and never recreated.',
    restore: { builtInWhen: [{ property: 'isGlobalScript', equals: true }] },
    permissions: configuration,
  }),
];
