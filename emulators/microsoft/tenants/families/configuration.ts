import { b64, type BuildContext } from '../context';
import { childMap, newNode, type EntityNode } from '../store';
import { POLICY_FLAVOURS, SETTINGS_LIBRARY, settingInstance } from './settings-library';

const DC = '/deviceManagement/deviceConfigurations';

/** Device configuration profiles: custom OMA-URI, update rings (for `isof` filters) and platform profiles. */
const DEVICE_CONFIG_KINDS: Array<{
  type: string;
  name: string;
  build?: (ctx: BuildContext) => Record<string, unknown>;
}> = [
  {
    type: 'windows10CustomConfiguration',
    name: 'WIN - Custom OMA-URI - Start menu layout',
    build: (ctx) => ({ omaSettings: omaSettings(ctx) }),
  },
  {
    type: 'windowsUpdateForBusinessConfiguration',
    name: 'WIN - Update Ring - Preview',
    build: () => updateRing(0, 0),
  },
  {
    type: 'windowsUpdateForBusinessConfiguration',
    name: 'WIN - Update Ring - Pilot',
    build: () => updateRing(3, 0),
  },
  {
    type: 'windowsUpdateForBusinessConfiguration',
    name: 'WIN - Update Ring - Broad',
    build: () => updateRing(7, 3),
  },
  { type: 'windows10GeneralConfiguration', name: 'WIN - Device Restrictions' },
  { type: 'windows10EndpointProtectionConfiguration', name: 'WIN - Endpoint Protection' },
  {
    type: 'windows10CustomConfiguration',
    name: 'WIN - Custom OMA-URI - Defender tweaks',
    build: (ctx) => ({ omaSettings: omaSettings(ctx) }),
  },
  { type: 'iosGeneralDeviceConfiguration', name: 'iOS - Device Restrictions' },
  { type: 'iosDeviceFeaturesConfiguration', name: 'iOS - Device Features' },
  { type: 'macOSGeneralDeviceConfiguration', name: 'macOS - Device Restrictions' },
  { type: 'macOSCustomConfiguration', name: 'macOS - Custom profile - Privacy Preferences' },
  { type: 'androidWorkProfileGeneralDeviceConfiguration', name: 'AND - Work Profile Restrictions' },
  { type: 'androidDeviceOwnerGeneralDeviceConfiguration', name: 'AND - Fully Managed Restrictions' },
  { type: 'windowsHealthMonitoringConfiguration', name: 'WIN - Endpoint Analytics' },
  { type: 'windowsIdentityProtectionConfiguration', name: 'WIN - Windows Hello for Business' },
  { type: 'windowsDeliveryOptimizationConfiguration', name: 'WIN - Delivery Optimization' },
  { type: 'editionUpgradeConfiguration', name: 'WIN - Edition Upgrade to Enterprise' },
  { type: 'windowsKioskConfiguration', name: 'WIN - Kiosk - Reception' },
  { type: 'iosUpdateConfiguration', name: 'iOS - Update Policy' },
  { type: 'windowsDomainJoinConfiguration', name: 'WIN - Hybrid Domain Join' },
];

function omaSettings(ctx: BuildContext): unknown[] {
  return [
    {
      '@odata.type': '#microsoft.graph.omaSettingInteger',
      displayName: 'Allow Telemetry',
      description: 'Diagnostic data: required only',
      omaUri: './Device/Vendor/MSFT/Policy/Config/System/AllowTelemetry',
      value: 1,
      isReadOnly: false,
    },
    {
      '@odata.type': '#microsoft.graph.omaSettingString',
      displayName: 'Start layout',
      description: 'Pinned start menu layout',
      omaUri: './Vendor/MSFT/Policy/Config/Start/StartLayout',
      value: `<LayoutModificationTemplate Version="1"><!-- ${ctx.profile.orgName} --></LayoutModificationTemplate>`,
      isEncrypted: false,
      secretReferenceValueId: null,
    },
  ];
}

function updateRing(qualityDeferral: number, featureDeferral: number): Record<string, unknown> {
  return {
    qualityUpdatesDeferralPeriodInDays: qualityDeferral,
    featureUpdatesDeferralPeriodInDays: featureDeferral,
    automaticUpdateMode: 'autoInstallAtMaintenanceTime',
    businessReadyUpdatesOnly: 'userDefined',
    microsoftUpdateServiceAllowed: true,
    driversExcluded: false,
    qualityUpdatesPaused: false,
    featureUpdatesPaused: false,
    deadlineForQualityUpdatesInDays: 3,
    deadlineForFeatureUpdatesInDays: 7,
    deadlineGracePeriodInDays: 2,
  };
}

export function buildDeviceConfigurations(ctx: BuildContext, count: number): void {
  for (let i = 0; i < count; i++) {
    const kind = DEVICE_CONFIG_KINDS[i % DEVICE_CONFIG_KINDS.length]!;
    const node = ctx.add(DC, kind.type, ctx.name(kind.name), {
      version: ctx.prng.range(1, 12),
      supportsScopeTags: true,
      deviceManagementApplicabilityRuleOsEdition: null,
      deviceManagementApplicabilityRuleOsVersion: null,
      deviceManagementApplicabilityRuleDeviceMode: null,
      ...kind.build?.(ctx),
    });
    ctx.assign(node);
  }
}

