import { defineContract } from '../define';
import { GraphPermissions as P } from '../permissions';

/**
 * Tenant-wide singletons the peer backup tools read (IntuneCD, IntuneManagement): one object per tenant,
 * versioned like any other item (its Graph id is the contract key where Graph gives none).
 */
export const tenantContracts = [
  defineContract({
    key: 'deviceManagementSettings',
    label: 'Intune tenant settings (compliance check-in, device clean-up, diagnostics)',
    category: 'tenantAdministration',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/settings',
    // A complex-typed property of the deviceManagement singleton: Graph changes it by PATCH /deviceManagement.
    shape: { kind: 'singleton', patch: { path: '/deviceManagement', bodyKey: 'settings' } },
    elementType: 'deviceManagementSettings',
    platform: { from: 'fixed', platform: 'all' },
    restorable: true,
    permissions: { read: P.configurationRead, write: P.configurationWrite },
  }),
  defineContract({
    key: 'applePushNotificationCertificate',
    label: 'Apple MDM push certificate',
    category: 'tenantAdministration',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/applePushNotificationCertificate',
    shape: { kind: 'singleton', patch: null },
    elementType: 'applePushNotificationCertificate',
    platform: { from: 'fixed', platform: 'iOS' },
    restorable: false,
    restoreNote:
      'Kept for audit and expiry only: the certificate is renewed through Apple from a signing request, and writing back an older one would break Apple device management.',
    permissions: { read: P.serviceConfigRead, write: null },
  }),
  defineContract({
    key: 'androidManagedStoreAccountEnterpriseSettings',
    label: 'Managed Google Play binding and Android Enterprise enrollment',
    category: 'tenantAdministration',
    apiVersion: 'beta',
    collectionPath: '/deviceManagement/androidManagedStoreAccountEnterpriseSettings',
    shape: {
      kind: 'singleton',
      patch: { path: '/deviceManagement/androidManagedStoreAccountEnterpriseSettings' },
    },
    elementType: 'androidManagedStoreAccountEnterpriseSettings',
    platform: { from: 'fixed', platform: 'android' },
    restorable: true,
    restoreNote:
      'Restores the enrollment settings (device owner, fully managed, target groups); the Google binding itself is made by signing up again.',
    permissions: { read: P.configurationRead, write: P.configurationWrite },
  }),
];
