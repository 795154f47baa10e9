/** Real settings catalog definition ids with plausible values, for settings catalog / endpoint security payloads. */
export interface SettingSpec {
  id: string;
  kind: 'choice' | 'integer' | 'string';
  value: string | number;
  children?: SettingSpec[];
}

export const SETTINGS_LIBRARY: Record<string, SettingSpec[]> = {
  antivirus: [
    { id: 'device_vendor_msft_policy_config_defender_allowrealtimemonitoring', kind: 'choice', value: '_1' },
    { id: 'device_vendor_msft_policy_config_defender_allowcloudprotection', kind: 'choice', value: '_1' },
    { id: 'device_vendor_msft_policy_config_defender_submitsamplesconsent', kind: 'choice', value: '_3' },
    { id: 'device_vendor_msft_policy_config_defender_puaprotection', kind: 'choice', value: '_1' },
    { id: 'device_vendor_msft_policy_config_defender_cloudblocklevel', kind: 'choice', value: '_2' },
    { id: 'device_vendor_msft_policy_config_defender_avgcpuloadfactor', kind: 'integer', value: 50 },
  ],
  firewall: [
    { id: 'vendor_msft_firewall_mdmstore_domainprofile_enablefirewall', kind: 'choice', value: '_true' },
    { id: 'vendor_msft_firewall_mdmstore_privateprofile_enablefirewall', kind: 'choice', value: '_true' },
    { id: 'vendor_msft_firewall_mdmstore_publicprofile_enablefirewall', kind: 'choice', value: '_true' },
    { id: 'vendor_msft_firewall_mdmstore_publicprofile_defaultinboundaction', kind: 'choice', value: '_1' },
  ],
  diskEncryption: [
    { id: 'device_vendor_msft_bitlocker_requiredeviceencryption', kind: 'choice', value: '_1' },
    { id: 'device_vendor_msft_bitlocker_allowwarningforotherdiskencryption', kind: 'choice', value: '_0' },
    {
      id: 'device_vendor_msft_bitlocker_encryptionmethodbydrivetype',
      kind: 'choice',
      value: '_1',
      children: [
        {
          id: 'device_vendor_msft_bitlocker_encryptionmethodbydrivetype_encryptionmethodwithxtsosdropdown_name',
          kind: 'choice',
          value: '_7',
        },
      ],
    },
  ],
  accountProtection: [
    {
      id: 'device_vendor_msft_laps_policies_backupdirectory',
      kind: 'choice',
      value: '_1',
      children: [{ id: 'device_vendor_msft_laps_policies_passwordagedays_aad', kind: 'integer', value: 30 }],
    },
    { id: 'device_vendor_msft_laps_policies_passwordcomplexity', kind: 'choice', value: '_4' },
    { id: 'device_vendor_msft_laps_policies_passwordlength', kind: 'integer', value: 16 },
  ],
  attackSurface: [
    {
      id: 'device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockexecutablecontentfromemailclientandwebmail',
      kind: 'choice',
      value: '_block',
    },
    {
      id: 'device_vendor_msft_policy_config_defender_attacksurfacereductionrules_blockofficemacrocallstowin32apis',
      kind: 'choice',
      value: '_audit',
    },
    { id: 'device_vendor_msft_policy_config_defender_enablenetworkprotection', kind: 'choice', value: '_1' },
  ],
  deviceLock: [
    { id: 'device_vendor_msft_policy_config_devicelock_devicepasswordenabled', kind: 'choice', value: '_0' },
    { id: 'device_vendor_msft_policy_config_devicelock_mindevicepasswordlength', kind: 'integer', value: 8 },
    {
      id: 'device_vendor_msft_policy_config_devicelock_maxinactivitytimedevicelock',
      kind: 'integer',
      value: 15,
    },
  ],
  experience: [
    { id: 'device_vendor_msft_policy_config_experience_allowcortana', kind: 'choice', value: '_0' },
    {
      id: 'device_vendor_msft_policy_config_experience_allowwindowsconsumerfeatures',
      kind: 'choice',
      value: '_0',
    },
    { id: 'device_vendor_msft_policy_config_experience_allowwindowstips', kind: 'choice', value: '_0' },
  ],
  logon: [
    {
      id: 'device_vendor_msft_policy_config_localpoliciessecurityoptions_interactivelogon_messagetextforusersattemptingtologon',
      kind: 'string',
      value: 'Authorized use only. Activity may be monitored.',
    },
    {
      id: 'device_vendor_msft_policy_config_localpoliciessecurityoptions_useraccountcontrol_behavioroftheelevationpromptforadministrators',
      kind: 'choice',
      value: '_5',
    },
  ],
  update: [
    { id: 'device_vendor_msft_policy_config_update_activehoursstart', kind: 'integer', value: 8 },
    { id: 'device_vendor_msft_policy_config_update_activehoursend', kind: 'integer', value: 18 },
    { id: 'device_vendor_msft_policy_config_update_allowautoupdate', kind: 'choice', value: '_1' },
  ],
  edr: [
    {
      id: 'device_vendor_msft_windowsadvancedthreatprotection_configurationtype',
      kind: 'choice',
      value: '_autofromconnector',
    },
    {
      id: 'device_vendor_msft_windowsadvancedthreatprotection_configuration_samplesharing',
      kind: 'choice',
      value: '_1',
    },
  ],
};