export function buildConfigurationPolicies(
  ctx: BuildContext,
  count: number,
  collection = '/deviceManagement/configurationPolicies',
): void {
  for (let i = 0; i < count; i++) {
    const flavour = POLICY_FLAVOURS[i % POLICY_FLAVOURS.length]!;
    const specs = SETTINGS_LIBRARY[flavour.library]!;
    const node = ctx.add(collection, 'deviceManagementConfigurationPolicy', ctx.name(flavour.name), {
      platforms: 'windows10',
      technologies:
        flavour.templateFamily === 'endpointSecurityEndpointDetectionAndResponse'
          ? 'mdm,microsoftSense'
          : 'mdm',
      settingCount: specs.length,
      creationSource: null,
      isAssigned: false,
      priorityMetaData: undefined,
      templateReference: {
        templateId: flavour.templateId ?? '',
        templateFamily: flavour.templateFamily,
        templateDisplayName: flavour.templateDisplayName ?? null,
        templateDisplayVersion: flavour.templateId ? 'Version 1' : null,
      },
    });
    addSettings(node, specs);
    ctx.assign(node);
    node.data.isAssigned = (node.navs.get('assignments')?.size ?? 0) > 0;
  }
}

export function addSettings(node: EntityNode, specs: Array<Parameters<typeof settingInstance>[0]>): void {
  const settings = childMap(node, 'settings');
  specs.forEach((spec, index) => {
    const child = newNode('deviceManagementConfigurationSetting', {
      id: String(index),
      settingInstance: settingInstance(spec),
    });
    settings.set(child.id, child);
  });
}

export function buildReusableSettings(ctx: BuildContext, count: number): void {
  const names = [
    'Firewall rule group - Line of business apps',
    'Defender device control - Approved USB',
    'Firewall rule group - Remote management',
  ];
  for (let i = 0; i < count; i++) {
    ctx.add(
      '/deviceManagement/reusablePolicySettings',
      'deviceManagementReusablePolicySetting',
      ctx.name(names[i % names.length]!),
      {
        settingDefinitionId: 'vendor_msft_firewall_mdmstore_firewallrules_{firewallrulename}',
        settingInstance: settingInstance({
          id: 'vendor_msft_firewall_mdmstore_firewallrules_{firewallrulename}_enabled',
          kind: 'choice',
          value: '_1',
        }),
        referencingConfigurationPolicyCount: 0,
        version: ctx.prng.range(1, 4),
      },
    );
  }
}

const BASELINES = [
  {
    name: 'Security Baseline - Windows 10 and later',
    template: 'Security Baseline for Windows 10 and later',
    templateId: '034ccd46-190c-4afc-adf1-ad7cc11262eb',
    templateType: 'securityBaseline',
    platformType: 'windows10AndLater',
  },
  {
    name: 'Security Baseline - Microsoft Edge',
    template: 'Security Baseline for Microsoft Edge',
    templateId: 'c66347b7-8325-4954-a235-3bf2233dfbfd',
    templateType: 'microsoftEdgeSecurityBaseline',
    platformType: 'windows10AndLater',
  },
  {
    name: 'Security Baseline - Defender for Endpoint',
    template: 'Microsoft Defender for Endpoint baseline',
    templateId: '49b8320f-e179-472e-8e2c-2fde00289ca2',
    templateType: 'advancedThreatProtectionSecurityBaseline',
    platformType: 'windows10AndLater',
  },
];

/**
 * The security baseline templates the intents are made from: Microsoft's, built into every tenant with the
 * same ids (as in Intune), whatever the tenant holds. Adds the ones the tenant lacks.
 */
export function buildBaselineTemplates(ctx: BuildContext): void {
  const templates = ctx.store.collection('/deviceManagement/templates');
  for (const b of BASELINES) {
    if (templates.has(b.templateId)) continue;
    const data = ctx.payload('securityBaselineTemplate', b.template, {
      id: b.templateId,
      description: `${b.template} (built in)`,
      versionInfo: 'Version 1',
      isDeprecated: false,
      intentCount: 0,
      templateType: b.templateType,
      platformType: b.platformType,
      templateSubtype: 'none',
      publishedDateTime: '2023-06-01T00:00:00Z',
    });
    ctx.store.add('/deviceManagement/templates', newNode('securityBaselineTemplate', data));
  }
}

export function buildIntents(ctx: BuildContext, count: number): void {
  const baselines = BASELINES;
  // Here for a tenant with intents, so its other objects keep the random draws they had before every
  // tenant got the templates (buildTenant adds them last for the others).
  if (count > 0) buildBaselineTemplates(ctx);
  for (let i = 0; i < count; i++) {
    const b = baselines[i % baselines.length]!;
    const node = ctx.add('/deviceManagement/intents', 'deviceManagementIntent', ctx.name(b.name), {
      templateId: b.templateId,
      isAssigned: false,
      isMigratingToConfigurationPolicy: false,
    });
    const settings: Array<[string, string, unknown]> = [
      [
        'deviceManagementBooleanSettingInstance',
        'deviceConfiguration--windows10EndpointProtectionConfiguration_firewallBlockStatefulFTP',
        true,
      ],
      [
        'deviceManagementIntegerSettingInstance',
        'deviceConfiguration--windows10GeneralConfiguration_passwordMinimumLength',
        14,
      ],
      [
        'deviceManagementStringSettingInstance',
        'deviceConfiguration--windows10EndpointProtectionConfiguration_smartScreenEnableInShell',
        'enabled',
      ],
    ];
    for (const [type, definitionId, value] of settings) {
      ctx.child(node, 'settings', type, { definitionId, valueJson: JSON.stringify(value), value });
    }
    for (const child of node.navs.get('settings')?.values() ?? []) delete child.data.displayName;
    ctx.assign(node);
    node.data.isAssigned = (node.navs.get('assignments')?.size ?? 0) > 0;
  }
}

export const SCRIPT_TEXT = (ctx: BuildContext, purpose: string) =>
  b64(
    `# ${purpose}\n# Managed by ${ctx.profile.orgName} IT\n$ErrorActionPreference = 'Stop'\nWrite-Output "${purpose}"\nexit 0\n`,
  );
