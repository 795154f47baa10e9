import type { BuildContext } from '../context';
import { childMap, newNode, type EntityNode } from '../store';

const APPS: Array<{ type: string; name: string; publisher: string; extra?: Record<string, unknown> }> = [
  {
    type: 'officeSuiteApp',
    name: 'Microsoft 365 Apps for enterprise',
    publisher: 'Microsoft',
    extra: { updateChannel: 'monthlyEnterprise', officePlatformArchitecture: 'x64' },
  },
  {
    type: 'win32LobApp',
    name: '7-Zip 23.01 (x64)',
    publisher: 'Igor Pavlov',
    extra: {
      fileName: '7z2301-x64.intunewin',
      setupFilePath: '7z2301-x64.exe',
      installCommandLine: '7z2301-x64.exe /S',
      uninstallCommandLine: '"C:\\Program Files\\7-Zip\\Uninstall.exe" /S',
    },
  },
  {
    type: 'win32LobApp',
    name: 'Adobe Acrobat Reader DC',
    publisher: 'Adobe',
    extra: {
      fileName: 'AcroRdrDC.intunewin',
      setupFilePath: 'setup.exe',
      installCommandLine: 'setup.exe /sAll /rs',
      uninstallCommandLine: 'msiexec /x {AC76BA86-7AD7-1033-7B44-AC0F074E4100} /qn',
    },
  },
  {
    type: 'winGetApp',
    name: 'Company Portal',
    publisher: 'Microsoft Corporation',
    extra: { packageIdentifier: '9WZDNCRFJ3PZ' },
  },
  {
    type: 'iosStoreApp',
    name: 'Microsoft Authenticator',
    publisher: 'Microsoft Corporation',
    extra: {
      bundleId: 'com.microsoft.azureauthenticator',
      appStoreUrl: 'https://apps.apple.com/us/app/microsoft-authenticator/id983156458',
    },
  },
  {
    type: 'iosStoreApp',
    name: 'Microsoft Outlook',
    publisher: 'Microsoft Corporation',
    extra: {
      bundleId: 'com.microsoft.Office.Outlook',
      appStoreUrl: 'https://apps.apple.com/us/app/microsoft-outlook/id951937596',
    },
  },
  {
    type: 'managedAndroidStoreApp',
    name: 'Microsoft Teams',
    publisher: 'Microsoft Corporation',
    extra: {
      packageId: 'com.microsoft.teams',
      appStoreUrl: 'https://play.google.com/store/apps/details?id=com.microsoft.teams',
    },
  },
  {
    type: 'androidManagedStoreApp',
    name: 'Microsoft Edge',
    publisher: 'Microsoft Corporation',
    extra: { packageId: 'com.microsoft.emmx', appIdentifier: 'com.microsoft.emmx' },
  },
  {
    type: 'webApp',
    name: 'HR Self Service Portal',
    publisher: 'Contoso HR',
    extra: { appUrl: 'https://hr.contoso.com', useManagedBrowser: true },
  },
  {
    type: 'windowsMicrosoftEdgeApp',
    name: 'Microsoft Edge for Windows',
    publisher: 'Microsoft',
    extra: { channel: 'stable' },
  },
  {
    type: 'macOSMicrosoftEdgeApp',
    name: 'Microsoft Edge for macOS',
    publisher: 'Microsoft',
    extra: { channel: 'stable' },
  },
  { type: 'macOSOfficeSuiteApp', name: 'Microsoft 365 Apps for macOS', publisher: 'Microsoft' },
  { type: 'microsoftStoreForBusinessApp', name: 'Microsoft To Do', publisher: 'Microsoft Corporation' },
  {
    type: 'win32LobApp',
    name: 'Zoom Workplace (x64)',
    publisher: 'Zoom Video Communications',
    extra: {
      fileName: 'ZoomInstallerFull.intunewin',
      setupFilePath: 'ZoomInstallerFull.msi',
      installCommandLine: 'msiexec /i ZoomInstallerFull.msi /qn',
      uninstallCommandLine: 'msiexec /x ZoomInstallerFull.msi /qn',
    },
  },
  {
    type: 'iosVppApp',
    name: 'Slack for iPad',
    publisher: 'Slack Technologies',
    extra: { bundleId: 'com.tinyspeck.chatlyio' },
  },
];

