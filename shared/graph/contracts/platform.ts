import type { GraphContract, Platform } from './types';

/** Ordered, first match wins. Matched against the type name without its namespace. */
const TYPE_NAME_RULES: ReadonlyArray<readonly [RegExp, Platform]> = [
  [/^(managed)?(ios|ipad)/i, 'iOS'],
  [/^(managed)?(android|aosp)/i, 'android'],
  [/^(macos|mac)/i, 'macOS'],
  [/^linux/i, 'linux'],
  [/^(windows|win32|win|microsoftStore|officeSuite|microsoftEdge|editionUpgrade|sharedPC)/i, 'windows'],
  // Windows-only enrollment types whose names start with `deviceEnrollment…` / `deviceComanagement…`.
  [/(WindowsHelloForBusiness|EnrollmentCompletionPage|ComanagementAuthority|windowsRestore)/i, 'windows'],
];

/**
 * Members of Graph's platform enums (devicePlatformType, deviceManagementConfigurationPlatforms, …):
 * `windows10AndLater`, `iOSMobileApplicationManagement`, `androidAOSP`, `aosp`, `macOS`, `linux`.
 */
const ENUM_RULES: ReadonlyArray<readonly [RegExp, Platform]> = [
  [/^windows/i, 'windows'],
  [/^(ios|ipados)/i, 'iOS'],
  [/^macos/i, 'macOS'],
  [/^(android|aosp)/i, 'android'],
  [/^linux/i, 'linux'],
];

function fromTypeName(odataType: unknown): Platform {
  if (typeof odataType !== 'string') return 'unknown';
  const name = odataType.replace(/^#?microsoft\.graph\./, '');
  return TYPE_NAME_RULES.find(([pattern]) => pattern.test(name))?.[1] ?? 'all';
}

function fromEnum(value: unknown): Platform {
  if (typeof value !== 'string' || value === '') return 'unknown';
  const platforms = new Set(
    value
      .split(',')
      .map((part) => ENUM_RULES.find(([pattern]) => pattern.test(part.trim()))?.[1] ?? 'unknown'),
  );
  if (platforms.size === 1) return [...platforms][0]!;
  return 'all';
}

/** The platform an inventory item is shown under. */
export function derivePlatform(contract: GraphContract, object: Record<string, unknown>): Platform {
  const rule = contract.platform;
  if (rule.from === 'fixed') return rule.platform;
  if (rule.from === 'odataType') return fromTypeName(object['@odata.type']);
  return fromEnum(object[rule.property]);
}