/** Settings catalog families with the template family the endpoint security nodes carry. */
export const POLICY_FLAVOURS: Array<{
  name: string;
  library: keyof typeof SETTINGS_LIBRARY;
  templateFamily: string;
  templateId?: string;
  templateDisplayName?: string;
}> = [
  {
    name: 'WIN - Defender Antivirus',
    library: 'antivirus',
    templateFamily: 'endpointSecurityAntivirus',
    templateId: '804339ad-1553-4478-a742-138fb5807418_1',
    templateDisplayName: 'Microsoft Defender Antivirus',
  },
  {
    name: 'WIN - Windows Firewall',
    library: 'firewall',
    templateFamily: 'endpointSecurityFirewall',
    templateId: '6078910e-d808-4a9f-a51d-1b8a7bacb7c0_1',
    templateDisplayName: 'Windows Firewall',
  },
  {
    name: 'WIN - BitLocker',
    library: 'diskEncryption',
    templateFamily: 'endpointSecurityDiskEncryption',
    templateId: '46ddfc50-d10f-4867-b852-9434254b3bff_1',
    templateDisplayName: 'BitLocker',
  },
  {
    name: 'WIN - LAPS',
    library: 'accountProtection',
    templateFamily: 'endpointSecurityAccountProtection',
    templateId: 'adc46e5a-f4aa-4ff6-aeff-4f27bc525796_1',
    templateDisplayName: 'Local admin password solution (Windows LAPS)',
  },
  {
    name: 'WIN - ASR Rules',
    library: 'attackSurface',
    templateFamily: 'endpointSecurityAttackSurfaceReduction',
    templateId: 'e8c053d6-9f95-42b1-a7f1-ebfd71c67a4b_1',
    templateDisplayName: 'Attack Surface Reduction Rules',
  },
  {
    name: 'WIN - EDR Onboarding',
    library: 'edr',
    templateFamily: 'endpointSecurityEndpointDetectionAndResponse',
    templateId: '0385b795-0f2f-44ac-8602-9f65bf6adede_1',
    templateDisplayName: 'Endpoint detection and response',
  },
  { name: 'WIN - Device Lock', library: 'deviceLock', templateFamily: 'none' },
  { name: 'WIN - Experience Hardening', library: 'experience', templateFamily: 'none' },
  { name: 'WIN - Logon Banner and UAC', library: 'logon', templateFamily: 'none' },
  { name: 'WIN - Update Active Hours', library: 'update', templateFamily: 'none' },
];

const NS = '#microsoft.graph.deviceManagementConfiguration';

export function settingInstance(spec: SettingSpec): Record<string, unknown> {
  if (spec.kind === 'choice') {
    return {
      '@odata.type': `${NS}ChoiceSettingInstance`,
      settingDefinitionId: spec.id,
      settingInstanceTemplateReference: null,
      choiceSettingValue: {
        '@odata.type': `${NS}ChoiceSettingValue`,
        settingValueTemplateReference: null,
        value: `${spec.id}${spec.value}`,
        children: (spec.children ?? []).map(settingInstance),
      },
    };
  }
  return {
    '@odata.type': `${NS}SimpleSettingInstance`,
    settingDefinitionId: spec.id,
    settingInstanceTemplateReference: null,
    simpleSettingValue: {
      '@odata.type': spec.kind === 'integer' ? `${NS}IntegerSettingValue` : `${NS}StringSettingValue`,
      settingValueTemplateReference: null,
      value: spec.value,
    },
  };
}
