import { defineContract, assignAction } from '../define';
import { GraphPermissions as P } from '../permissions';

const serviceConfig = { read: P.serviceConfigRead, write: P.serviceConfigWrite };

export const enrollmentContracts = [
  defineContract({
    key: 'deviceEnrollmentConfigurations',
    label: 'Enrollment configurations (restrictions, limits, Windows Hello, ESP)',
    category: 'enrollment',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/deviceEnrollmentConfigurations',
    elementType: 'deviceEnrollmentConfiguration',
    platform: { from: 'odataType' },
    assignments: { read: 'expand', write: assignAction('enrollmentConfigurationAssignments') },
    restorable: true,
    restoreNote:
      'Priority is set with setPriority after create; the default (priority 0) objects are updated, not created.',
    permissions: serviceConfig,
  }),
  defineContract({
    key: 'windowsAutopilotDeploymentProfiles',
    label: 'Windows Autopilot deployment profiles',
    category: 'enrollment',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/windowsAutopilotDeploymentProfiles',
    elementType: 'windowsAutopilotDeploymentProfile',
    platform: { from: 'fixed', platform: 'windows' },
    // Its /assign action takes device ids; group assignments are created one by one.
    assignments: { read: 'expand', write: { kind: 'post-assignments' } },
    restorable: true,
    permissions: serviceConfig,
  }),
  defineContract({
    key: 'appleUserInitiatedEnrollmentProfiles',
    label: 'Apple user-initiated enrollment profiles',
    category: 'enrollment',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/appleUserInitiatedEnrollmentProfiles',
    elementType: 'appleUserInitiatedEnrollmentProfile',
    platform: { from: 'property', property: 'platform' },
    assignments: { read: 'expand', write: { kind: 'post-assignments' } },
    restorable: true,
    permissions: serviceConfig,
  }),
  defineContract({
    key: 'termsAndConditions',
    label: 'Terms and conditions',
    category: 'enrollment',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/termsAndConditions',
    elementType: 'termsAndConditions',
    platform: { from: 'fixed', platform: 'all' },
    assignments: { read: 'expand', write: { kind: 'post-assignments' } },
    restorable: true,
    permissions: serviceConfig,
  }),
  defineContract({
    key: 'intuneBrandingProfiles',
    label: 'Intune branding profiles',
    category: 'enrollment',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/intuneBrandingProfiles',
    elementType: 'intuneBrandingProfile',
    platform: { from: 'fixed', platform: 'all' },
    assignments: { read: 'expand', write: assignAction('assignments') },
    restorable: true,
    restoreNote: 'The default profile (isDefaultProfile) is updated, never created.',
    restore: { builtInWhen: [{ property: 'isDefaultProfile', equals: true }] },
    permissions: serviceConfig,
  }),
];
