import { stableGuid } from '../../ids';
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

interface GpDefinition {
  name: string;
  category: string;
  classType: 'machine' | 'user';
  presentations: Array<{ type: string; label: string; valueType: string; value: unknown }>;
}

const GP_DEFINITIONS: GpDefinition[] = [
  {
    name: 'Configure Automatic Updates',
    category: '\\Windows Components\\Windows Update',
    classType: 'machine',
    presentations: [
      {
        type: 'groupPolicyPresentationDropdownList',
        label: 'Configure automatic updating:',
        valueType: 'groupPolicyPresentationValueText',
        value: '4',
      },
    ],
  },
  {
    name: 'Turn off Microsoft consumer experiences',
    category: '\\Windows Components\\Cloud Content',
    classType: 'machine',
    presentations: [],
  },
  {
    name: 'Configure the home page URL',
    category: '\\Microsoft Edge\\Startup, home page and new tab page',
    classType: 'machine',
    presentations: [
      {
        type: 'groupPolicyPresentationTextBox',
        label: 'Home page URL',
        valueType: 'groupPolicyPresentationValueText',
        value: 'https://intranet.contoso.com',
      },
    ],
  },
  {
    name: 'Silently sign in users to the OneDrive sync app with their Windows credentials',
    category: '\\OneDrive',
    classType: 'machine',
    presentations: [],
  },
  {
    name: 'Prevent access to the command prompt',
    category: '\\System',
    classType: 'user',
    presentations: [
      {
        type: 'groupPolicyPresentationDropdownList',
        label: 'Disable the command prompt script processing also?',
        valueType: 'groupPolicyPresentationValueText',
        value: '1',
      },
    ],
  },
  {
    name: 'Turn on PowerShell Script Block Logging',
    category: '\\Windows Components\\Windows PowerShell',
    classType: 'machine',
    presentations: [
      {
        type: 'groupPolicyPresentationCheckBox',
        label: 'Log script block invocation start / stop events:',
        valueType: 'groupPolicyPresentationValueBoolean',
        value: true,
      },
    ],
  },
  {
    name: 'Specify intranet Microsoft update service location',
    category: '\\Windows Components\\Windows Update',
    classType: 'machine',
    presentations: [
      {
        type: 'groupPolicyPresentationTextBox',
        label: 'Set the intranet update service for detecting updates:',
        valueType: 'groupPolicyPresentationValueText',
        value: 'https://wsus.contoso.local:8531',
      },
    ],
  },
  {
    name: 'Set the default search provider',
    category: '\\Microsoft Edge\\Default search provider',
    classType: 'user',
    presentations: [
      {
        type: 'groupPolicyPresentationTextBox',
        label: 'Default search provider URL',
        valueType: 'groupPolicyPresentationValueText',
        value: 'https://www.bing.com/search?q={searchTerms}',
      },
    ],
  },
  {
    name: 'Maximum cache age (days)',
    category: '\\Windows Components\\Delivery Optimization',
    classType: 'machine',
    presentations: [
      {
        type: 'groupPolicyPresentationDecimalTextBox',
        label: 'Maximum cache age (in days)',
        valueType: 'groupPolicyPresentationValueDecimal',
        value: 7,
      },
    ],
  },
  {
    name: 'Do not display network selection UI',
    category: '\\System\\Logon',
    classType: 'machine',
    presentations: [],
  },
];

const GPD = '/deviceManagement/groupPolicyDefinitions';

/** The ADMX definitions catalogue (same ids in every tenant, as in Intune). */
export function buildGroupPolicyDefinitions(ctx: BuildContext): void {
  for (const def of GP_DEFINITIONS) {
    const id = stableGuid('group-policy-definition', def.name);
    if (ctx.store.get(GPD, id)) continue;
    const node = newNode(
      'groupPolicyDefinition',
      ctx.payload('groupPolicyDefinition', def.name, {
        id,
        classType: def.classType,
        displayName: def.name,
        explainText: `This policy setting controls: ${def.name}.`,
        categoryPath: def.category,
        supportedOn: 'At least Windows 10',
        policyType: 'admxBacked',
        hasRelatedDefinitions: false,
        groupPolicyCategoryId: stableGuid('group-policy-category', def.category),
        minDeviceCspVersion: '10.0.10240.0',
        minUserCspVersion: '10.0.10240.0',
        version: '1.0',
        lastModifiedDateTime: '2023-10-12T07:31:04.7043375Z',
      }),
    );
    def.presentations.forEach((p, i) => {
      const pres = newNode(
        p.type,
        ctx.payload(p.type, p.label, {
          id: stableGuid('group-policy-presentation', def.name, i),
          label: p.label,
          lastModifiedDateTime: '2023-10-12T07:31:04.7043375Z',
        }),
      );
      for (const k of Object.keys(pres.data)) if (pres.data[k] === 'Default Value') pres.data[k] = '';
      childMap(node, 'presentations').set(pres.id, pres);
    });
    ctx.store.add(GPD, node);
  }
}

export function buildGroupPolicyConfigurations(ctx: BuildContext, count: number): void {
  const names = [
    'ADMX - Windows Update',
    'ADMX - Edge Baseline',
    'ADMX - OneDrive Known Folder Move',
    'ADMX - PowerShell Logging',
    'ADMX - User Restrictions',
  ];
  for (let i = 0; i < count; i++) {
    const node = ctx.add(
      '/deviceManagement/groupPolicyConfigurations',
      'groupPolicyConfiguration',
      ctx.name(names[i % names.length]!),
      {
        policyConfigurationIngestionType: 'builtIn',
      },
    );
    for (const def of ctx.prng.sample(GP_DEFINITIONS, ctx.prng.range(2, 4))) {
      const defId = stableGuid('group-policy-definition', def.name);
      const value = ctx.child(node, 'definitionValues', 'groupPolicyDefinitionValue', {
        enabled: true,
        configurationType: 'policy',
        createdDateTime: ctx.timestamp(),
        lastModifiedDateTime: ctx.timestamp(),
      });
      delete value.data.displayName;
      value.refs.set('definition', { collection: GPD, path: [defId] });
      def.presentations.forEach((p, j) => {
        const pv = ctx.child(value, 'presentationValues', p.valueType, {
          value: p.value,
          createdDateTime: ctx.timestamp(),
          lastModifiedDateTime: ctx.timestamp(),
        });
        delete pv.data.displayName;
        pv.refs.set('presentation', {
          collection: GPD,
          path: [defId, 'presentations', stableGuid('group-policy-presentation', def.name, j)],
        });
      });
    }
    ctx.assign(node);
  }
}

export function buildIntents(ctx: BuildContext, count: number): void {
  const baselines = [
    { name: 'Security Baseline - Windows 10 and later', templateId: '034ccd46-190c-4afc-adf1-ad7cc11262eb' },
    { name: 'Security Baseline - Microsoft Edge', templateId: 'c66347b7-8325-4954-a235-3bf2233dfbfd' },
    { name: 'Security Baseline - Defender for Endpoint', templateId: '49b8320f-e179-472e-8e2c-2fde00289ca2' },
  ];
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