/** App metadata only (no content versions), with required/available/uninstall assignments. */
export function buildMobileApps(ctx: BuildContext, count: number): void {
  for (let i = 0; i < count; i++) {
    const app = APPS[i % APPS.length]!;
    const node = ctx.add('/deviceAppManagement/mobileApps', app.type, ctx.name(app.name), {
      publisher: app.publisher,
      developer: app.publisher,
      owner: '',
      notes: '',
      isFeatured: ctx.prng.chance(0.2),
      publishingState: 'published',
      largeIcon: null,
      uploadState: 1,
      isAssigned: false,
      dependentAppCount: 0,
      supersedingAppCount: 0,
      supersededAppCount: 0,
      ...app.extra,
    });
    ctx.assign(node, 'assignments', (j) => ({
      intent: j === 0 ? 'required' : ctx.prng.pick(['available', 'required', 'uninstall']),
      settings: null,
    }));
    node.data.isAssigned = (node.navs.get('assignments')?.size ?? 0) > 0;
    ctx.mobileAppIds.push({ id: node.id, type: app.type });
  }
}

export function buildAppConfigurations(ctx: BuildContext, count: number): void {
  const kinds: Array<[string, string, Record<string, unknown>]> = [
    [
      'iosMobileAppConfiguration',
      'iOS - Outlook - Managed config',
      {
        targetedMobileApps: [],
        encodedSettingXml: null,
        settings: [
          {
            '@odata.type': '#microsoft.graph.appConfigurationSettingItem',
            appConfigKey: 'com.microsoft.outlook.EmailProfile.EmailAccountName',
            appConfigKeyType: 'stringType',
            appConfigKeyValue: '{{userprincipalname}}',
          },
        ],
      },
    ],
    [
      'androidManagedStoreAppConfiguration',
      'AND - Edge - Managed bookmarks',
      {
        packageId: 'app:com.microsoft.emmx',
        payloadJson: '',
        permissionActions: [],
        appSupportsOemConfig: false,
        profileApplicability: 'default',
        connectedAppsEnabled: false,
      },
    ],
  ];
  for (let i = 0; i < count; i++) {
    const [type, name, extra] = kinds[i % kinds.length]!;
    const apps = ctx.mobileAppIds.filter((a) =>
      type.startsWith('ios') ? a.type.startsWith('ios') : a.type.toLowerCase().includes('android'),
    );
    const node = ctx.add('/deviceAppManagement/mobileAppConfigurations', type, ctx.name(name), {
      ...extra,
      targetedMobileApps: apps.slice(0, 1).map((a) => a.id),
      version: ctx.prng.range(1, 4),
    });
    ctx.assign(node);
  }
}

function addManagedApps(ctx: BuildContext, node: EntityNode, platform: 'ios' | 'android' | 'windows'): void {
  const ids: Record<typeof platform, Array<Record<string, unknown>>> = {
    ios: [
      { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'com.microsoft.Office.Outlook' },
      { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'com.microsoft.skype.teams' },
      { '@odata.type': '#microsoft.graph.iosMobileAppIdentifier', bundleId: 'com.microsoft.msedge' },
    ],
    android: [
      {
        '@odata.type': '#microsoft.graph.androidMobileAppIdentifier',
        packageId: 'com.microsoft.office.outlook',
      },
      { '@odata.type': '#microsoft.graph.androidMobileAppIdentifier', packageId: 'com.microsoft.teams' },
      { '@odata.type': '#microsoft.graph.androidMobileAppIdentifier', packageId: 'com.microsoft.emmx' },
    ],
    windows: [{ '@odata.type': '#microsoft.graph.windowsAppIdentifier', windowsAppId: 'com.microsoft.edge' }],
  };
  for (const identifier of ids[platform]) {
    const key = String(identifier.bundleId ?? identifier.packageId ?? identifier.windowsAppId);
    const app = newNode('managedMobileApp', {
      id: `${key}.${platform}`,
      mobileAppIdentifier: identifier,
      version: '-1',
    });
    childMap(node, 'apps').set(app.id, app);
  }
}

