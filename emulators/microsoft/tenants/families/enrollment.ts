import type { BuildContext } from '../context';

const DEC = '/deviceManagement/deviceEnrollmentConfigurations';

const restriction = (blocked = false) => ({
  platformBlocked: blocked,
  personalDeviceEnrollmentBlocked: false,
  osMinimumVersion: null,
  osMaximumVersion: null,
  blockedManufacturers: [],
  blockedSkus: [],
});

const ENROLLMENT_KINDS: Array<{
  type: string;
  name: string;
  suffix: string;
  extra: Record<string, unknown>;
}> = [
  {
    type: 'deviceEnrollmentPlatformRestrictionsConfiguration',
    name: 'All users and all devices',
    suffix: 'DefaultPlatformRestrictions',
    extra: {
      iosRestriction: restriction(),
      windowsRestriction: restriction(),
      windowsHomeSkuRestriction: restriction(),
      windowsMobileRestriction: restriction(true),
      androidRestriction: restriction(),
      androidForWorkRestriction: restriction(),
      macRestriction: restriction(),
      macOSRestriction: restriction(),
    },
  },
  {
    type: 'deviceEnrollmentLimitConfiguration',
    name: 'All users and all devices',
    suffix: 'DefaultLimit',
    extra: { limit: 15 },
  },
  {
    type: 'deviceEnrollmentWindowsHelloForBusinessConfiguration',
    name: 'All users and all devices',
    suffix: 'DefaultWindowsHelloForBusiness',
    extra: {
      pinMinimumLength: 6,
      pinMaximumLength: 127,
      state: 'enabled',
      securityDeviceRequired: false,
      unlockWithBiometricsEnabled: true,
      remotePassportEnabled: false,
      pinPreviousBlockCount: 0,
      pinExpirationInDays: 0,
      enhancedBiometricsState: 'notConfigured',
      securityKeyForSignIn: 'notConfigured',
      enhancedSignInSecurity: 0,
    },
  },
  {
    type: 'windows10EnrollmentCompletionPageConfiguration',
    name: 'All users and all devices',
    suffix: 'DefaultWindows10EnrollmentCompletionPageConfiguration',
    extra: {
      showInstallationProgress: false,
      blockDeviceSetupRetryByUser: false,
      allowDeviceResetOnInstallFailure: false,
      allowLogCollectionOnInstallFailure: false,
      customErrorMessage: '',
      installProgressTimeoutInMinutes: 60,
      allowDeviceUseOnInstallFailure: false,
      selectedMobileAppIds: [],
      trackInstallProgressForAutopilotOnly: false,
      disableUserStatusTrackingAfterFirstUser: false,
    },
  },
];

const CUSTOM_ENROLLMENT: Array<{
  type: string;
  name: string;
  extra: (ctx: BuildContext) => Record<string, unknown>;
}> = [
  {
    type: 'windows10EnrollmentCompletionPageConfiguration',
    name: 'ESP - Autopilot devices',
    extra: (ctx) => ({
      showInstallationProgress: true,
      blockDeviceSetupRetryByUser: true,
      installProgressTimeoutInMinutes: 90,
      selectedMobileAppIds: ctx.mobileAppIds.slice(0, 2).map((a) => a.id),
      trackInstallProgressForAutopilotOnly: true,
      customErrorMessage: `Contact the ${ctx.profile.orgName} service desk.`,
    }),
  },
  {
    type: 'deviceEnrollmentLimitConfiguration',
    name: 'Enrollment limit - Executives',
    extra: () => ({ limit: 5 }),
  },
  {
    type: 'deviceEnrollmentPlatformRestrictionsConfiguration',
    name: 'Restrictions - Block personal Android',
    extra: () => ({ androidRestriction: { ...restriction(), personalDeviceEnrollmentBlocked: true } }),
  },
  {
    type: 'windows10EnrollmentCompletionPageConfiguration',
    name: 'ESP - Kiosk devices',
    extra: (ctx) => ({
      showInstallationProgress: true,
      installProgressTimeoutInMinutes: 45,
      // Ids of the tenant's Windows apps: a docs placeholder here would be a dangling reference.
      selectedMobileAppIds: ctx.mobileAppIds
        .filter((app) => /^(win32|windows|microsoftStore|officeSuite)/i.test(app.type))
        .slice(0, 3)
        .map((app) => app.id),
    }),
  },
];

