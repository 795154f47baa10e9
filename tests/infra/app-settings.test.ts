import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_SETTING_NAMES, HOST_CONNECTION_SETTINGS } from '../../shared/config';
import { infraBicepFiles, INFRA_DIR, objectEntries, params, readBicep, resources } from './bicep';
import { codeSpans, readGuide, sectionTable } from './markdown';

/**
 * The identity-based settings each host connection needs in Azure. Typed by the keys of
 * HOST_CONNECTION_SETTINGS, so a new connection in shared/config.ts does not compile until it is here.
 */
const IDENTITY_BASED: Record<keyof typeof HOST_CONNECTION_SETTINGS, string[]> = {
  cosmos: ['__accountEndpoint', '__credential'],
  signalR: ['__serviceUri', '__credential'],
  serviceBus: ['__fullyQualifiedNamespace', '__credential'],
  // Durable Functions' Azure Storage provider needs queues and tables as well as blobs.
  storage: ['__blobServiceUri', '__queueServiceUri', '__tableServiceUri', '__credential'],
};

/** Settings only the platform reads, allowed in the Bicep although the app's code never names them. */
const PLATFORM_SETTINGS: Record<string, string> = {
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'where the Functions host sends telemetry',
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'telemetry with the managed identity (local auth is off)',
};

/** What Flex Consumption rejects (the runtime is set by functionAppConfig). */
const REJECTED_BY_FLEX = [
  'FUNCTIONS_WORKER_RUNTIME',
  'FUNCTIONS_EXTENSION_VERSION',
  'WEBSITE_NODE_DEFAULT_VERSION',
  'WEBSITE_RUN_FROM_PACKAGE',
  'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
  'WEBSITE_CONTENTSHARE',
  'SCM_DO_BUILD_DURING_DEPLOYMENT',
  'ENABLE_ORYX_BUILD',
];

const identitySettings = Object.entries(IDENTITY_BASED).flatMap(([key, suffixes]) =>
  suffixes.map(
    (suffix) => `${HOST_CONNECTION_SETTINGS[key as keyof typeof HOST_CONNECTION_SETTINGS]}${suffix}`,
  ),
);
/** `%NAME%` references of host.json, resolved from app settings by the host. */
const hostJsonSettings = [
  ...readFileSync(path.join(INFRA_DIR, '..', 'host.json'), 'utf8').matchAll(/%(\w+)%/g),
].map((m) => m[1]!);

function bicepAppSettings(): Map<string, string> {
  const file = readBicep(path.join(INFRA_DIR, 'modules', 'app-settings.bicep'));
  const config = resources(file).filter((r) => r.type === 'Microsoft.Web/sites/config' && !r.existing);
  expect(config, 'app-settings.bicep declares one Microsoft.Web/sites/config resource').toHaveLength(1);
  const body = objectEntries(file, config[0]!.bodyIndex);
  expect(body.get('name')).toBe("'appsettings'");
  const propertiesAt = file.code.indexOf('properties', config[0]!.bodyIndex);
  return objectEntries(file, file.code.indexOf('{', propertiesAt));
}

/** The "App settings in Azure" table of docs/deploy.md: setting → source column. */
function documentedSettings(): Map<string, string> {
  const [, ...rows] = sectionTable(readGuide(), 'App settings in Azure');
  return new Map(rows.map((cells) => [codeSpans(cells[0] ?? '')[0] ?? cells[0]!, cells[2] ?? '']));
}

const notSetInAzure = (source: string) => /^not set\b/i.test(source);

describe('app settings: shared/config.ts, infra/modules/app-settings.bicep and docs/deploy.md agree', () => {
  const bicep = bicepAppSettings();
  const documented = documentedSettings();

  it('sets every setting of the config schema, or documents why it is not set in Azure', () => {
    const missing = APP_SETTING_NAMES.filter(
      (name) => !bicep.has(name) && !notSetInAzure(documented.get(name) ?? ''),
    );
    expect(
      missing,
      `not set by app-settings.bicep (add it, from a main.bicep parameter if Bicep cannot know it) ` +
        `nor marked "not set" in the docs/deploy.md table: ${missing.join(', ')}`,
    ).toEqual([]);
  });

  it('sets every host connection in its identity-based form and never as a connection string', () => {
    const missing = identitySettings.filter((name) => !bicep.has(name));
    expect(
      missing,
      `identity-based connection settings missing from app-settings.bicep: ${missing.join(', ')}`,
    ).toEqual([]);
    const connectionStrings = Object.values(HOST_CONNECTION_SETTINGS).filter((name) => bicep.has(name));
    expect(connectionStrings, 'connection-string forms (they carry keys) must not be set').toEqual([]);
    for (const name of identitySettings.filter((n) => n.endsWith('__credential'))) {
      expect(bicep.get(name), name).toBe("'managedidentity'");
    }
  });

  it('sets what host.json reads from app settings', () => {
    const missing = hostJsonSettings.filter((name) => !bicep.has(name));
    expect(
      missing,
      `host.json references app settings the Bicep does not set: ${missing.join(', ')}`,
    ).toEqual([]);
  });

  it('sets nothing the code, the host or the platform does not read', () => {
    const known = new Set<string>([
      ...APP_SETTING_NAMES,
      ...identitySettings,
      ...hostJsonSettings,
      ...Object.keys(PLATFORM_SETTINGS),
    ]);
    const rejected = [...bicep.keys()].filter((name) => REJECTED_BY_FLEX.includes(name));
    expect(rejected, `Flex Consumption rejects: ${rejected.join(', ')}`).toEqual([]);
    const unknown = [...bicep.keys()].filter((name) => !known.has(name));
    expect(unknown, `app-settings.bicep sets settings no code reads: ${unknown.join(', ')}`).toEqual([]);
  });

  it('does not set what the guide says is not set in Azure', () => {
    const contradictions = [...documented].filter(
      ([name, source]) => notSetInAzure(source) && bicep.has(name),
    );
    expect(contradictions.map(([name]) => name)).toEqual([]);
  });

  it('documents exactly the settings of the code and of the Bicep in docs/deploy.md', () => {
    const expected = [...new Set([...APP_SETTING_NAMES, ...bicep.keys()])].sort();
    expect([...documented.keys()].sort()).toEqual(expected);
  });

  it('names only existing main.bicep parameters as sources', () => {
    const declared = new Set(params(readBicep(path.join(INFRA_DIR, 'main.bicep'))).map((p) => p.name));
    const wrong = [...documented].flatMap(([name, source]) =>
      [...source.matchAll(/parameter `(\w+)`/g)].filter((m) => !declared.has(m[1]!)).map(() => name),
    );
    expect(wrong, 'docs/deploy.md names a parameter main.bicep does not declare for').toEqual([]);
  });

  it('keeps secrets out of every template', () => {
    for (const file of infraBicepFiles()) {
      expect(file.code, file.file).not.toMatch(/\blist(Keys|ConnectionStrings|AccountSas|ServiceSas)\s*\(/);
      expect(file.code, file.file).not.toMatch(
        /\.(primaryKey|secondaryKey|primaryMasterKey|primaryConnectionString)\b/,
      );
    }
  });
});
