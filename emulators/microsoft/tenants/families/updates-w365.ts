import type { BuildContext } from '../context';

export function buildUpdateProfiles(
  ctx: BuildContext,
  counts: { feature: number; quality: number; driver: number; qualityPolicies: number },
): void {
  const versions: Array<[string, string]> = [
    ['Windows 11, version 24H2', 'Windows 11, version 24H2'],
    ['Windows 11, version 23H2', 'Windows 11, version 23H2'],
    ['Windows 10, version 22H2', 'Windows 10, version 22H2'],
  ];
  for (let i = 0; i < counts.feature; i++) {
    const [featureUpdateVersion, deployable] = versions[i % versions.length]!;
    const node = ctx.add(
      '/deviceManagement/windowsFeatureUpdateProfiles',
      'windowsFeatureUpdateProfile',
      ctx.name(`Feature update - ${featureUpdateVersion}`),
      {
        featureUpdateVersion,
        deployableContentDisplayName: deployable,
        endOfSupportDate: '2026-10-13T00:00:00Z',
        installLatestWindows10OnWindows11IneligibleDevice: true,
        installFeatureUpdatesOptional: false,
        rolloutSettings: {
          offerStartDateTimeInUTC: null,
          offerEndDateTimeInUTC: null,
          offerIntervalInDays: null,
        },
      },
    );
    ctx.assign(node);
  }
  for (let i = 0; i < counts.quality; i++) {
    const node = ctx.add(
      '/deviceManagement/windowsQualityUpdateProfiles',
      'windowsQualityUpdateProfile',
      ctx.name(`Expedite - ${['2025-01', '2025-02', '2025-03'][i % 3]} security update`),
      {
        expeditedUpdateSettings: { qualityUpdateRelease: '2025-01-14T00:00:00Z', daysUntilForcedReboot: 1 },
        deployableContentDisplayName: 'January 2025 security update',
        releaseDateDisplayName: 'January 14, 2025',
      },
    );
    ctx.assign(node);
  }
  for (let i = 0; i < counts.driver; i++) {
    const node = ctx.add(
      '/deviceManagement/windowsDriverUpdateProfiles',
      'windowsDriverUpdateProfile',
      ctx.name(i % 2 === 0 ? 'Drivers - Automatic approval' : 'Drivers - Manual approval'),
      {
        approvalType: i % 2 === 0 ? 'automatic' : 'manual',
        deviceReporting: 0,
        newUpdates: 0,
        deploymentDeferralInDays: i % 2 === 0 ? 7 : null,
        inventorySyncStatus: {
          lastSuccessfulSyncDateTime: ctx.timestamp(),
          driverInventorySyncState: 'success',
        },
      },
    );
    ctx.assign(node);
  }
  for (let i = 0; i < counts.qualityPolicies; i++) {
    const node = ctx.add(
      '/deviceManagement/windowsQualityUpdatePolicies',
      'windowsQualityUpdatePolicy',
      ctx.name('Hotpatch - Windows 11 Enterprise'),
      {
        hotpatchEnabled: true,
        approvalSettings: [],
      },
    );
    ctx.assign(node);
  }
}

export function buildWindows365(
  ctx: BuildContext,
  counts: { provisioning: number; userSettings: number },
): void {
  for (let i = 0; i < counts.provisioning; i++) {
    const node = ctx.add(
      '/deviceManagement/virtualEndpoint/provisioningPolicies',
      'cloudPcProvisioningPolicy',
      ctx.name(i % 2 === 0 ? 'W365 - Enterprise - Entra joined' : 'W365 - Frontline - Shared'),
      {
        description: 'Cloud PCs for remote staff',
        cloudPcNamingTemplate: 'CPC-%USERNAME:5%-%RAND:5%',
        enableSingleSignOn: true,
        gracePeriodInHours: 48,
        imageDisplayName: 'Windows 11 Enterprise + Microsoft 365 Apps 24H2',
        imageId: 'microsoftwindowsdesktop_windows-ent-cpc_win11-24H2-ent-cpc-m365',
        imageType: 'gallery',
        localAdminEnabled: false,
        provisioningType: i % 2 === 0 ? 'dedicated' : 'shared',
        domainJoinConfigurations: [
          {
            domainJoinType: 'azureADJoin',
            onPremisesConnectionId: null,
            regionName: 'automatic',
            regionGroup: 'europeUnion',
          },
        ],
        windowsSetting: { locale: 'en-US' },
        managedBy: 'windows365',
        scopeIds: ['0'],
        microsoftManagedDesktop: null,
        autopatch: null,
      },
    );
    ctx.assign(node);
  }
  for (let i = 0; i < counts.userSettings; i++) {
    const node = ctx.add(
      '/deviceManagement/virtualEndpoint/userSettings',
      'cloudPcUserSetting',
      ctx.name(i % 2 === 0 ? 'W365 - Standard users' : 'W365 - Power users'),
      {
        localAdminEnabled: i % 2 === 1,
        resetEnabled: true,
        selfServiceEnabled: false,
        restorePointSetting: { frequencyInHours: 12, frequencyType: 'twelveHours', userRestoreEnabled: true },
      },
    );
    ctx.assign(node);
  }
}