export function buildAppProtection(
  ctx: BuildContext,
  counts: { ios: number; android: number; windows: number; config: number },
): void {
  const common = (ctx: BuildContext) => ({
    periodOfflineBeforeAccessCheck: 'PT12H',
    periodOnlineBeforeAccessCheck: 'PT30M',
    allowedInboundDataTransferSources: 'managedApps',
    allowedOutboundDataTransferDestinations: 'managedApps',
    organizationalCredentialsRequired: false,
    allowedOutboundClipboardSharingLevel: 'managedAppsWithPasteIn',
    dataBackupBlocked: true,
    deviceComplianceRequired: true,
    managedBrowserToOpenLinksRequired: true,
    saveAsBlocked: true,
    periodOfflineBeforeWipeIsEnforced: 'P90D',
    pinRequired: true,
    maximumPinRetries: 5,
    simplePinBlocked: true,
    minimumPinLength: 6,
    pinCharacterSet: 'numeric',
    version: String(ctx.prng.range(1, 9)),
    isAssigned: false,
    targetedAppManagementLevels: 'unspecified',
    appGroupType: 'selectedPublicApps',
  });
  const make = (
    collection: string,
    type: string,
    name: string,
    platform: 'ios' | 'android' | 'windows',
    n: number,
  ) => {
    for (let i = 0; i < n; i++) {
      const node = ctx.add(
        `/deviceAppManagement/${collection}`,
        type,
        ctx.name(name),
        platform === 'windows' ? { version: '1', isAssigned: false } : common(ctx),
      );
      addManagedApps(ctx, node, platform);
      if (ctx.schema.property(type, 'deployedAppCount'))
        node.data.deployedAppCount = node.navs.get('apps')?.size ?? 0;
      ctx.assign(node);
      node.data.isAssigned = (node.navs.get('assignments')?.size ?? 0) > 0;
    }
  };
  make(
    'iosManagedAppProtections',
    'iosManagedAppProtection',
    'iOS - APP - Corporate data protection',
    'ios',
    counts.ios,
  );
  make(
    'androidManagedAppProtections',
    'androidManagedAppProtection',
    'AND - APP - Corporate data protection',
    'android',
    counts.android,
  );
  make(
    'windowsManagedAppProtections',
    'windowsManagedAppProtection',
    'WIN - APP - Edge data protection',
    'windows',
    counts.windows,
  );
  for (let i = 0; i < counts.config; i++) {
    const node = ctx.add(
      '/deviceAppManagement/targetedManagedAppConfigurations',
      'targetedManagedAppConfiguration',
      ctx.name('APP Config - Outlook and Edge'),
      {
        customSettings: [
          {
            '@odata.type': '#microsoft.graph.keyValuePair',
            name: 'com.microsoft.intune.mam.managedbrowser.bookmarks',
            value: `Intranet|https://intranet.${ctx.profile.domain}`,
          },
        ],
        deployedAppCount: 2,
        isAssigned: false,
        version: '1',
        appGroupType: 'selectedPublicApps',
        targetedAppManagementLevels: 'unspecified',
      },
    );
    addManagedApps(ctx, node, i % 2 === 0 ? 'ios' : 'android');
    ctx.assign(node);
    node.data.isAssigned = (node.navs.get('assignments')?.size ?? 0) > 0;
  }
}

/** Policy sets bundling a few existing apps and policies. */
export function buildPolicySets(ctx: BuildContext, count: number): void {
  const sources: Array<[string, string]> = [
    ['/deviceAppManagement/mobileApps', 'mobileAppPolicySetItem'],
    ['/deviceManagement/deviceConfigurations', 'deviceConfigurationPolicySetItem'],
    ['/deviceManagement/deviceCompliancePolicies', 'deviceCompliancePolicyPolicySetItem'],
    ['/deviceManagement/configurationPolicies', 'deviceManagementConfigurationPolicyPolicySetItem'],
  ];
  for (let i = 0; i < count; i++) {
    const node = ctx.add(
      '/deviceAppManagement/policySets',
      'policySet',
      ctx.name(i % 2 === 0 ? 'Baseline - New Windows device' : 'Baseline - Frontline iPhone'),
      {
        status: 'notAssigned',
        errorCode: 'noError',
        guidedDeploymentTags: [],
        roleScopeTags: ['0'],
      },
    );
    for (const [collection, itemType] of sources) {
      const target = [...ctx.store.collection(collection).values()][i];
      if (!target) continue;
      const item = ctx.child(node, 'items', itemType, {
        payloadId: target.id,
        itemType: String(target.data['@odata.type']).slice(1),
        displayName: String(target.data.displayName ?? target.data.name ?? ''),
        status: 'notAssigned',
        errorCode: 'noError',
        guidedDeploymentTags: [],
        createdDateTime: ctx.timestamp(),
        lastModifiedDateTime: ctx.timestamp(),
      });
      if (ctx.schema.property(itemType, 'intent')) item.data.intent = 'required';
      if (ctx.schema.property(itemType, 'settings')) item.data.settings = null;
    }
    ctx.assign(node);
    if ((node.navs.get('assignments')?.size ?? 0) > 0) node.data.status = 'success';
  }
}
