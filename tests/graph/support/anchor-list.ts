/**
 * The anchor list of object types (issue 3: the union of what IntuneCD, IntuneManagement,
 * IntuneBackupAndRestore and Microsoft365DSC cover; issue 21 added the tenant-wide singletons), each with
 * the contracts that cover it. Every anchor is a contract, and every contract an inventory reads is here.
 */
export const ANCHOR_LIST: ReadonlyArray<{ anchor: string; contracts: readonly string[] }> = [
  { anchor: 'device configurations (incl. custom OMA-URI)', contracts: ['deviceConfigurations'] },
  { anchor: 'update rings via isof filters', contracts: ['windowsUpdateRings'] },
  {
    anchor: 'settings catalog + endpoint security (configurationPolicies with /settings)',
    contracts: ['configurationPolicies'],
  },
  { anchor: 'reusable policy settings', contracts: ['reusablePolicySettings'] },
  {
    anchor: 'administrative templates (groupPolicyConfigurations)',
    contracts: ['groupPolicyConfigurations'],
  },
  { anchor: 'compliance policies, classic with scheduled actions', contracts: ['deviceCompliancePolicies'] },
  { anchor: 'compliance policies, settings-based', contracts: ['compliancePolicies'] },
  { anchor: 'compliance scripts', contracts: ['deviceComplianceScripts'] },
  { anchor: 'notification message templates', contracts: ['notificationMessageTemplates'] },
  { anchor: 'intents (security baselines)', contracts: ['intents'] },
  {
    anchor: 'enrollment configurations (restrictions, limits, WHfB, ESP)',
    contracts: ['deviceEnrollmentConfigurations'],
  },
  { anchor: 'Autopilot deployment profiles', contracts: ['windowsAutopilotDeploymentProfiles'] },
  { anchor: 'Apple user-initiated enrollment profiles', contracts: ['appleUserInitiatedEnrollmentProfiles'] },
  { anchor: 'PowerShell scripts', contracts: ['deviceManagementScripts'] },
  { anchor: 'macOS shell scripts', contracts: ['deviceShellScripts'] },
  { anchor: 'custom attribute scripts', contracts: ['deviceCustomAttributeShellScripts'] },
  { anchor: 'remediations (device health scripts)', contracts: ['deviceHealthScripts'] },
  { anchor: 'mobile apps (metadata)', contracts: ['mobileApps'] },
  { anchor: 'app configurations (managed devices)', contracts: ['mobileAppConfigurations'] },
  { anchor: 'app configurations (managed apps)', contracts: ['targetedManagedAppConfigurations'] },
  {
    anchor: 'app protection policies (iOS, Android, Windows)',
    contracts: ['iosManagedAppProtections', 'androidManagedAppProtections', 'windowsManagedAppProtections'],
  },
  { anchor: 'policy sets', contracts: ['policySets'] },
  {
    anchor: 'feature / quality / driver update profiles',
    contracts: [
      'windowsFeatureUpdateProfiles',
      'windowsQualityUpdateProfiles',
      'windowsDriverUpdateProfiles',
    ],
  },
  { anchor: 'assignment filters', contracts: ['assignmentFilters'] },
  { anchor: 'scope tags', contracts: ['roleScopeTags'] },
  { anchor: 'Intune role definitions', contracts: ['roleDefinitions'] },
  { anchor: 'device categories', contracts: ['deviceCategories'] },
  { anchor: 'terms and conditions', contracts: ['termsAndConditions'] },
  { anchor: 'Intune branding profiles', contracts: ['intuneBrandingProfiles'] },
  { anchor: 'Windows 365 provisioning policies', contracts: ['cloudPcProvisioningPolicies'] },
  { anchor: 'Windows 365 user settings', contracts: ['cloudPcUserSettings'] },
  { anchor: 'conditional access policies', contracts: ['conditionalAccessPolicies'] },
  { anchor: 'named locations', contracts: ['namedLocations'] },
  { anchor: 'authentication strengths', contracts: ['authenticationStrengthPolicies'] },
  { anchor: 'authentication contexts', contracts: ['authenticationContextClassReferences'] },
  { anchor: 'terms of use', contracts: ['termsOfUseAgreements'] },
  // Tenant-wide singletons (IntuneCD and IntuneManagement back them up; issue 21).
  { anchor: 'Intune tenant settings (deviceManagement/settings)', contracts: ['deviceManagementSettings'] },
  { anchor: 'Apple MDM push certificate', contracts: ['applePushNotificationCertificate'] },
  {
    anchor: 'Managed Google Play binding (Android Enterprise)',
    contracts: ['androidManagedStoreAccountEnterpriseSettings'],
  },
];

/**
 * Contracts beyond the anchor list: the directory cache, permission verification, the audit logs and the
 * built-in templates restore maps intents to.
 */
export const SUPPORTING_CONTRACTS: readonly string[] = [
  'intentTemplates',
  'groups',
  'directoryRoleDefinitions',
  'servicePrincipals',
  'intuneAuditEvents',
  'directoryAudits',
];
