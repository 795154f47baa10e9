import { b64, type BuildContext } from '../context';
import { addSettings } from './configuration';
import { SETTINGS_LIBRARY } from './settings-library';

const COMPLIANCE_KINDS: Array<{ type: string; name: string; extra: Record<string, unknown> }> = [
  {
    type: 'windows10CompliancePolicy',
    name: 'WIN - Compliance - BitLocker and Secure Boot',
    extra: { bitLockerEnabled: true, secureBootEnabled: true, osMinimumVersion: '10.0.19045' },
  },
  {
    type: 'iosCompliancePolicy',
    name: 'iOS - Compliance - Baseline',
    extra: { passcodeRequired: true, osMinimumVersion: '17.0', securityBlockJailbrokenDevices: true },
  },
  {
    type: 'androidWorkProfileCompliancePolicy',
    name: 'AND - Compliance - Work Profile',
    extra: { passwordRequired: true, securityBlockJailbrokenDevices: true },
  },
  {
    type: 'macOSCompliancePolicy',
    name: 'macOS - Compliance - FileVault',
    extra: { storageRequireEncryption: true, firewallEnabled: true },
  },
  {
    type: 'androidDeviceOwnerCompliancePolicy',
    name: 'AND - Compliance - Fully Managed',
    extra: { passwordRequired: true },
  },
  {
    type: 'windows10CompliancePolicy',
    name: 'WIN - Compliance - Defender health',
    extra: { defenderEnabled: true, rtpEnabled: true, antivirusRequired: true },
  },
];

/** Classic compliance policies, each with scheduledActionsForRule (block at once, notify, retire later). */
export function buildDeviceCompliancePolicies(ctx: BuildContext, count: number): void {
  for (let i = 0; i < count; i++) {
    const kind = COMPLIANCE_KINDS[i % COMPLIANCE_KINDS.length]!;
    const node = ctx.add('/deviceManagement/deviceCompliancePolicies', kind.type, ctx.name(kind.name), {
      version: ctx.prng.range(1, 8),
      ...kind.extra,
    });
    const rule = ctx.child(node, 'scheduledActionsForRule', 'deviceComplianceScheduledActionForRule', {
      ruleName: 'PasswordRequired',
    });
    delete rule.data.displayName;
    const actions: Array<Record<string, unknown>> = [
      {
        actionType: 'block',
        gracePeriodHours: 0,
        notificationTemplateId: NO_NOTIFICATION_TEMPLATE,
        notificationMessageCCList: [],
      },
    ];
    if (ctx.notificationTemplateIds.length > 0) {
      actions.push({
        actionType: 'notification',
        gracePeriodHours: 24,
        notificationTemplateId: ctx.prng.pick(ctx.notificationTemplateIds),
        notificationMessageCCList: [],
      });
    }
    if (ctx.prng.chance(0.3)) {
      actions.push({
        actionType: 'retire',
        gracePeriodHours: 2160,
        notificationTemplateId: NO_NOTIFICATION_TEMPLATE,
        notificationMessageCCList: [],
      });
    }
    for (const action of actions) {
      const item = ctx.child(rule, 'scheduledActionConfigurations', 'deviceComplianceActionItem', action);
      delete item.data.displayName;
    }
    ctx.assign(node);
  }
}

/** What Intune stores in an action that sends no notification: the all-zero GUID, never an empty string. */
const NO_NOTIFICATION_TEMPLATE = '00000000-0000-0000-0000-000000000000';

export function buildCompliancePolicies(ctx: BuildContext, count: number): void {
  const names = [
    'Linux - Compliance - Disk encryption',
    'WIN - Compliance - Settings catalog',
    'macOS - Compliance - Settings catalog',
  ];
  for (let i = 0; i < count; i++) {
    const linux = i % names.length === 0;
    const specs = SETTINGS_LIBRARY[linux ? 'diskEncryption' : 'deviceLock']!;
    const node = ctx.add(
      '/deviceManagement/compliancePolicies',
      'deviceManagementCompliancePolicy',
      ctx.name(names[i % names.length]!),
      {
        platforms: linux ? 'linux' : i % names.length === 1 ? 'windows10' : 'macOS',
        technologies: linux ? 'linuxMdm' : 'mdm',
        settingCount: specs.length,
        creationSource: null,
        isAssigned: false,
      },
    );
    addSettings(node, specs);
    const rule = ctx.child(
      node,
      'scheduledActionsForRule',
      'deviceManagementComplianceScheduledActionForRule',
      { ruleName: null },
    );
    delete rule.data.displayName;
    const item = ctx.child(rule, 'scheduledActionConfigurations', 'deviceManagementComplianceActionItem', {
      actionType: 'block',
      gracePeriodHours: 0,
      notificationTemplateId: NO_NOTIFICATION_TEMPLATE,
      notificationMessageCCList: [],
    });
    delete item.data.displayName;
    ctx.assign(node);
    node.data.isAssigned = (node.navs.get('assignments')?.size ?? 0) > 0;
  }
}

const ps = (ctx: BuildContext, lines: string[]) =>
  b64([`# ${ctx.profile.orgName} IT`, ...lines].join('\r\n'));
const sh = (ctx: BuildContext, lines: string[]) =>
  b64(['#!/bin/zsh', `# ${ctx.profile.orgName} IT`, ...lines].join('\n'));