/** Default enrollment configurations (priority 0, tenant-id-prefixed ids as in Intune) plus custom ones. */
export function buildEnrollmentConfigurations(ctx: BuildContext, customCount: number): void {
  for (const kind of ENROLLMENT_KINDS) {
    ctx.add(DEC, kind.type, kind.name, {
      id: `${ctx.profile.tenantId}_${kind.suffix}`,
      description:
        'This is the default enrollment configuration applied with the lowest priority to all users and all devices regardless of group membership.',
      priority: 0,
      version: 1,
      deviceEnrollmentConfigurationType: undefined,
      ...kind.extra,
    });
  }
  for (let i = 0; i < customCount; i++) {
    const kind = CUSTOM_ENROLLMENT[i % CUSTOM_ENROLLMENT.length]!;
    const node = ctx.add(DEC, kind.type, ctx.name(kind.name), {
      priority: i + 1,
      version: ctx.prng.range(1, 5),
      ...kind.extra(ctx),
    });
    ctx.assign(node);
  }
}

export function buildAutopilotProfiles(ctx: BuildContext, count: number): void {
  const kinds: Array<[string, string]> = [
    ['azureADWindowsAutopilotDeploymentProfile', 'Autopilot - User-driven (Entra joined)'],
    ['activeDirectoryWindowsAutopilotDeploymentProfile', 'Autopilot - Hybrid joined'],
    ['azureADWindowsAutopilotDeploymentProfile', 'Autopilot - Self-deploying kiosk'],
  ];
  for (let i = 0; i < count; i++) {
    const [type, name] = kinds[i % kinds.length]!;
    const node = ctx.add('/deviceManagement/windowsAutopilotDeploymentProfiles', type, ctx.name(name), {
      language: 'os-default',
      locale: 'os-default',
      deviceNameTemplate: `${ctx.profile.orgName.slice(0, 3).toUpperCase()}-%SERIAL%`,
      deviceType: 'windowsPc',
      enableWhiteGlove: true,
      extractHardwareHash: true,
      hardwareHashExtractionEnabled: true,
      preprovisioningAllowed: true,
    });
    ctx.assign(node);
  }
}

export function buildAppleUserEnrollment(ctx: BuildContext, count: number): void {
  for (let i = 0; i < count; i++) {
    const node = ctx.add(
      '/deviceManagement/appleUserInitiatedEnrollmentProfiles',
      'appleUserInitiatedEnrollmentProfile',
      ctx.name(
        i % 2 === 0 ? 'iOS - Account-driven User Enrollment' : 'iOS - Device enrollment with Company Portal',
      ),
      {
        defaultEnrollmentType: i % 2 === 0 ? 'accountDrivenUserEnrollment' : 'device',
        platform: 'iOS',
        priority: i,
      },
    );
    ctx.assign(node);
  }
}

export function buildTermsAndConditions(ctx: BuildContext, count: number): void {
  for (let i = 0; i < count; i++) {
    const node = ctx.add(
      '/deviceManagement/termsAndConditions',
      'termsAndConditions',
      ctx.name(i === 0 ? 'Acceptable use policy' : 'BYOD terms'),
      {
        title: `${ctx.profile.orgName} ${i === 0 ? 'acceptable use' : 'BYOD'} terms`,
        bodyText:
          'By enrolling this device you accept that the organization may manage corporate data and apps on it.',
        acceptanceStatement: 'I accept the terms.',
        version: ctx.prng.range(1, 3),
      },
    );
    ctx.assign(node);
  }
}

export function buildBrandingProfiles(ctx: BuildContext, count: number): void {
  for (let i = 0; i < count; i++) {
    const isDefault = i === 0;
    const node = ctx.add(
      '/deviceManagement/intuneBrandingProfiles',
      'intuneBrandingProfile',
      isDefault ? 'Default' : ctx.name('Company Portal - Subsidiary'),
      {
        profileName: isDefault ? 'Default' : `Subsidiary ${i}`,
        profileDescription: isDefault ? 'Default branding profile' : 'Branding for a subsidiary',
        isDefaultProfile: isDefault,
        displayName: `${ctx.profile.orgName}`,
        contactITName: `${ctx.profile.orgName} Service Desk`,
        contactITPhoneNumber: '+1 425 555 0100',
        contactITEmailAddress: `servicedesk@${ctx.profile.domain}`,
        onlineSupportSiteUrl: `https://support.${ctx.profile.domain.replace('.onmicrosoft.com', '.com')}`,
        onlineSupportSiteName: 'IT Support',
        privacyUrl: `https://www.${ctx.profile.domain.replace('.onmicrosoft.com', '.com')}/privacy`,
        themeColorLogo: null,
        lightBackgroundLogo: null,
        landingPageCustomizedImage: null,
        companyPortalBlockedActions: [],
      },
    );
    if (!isDefault) ctx.assign(node);
  }
}
