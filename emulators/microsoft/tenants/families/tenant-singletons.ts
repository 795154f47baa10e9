import type { BuildContext } from '../context';
import type { EntityNode } from '../store';

/**
 * Tenant-wide singletons: one object per tenant at a fixed path, no collection around it. The stored node
 * has an id for the store's map only; `deviceManagement/settings` is a complex-typed property of
 * `deviceManagement` in the CSDL, so its data carries no `id` (Graph answers none).
 */
export const TENANT_SINGLETONS = {
  settings: { path: '/deviceManagement/settings', type: 'deviceManagementSettings' },
  applePushNotificationCertificate: {
    path: '/deviceManagement/applePushNotificationCertificate',
    type: 'applePushNotificationCertificate',
  },
  androidManagedStoreAccountEnterpriseSettings: {
    path: '/deviceManagement/androidManagedStoreAccountEnterpriseSettings',
    type: 'androidManagedStoreAccountEnterpriseSettings',
  },
} as const;

function singletonNode(type: string, id: string, data: Record<string, unknown>): EntityNode {
  return {
    id,
    type,
    data: { '@odata.type': `#microsoft.graph.${type}`, ...data },
    navs: new Map(),
    refs: new Map(),
  };
}

/** The tenant's Intune settings, APNs certificate and managed Google Play binding, with real-looking values. */
export function buildTenantSingletons(ctx: BuildContext): void {
  const {
    settings,
    applePushNotificationCertificate: apns,
    androidManagedStoreAccountEnterpriseSettings,
  } = TENANT_SINGLETONS;
  const domain = ctx.profile.domain;
  ctx.store.add(
    settings.path,
    singletonNode(settings.type, 'settings', {
      deviceComplianceCheckinThresholdDays: 30,
      isScheduledActionEnabled: true,
      secureByDefault: ctx.prng.int(2) === 0,
      enhancedJailBreak: false,
      deviceInactivityBeforeRetirementInDay: 0,
      derivedCredentialProvider: 'notConfigured',
      derivedCredentialUrl: null,
      androidDeviceAdministratorEnrollmentEnabled: false,
      ignoreDevicesForUnsupportedSettingsEnabled: false,
      enableLogCollection: true,
      enableAutopilotDiagnostics: true,
      enableEnhancedTroubleshootingExperience: false,
      enableDeviceGroupMembershipReport: false,
      m365AppDiagnosticsEnabled: false,
    }),
  );
  const uploaded = ctx.timestamp();
  const expires = new Date(Date.parse(uploaded) + 365 * 24 * 3600 * 1000).toISOString();
  ctx.store.add(
    apns.path,
    singletonNode(apns.type, ctx.id('apns'), {
      appleIdentifier: `intune-admin@${domain}`,
      topicIdentifier: `com.apple.mgmt.External.${ctx.id('apns-topic')}`,
      lastModifiedDateTime: uploaded,
      expirationDateTime: expires,
      certificateUploadStatus: null,
      certificateUploadFailureReason: null,
      certificateSerialNumber: ctx.id('apns-serial').replace(/-/g, '').slice(0, 16).toUpperCase(),
      certificate: null,
    }),
  );
  const android = androidManagedStoreAccountEnterpriseSettings;
  ctx.store.add(
    android.path,
    singletonNode(android.type, ctx.id('android-store'), {
      bindStatus: 'bound',
      lastAppSyncDateTime: ctx.timestamp(uploaded),
      lastAppSyncStatus: 'success',
      ownerUserPrincipalName: `intune-admin@${domain}`,
      ownerOrganizationName: ctx.profile.orgName,
      lastModifiedDateTime: uploaded,
      enrollmentTarget: 'targetedAsEnrollmentRestrictions',
      targetGroupIds: [],
      deviceOwnerManagementEnabled: true,
      companyCodes: [],
      androidDeviceOwnerFullyManagedEnrollmentEnabled: true,
      managedGooglePlayEnterpriseType: 'managedGoogleDomain',
      managedGooglePlayInitialScopeTagIds: ['0'],
    }),
  );
}