export function buildComplianceScripts(ctx: BuildContext, count: number): void {
  const names = ['Check BIOS version', 'Check local admin group membership', 'Check proxy configuration'];
  for (let i = 0; i < count; i++) {
    const name = names[i % names.length]!;
    const node = ctx.add(
      '/deviceManagement/deviceComplianceScripts',
      'deviceComplianceScript',
      ctx.name(name),
      {
        publisher: `${ctx.profile.orgName} IT`,
        version: '1',
        detectionScriptContent: ps(ctx, [
          `$result = @{ "${name}" = $true }`,
          'return $result | ConvertTo-Json -Compress',
        ]),
        runAsAccount: 'system',
        enforceSignatureCheck: false,
        runAs32Bit: false,
      },
    );
    ctx.assign(node);
  }
  linkCompliancePolicyScripts(ctx);
}

/**
 * Windows compliance policies built from the docs sample name a compliance script by a placeholder id.
 * Like in Intune, most use no custom compliance (`null`); every third one checks one of the tenant's own
 * scripts, so every reference resolves.
 */
function linkCompliancePolicyScripts(ctx: BuildContext): void {
  const scripts = [...ctx.store.collection('/deviceManagement/deviceComplianceScripts').keys()];
  let windows = 0;
  for (const policy of ctx.store.collection('/deviceManagement/deviceCompliancePolicies').values()) {
    if (!('deviceCompliancePolicyScript' in policy.data)) continue;
    const scriptId = windows++ % 3 === 2 ? scripts[windows % Math.max(1, scripts.length)] : undefined;
    policy.data.deviceCompliancePolicyScript = scriptId
      ? {
          '@odata.type': '#microsoft.graph.deviceCompliancePolicyScript',
          deviceComplianceScriptId: scriptId,
          rulesContent: b64(
            JSON.stringify({ Rules: [{ SettingName: 'BiosVersion', Operator: 'IsEquals' }] }),
          ),
        }
      : null;
  }
}

export function buildPowerShellScripts(ctx: BuildContext, count: number): void {
  const names = [
    'Set time zone',
    'Remove built-in apps',
    'Map network drives',
    'Configure power plan',
    'Install root certificates',
    'Rename computer',
  ];
  for (let i = 0; i < count; i++) {
    const name = names[i % names.length]!;
    const node = ctx.add(
      '/deviceManagement/deviceManagementScripts',
      'deviceManagementScript',
      ctx.name(`WIN - ${name}`),
      {
        scriptContent: ps(ctx, [`Write-Output "${name}"`, 'exit 0']),
        runAsAccount: i % 2 === 0 ? 'system' : 'user',
        enforceSignatureCheck: false,
        fileName: `${name.replace(/\s+/g, '-')}.ps1`,
        runAs32Bit: false,
      },
    );
    ctx.assign(node);
  }
}

export function buildShellScripts(ctx: BuildContext, count: number): void {
  const names = ['Install Rosetta 2', 'Set computer name', 'Configure Dock'];
  for (let i = 0; i < count; i++) {
    const name = names[i % names.length]!;
    const node = ctx.add(
      '/deviceManagement/deviceShellScripts',
      'deviceShellScript',
      ctx.name(`macOS - ${name}`),
      {
        scriptContent: sh(ctx, [`echo "${name}"`]),
        runAsAccount: 'system',
        fileName: `${name.replace(/\s+/g, '-').toLowerCase()}.sh`,
        executionFrequency: 'PT0S',
        retryCount: 3,
        blockExecutionNotifications: true,
      },
    );
    ctx.assign(node);
  }
}

export function buildCustomAttributeScripts(ctx: BuildContext, count: number): void {
  const names: Array<[string, string]> = [
    ['Battery cycle count', 'integer'],
    ['FileVault status', 'string'],
    ['Last reboot', 'dateTime'],
  ];
  for (let i = 0; i < count; i++) {
    const [name, type] = names[i % names.length]!;
    const node = ctx.add(
      '/deviceManagement/deviceCustomAttributeShellScripts',
      'deviceCustomAttributeShellScript',
      ctx.name(`macOS - ${name}`),
      {
        customAttributeName: name.replace(/\s+/g, ''),
        customAttributeType: type,
        scriptContent: sh(ctx, [`echo "${name}"`]),
        runAsAccount: 'system',
        fileName: `${name.replace(/\s+/g, '-').toLowerCase()}.sh`,
      },
    );
    ctx.assign(node);
  }
}

export function buildHealthScripts(ctx: BuildContext, count: number): void {
  const names = [
    'Restart stopped services',
    'Clear Teams cache',
    'Detect stale drivers',
    'Fix Windows Update components',
    'Reset network stack',
    'Remove old user profiles',
  ];
  for (let i = 0; i < count; i++) {
    const name = names[i % names.length]!;
    const node = ctx.add(
      '/deviceManagement/deviceHealthScripts',
      'deviceHealthScript',
      ctx.name(`Remediation - ${name}`),
      {
        publisher: i === 0 ? 'Microsoft' : `${ctx.profile.orgName} IT`,
        version: '1',
        detectionScriptContent: ps(ctx, [`# detect: ${name}`, 'exit 1']),
        remediationScriptContent: ps(ctx, [`# remediate: ${name}`, 'exit 0']),
        runAsAccount: 'system',
        enforceSignatureCheck: false,
        runAs32Bit: false,
        isGlobalScript: i === 0,
        highestAvailableVersion: '1',
        deviceHealthScriptType: 'deviceHealthScript',
        detectionScriptParameters: [],
        remediationScriptParameters: [],
      },
    );
    ctx.assign(node, 'assignments', () => ({
      runRemediationScript: true,
      runSchedule: {
        '@odata.type': '#microsoft.graph.deviceHealthScriptDailySchedule',
        interval: 1,
        useUtc: false,
        time: '09:00:00.0000000',
      },
    }));
  }
}
