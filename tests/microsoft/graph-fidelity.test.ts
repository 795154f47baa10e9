/* eslint-disable @typescript-eslint/no-explicit-any -- Graph JSON read dynamically, as any client would. */
import { describe, expect, it } from 'vitest';
import { loadGraphReference } from '../../emulators/microsoft/reference/load';
import { schemasOf, shortTypeName } from '../../emulators/microsoft/reference/schema';
import { contosoCloud, control, graphFetch, listAll } from './support';

/**
 * The Graph behaviours the simulated Microsoft cloud reproduces, each with the source that documents it.
 * A client written elsewhere (IntuneCD, IntuneManagement, the Graph SDKs) must get from the simulator what
 * it gets from Graph; when the next difference turns up, it becomes one more `graph(…)` line here.
 */
const SOURCES = {
  batching: 'https://learn.microsoft.com/graph/json-batching',
  batchIdCase: 'https://github.com/microsoftgraph/microsoft-graph-docs/issues/4449',
  intuneCdBatch: 'https://github.com/almenscorner/IntuneCD (src/IntuneCD/intunecdlib/graph_batch.py)',
  throttling: 'https://learn.microsoft.com/graph/throttling',
  caseInsensitive: 'https://learn.microsoft.com/graph/traverse-the-graph (case sensitivity note)',
  odataUrl: 'OData 4.01 URL conventions, 5.1 system query options ($top, $skip, $count, $select)',
  odataJson:
    'OData 4.01 JSON format, 4.5 control information (@odata.context, @odata.nextLink, @odata.count)',
  paging: 'https://learn.microsoft.com/graph/paging',
  errors: 'https://learn.microsoft.com/graph/errors',
  apns: 'https://learn.microsoft.com/graph/api/intune-devices-applepushnotificationcertificate-get',
  androidStore:
    'https://learn.microsoft.com/graph/api/intune-androidforwork-androidmanagedstoreaccountenterprisesettings-get',
  deviceManagementSettings:
    'https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-devicemanagementsettings',
  intents: 'https://learn.microsoft.com/graph/api/resources/intune-deviceintent-devicemanagementintent',
  exportedCompliance:
    'Compliance policies exported from real tenants with IntuneManagement (SkipToTheEndpoint/OpenIntuneBaseline)',
  espApps:
    'https://learn.microsoft.com/graph/api/resources/intune-onboarding-windows10enrollmentcompletionpageconfiguration',
  complianceScript:
    'https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-devicecompliancepolicyscript',
  requiredField:
    'Intune model validation: "The DisplayName field is required." (microsoftgraph/msgraph-sdk-powershell#2187, KelvinTegelaar/CIPP#2462), "displayName is a required field" (microsoft/Intune-ACSC-Windows-Hardening-Guidelines#16)',
  valueTypeDefaults:
    'Intune create examples post a profile with its display name and few settings (microsoftgraph/powershell-intune-samples); Nullable="false" value types take their default',
  blockAction:
    'microsoftgraph/microsoft-graph-docs#4103 and #7746: "Compliance policy must have one and only one block scheduled action"',
  conditionalAccessRequired:
    'https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy (conditions, state: Required) and the 1007 schema error (microsoftgraph/microsoft-graph-docs-contrib#4162)',
  namedLocationRequired:
    'https://learn.microsoft.com/graph/api/resources/ipnamedlocation and countrynamedlocation (displayName, ipRanges, countriesAndRegions: Required)',
} as const;

/** One reproduced Graph behaviour: what Graph does, where that is documented, and the check. */
function graph(behaviour: string, source: keyof typeof SOURCES, check: () => Promise<void>): void {
  it(`${behaviour} [${SOURCES[source]}]`, check);
}

const schema = schemasOf(loadGraphReference()).beta;
const sim = contosoCloud();

const get = (path: string) => graphFetch(sim.cloud, sim.token, 'GET', path);
const batch = (requests: unknown[]) => graphFetch(sim.cloud, sim.token, 'POST', '/beta/$batch', { requests });
const list = (path: string) => listAll(sim.cloud, sim.token, path);
const DC = '/beta/deviceManagement/deviceConfigurations';

async function someIds(path: string, count: number): Promise<string[]> {
  const res = await get(`${path}?$select=id&$top=${count}`);
  expect(res.status).toBe(200);
  return res.body.value.map((item: { id: string }) => item.id);
}

describe('JSON batching', () => {
  graph(
    'accepts numeric request ids and answers each with the same id (as text)',
    'intuneCdBatch',
    async () => {
      const [first, second] = await someIds(DC, 2);
      const res = await batch([
        { id: 1, method: 'GET', url: `/deviceManagement/deviceConfigurations/${first}/assignments` },
        { id: 2, method: 'GET', url: `/deviceManagement/deviceConfigurations/${second}/assignments` },
        { id: 3, method: 'GET', url: '/deviceManagement/deviceCategories', dependsOn: [1] },
      ]);
      expect(res.status).toBe(200);
      const byId = new Map(res.body.responses.map((r: any) => [r.id, r]));
      expect([...byId.keys()].sort()).toEqual(['1', '2', '3']);
      for (const r of res.body.responses) expect(r.status, r.id).toBe(200);
      expect((byId.get('1') as any).body['@odata.context']).toContain(first);
    },
  );

  graph('request ids are unique case-insensitively: "a" and "A" are a 400', 'batchIdCase', async () => {
    const res = await batch([
      { id: 'a', method: 'GET', url: '/deviceManagement/deviceCategories' },
      { id: 'A', method: 'GET', url: '/deviceManagement/deviceCategories' },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('Request Id A has to be unique in a batch.');
  });

  graph('a request without id, method or url fails the whole batch with 400', 'batching', async () => {
    const res = await batch([{ method: 'GET', url: '/deviceManagement/deviceCategories' }]);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BadRequest');
  });

  graph(
    'a throttled request inside a batch answers 429 with its own Retry-After header; the batch is 200',
    'throttling',
    async () => {
      await control(sim.cloud, 'PATCH', '/tenants/contoso/realism', {
        rateLimit: {
          enabled: true,
          tenant: { requests: 1000, windowSeconds: 20 },
          app: { requests: 3, windowSeconds: 20 },
        },
      });
      try {
        const res = await batch(
          Array.from({ length: 6 }, (_, i) => ({
            id: String(i + 1),
            method: 'GET',
            url: '/deviceManagement/deviceCategories',
          })),
        );
        expect(res.status).toBe(200);
        const throttled = res.body.responses.filter((r: any) => r.status === 429);
        expect(throttled.length).toBeGreaterThan(0);
        for (const r of throttled) {
          expect(Number(r.headers['Retry-After'])).toBeGreaterThan(0);
          expect(r.body.error.code).toBe('TooManyRequests');
        }
      } finally {
        await control(sim.cloud, 'PATCH', '/tenants/contoso/realism', { rateLimit: { enabled: false } });
      }
    },
  );
});

describe('query options', () => {
  graph(
    'property names in $select are case-insensitive and answered in their declared spelling',
    'caseInsensitive',
    async () => {
      const res = await get(`${DC}?$select=DISPLAYNAME,lastmodifieddatetime&$top=3`);
      expect(res.status).toBe(200);
      for (const item of res.body.value) {
        expect(typeof item.displayName).toBe('string');
        expect(item.lastModifiedDateTime).toBeDefined();
        expect(item.displayname).toBeUndefined();
      }
      const [policy] = await someIds('/beta/deviceManagement/configurationPolicies', 1);
      const settings = await get(
        `/beta/deviceManagement/configurationPolicies/${policy}/settings?$select=settinginstance,ID`,
      );
      expect(settings.status).toBe(200);
      expect(settings.body.value[0].settingInstance['@odata.type']).toMatch(/SettingInstance$/);
      expect((await get(`${DC}?$select=noSuchProperty`)).status).toBe(400);
    },
  );

  graph(
    '$top caps the page and @odata.nextLink is an absolute URL that keeps the query',
    'paging',
    async () => {
      const res = await get(`${DC}?$top=5&$select=id`);
      expect(res.body.value).toHaveLength(5);
      const next = new URL(res.body['@odata.nextLink']);
      expect(`${next.origin}${next.pathname}`).toBe(`${sim.cloud.graphBaseUrl}${DC}`);
      expect(next.searchParams.get('$top')).toBe('5');
      expect(next.searchParams.get('$select')).toBe('id');
      expect(next.searchParams.get('$skiptoken')).toBeTruthy();
      const all = await list(`${DC}?$top=7&$select=id`);
      const once = await get(`${DC}?$select=id`);
      expect(all.items.map((i) => i.id)).toEqual(once.body.value.map((i: any) => i.id));
    },
  );

  graph(
    '$skip skips objects on the first page only, and $count=true counts the whole collection',
    'odataUrl',
    async () => {
      const whole = (await get(`${DC}?$select=id&$count=true`)).body;
      expect(whole['@odata.count']).toBe(whole.value.length);
      const skipped = await list(`${DC}?$select=id&$skip=4&$top=5`);
      expect(skipped.items.map((i) => i.id)).toEqual(whole.value.slice(4).map((i: any) => i.id));
      expect((await get(`${DC}?$skip=-1`)).status).toBe(400);
    },
  );

  graph('$expand=assignments answers assignments@odata.context naming the object', 'odataJson', async () => {
    const list = await get(`${DC}?$expand=assignments&$top=3`);
    for (const item of list.body.value) {
      expect(item['assignments@odata.context']).toBe(
        `${sim.cloud.graphBaseUrl}/beta/$metadata#deviceManagement/deviceConfigurations('${item.id}')/assignments`,
      );
    }
    const [policy] = await someIds('/beta/deviceManagement/configurationPolicies', 1);
    const one = await get(
      `/beta/deviceManagement/configurationPolicies/${policy}?$expand=settings,assignments`,
    );
    expect(one.body['settings@odata.context']).toContain(`configurationPolicies('${policy}')/settings`);
    expect(one.body['assignments@odata.context']).toContain(`configurationPolicies('${policy}')/assignments`);
  });
});

describe('errors', () => {
  graph(
    'error bodies carry error.code, error.message and innerError date, request-id, client-request-id',
    'errors',
    async () => {
      const res = await get(`${DC}/00000000-0000-0000-0000-00000000dead`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('ResourceNotFound');
      expect(typeof res.body.error.message).toBe('string');
      const inner = res.body.error.innerError;
      expect(inner.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      expect(inner['request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(inner['client-request-id']).toBeTruthy();
    },
  );
});

describe('tenant-wide singletons', () => {
  const SINGLETONS: Array<[string, keyof typeof SOURCES, string]> = [
    ['/deviceManagement/settings', 'deviceManagementSettings', 'deviceManagementSettings'],
    ['/deviceManagement/applePushNotificationCertificate', 'apns', 'applePushNotificationCertificate'],
    [
      '/deviceManagement/androidManagedStoreAccountEnterpriseSettings',
      'androidStore',
      'androidManagedStoreAccountEnterpriseSettings',
    ],
  ];
  for (const [path, source, type] of SINGLETONS) {
    graph(
      `GET ${path} answers the one object itself (no value, no paging), valid for its CSDL type`,
      source,
      async () => {
        const res = await get(`/beta${path}`);
        expect(res.status).toBe(200);
        expect(res.body.value).toBeUndefined();
        expect(res.body['@odata.nextLink']).toBeUndefined();
        expect(shortTypeName(res.body['@odata.type'])).toBe(type);
        const { '@odata.context': context, ...object } = res.body;
        expect(context).toContain(path.slice(1));
        expect(schema.validate(object, type)).toEqual([]);
        const inBatch = await batch([{ id: '1', method: 'GET', url: path }]);
        expect(inBatch.body.responses[0]).toMatchObject({
          status: 200,
          body: { '@odata.type': res.body['@odata.type'] },
        });
      },
    );
  }

  graph(
    'deviceManagement/settings is a complex property: no id; it is changed through deviceManagement',
    'deviceManagementSettings',
    async () => {
      const res = await get('/beta/deviceManagement/settings');
      expect(res.body.id).toBeUndefined();
      expect(res.body.deviceComplianceCheckinThresholdDays).toBe(30);
      expect(
        (await graphFetch(sim.cloud, sim.token, 'DELETE', '/beta/deviceManagement/settings')).status,
      ).toBe(400);
    },
  );

  graph('a singleton cannot be deleted, and has no objects below its path', 'androidStore', async () => {
    const path = '/beta/deviceManagement/androidManagedStoreAccountEnterpriseSettings';
    expect((await graphFetch(sim.cloud, sim.token, 'DELETE', path)).status).toBe(400);
    expect((await get(`${path}/someId`)).status).toBe(400);
    expect((await get(path)).status).toBe(200);
  });
});

describe('generated data holds what Intune holds, and its references resolve', () => {
  graph(
    'compliance actions without a notification name the all-zero GUID, others a template that exists',
    'exportedCompliance',
    async () => {
      const templates = new Set(
        (await list('/beta/deviceManagement/notificationMessageTemplates')).items.map((t) => t.id),
      );
      for (const path of [
        '/beta/deviceManagement/deviceCompliancePolicies',
        '/beta/deviceManagement/compliancePolicies',
      ]) {
        const { items } = await list(
          `${path}?$expand=scheduledActionsForRule($expand=scheduledActionConfigurations)`,
        );
        const actions = items.flatMap((p) =>
          p.scheduledActionsForRule.flatMap((r: any) => r.scheduledActionConfigurations),
        );
        expect(actions.length, path).toBeGreaterThan(0);
        for (const action of actions) {
          const id = action.notificationTemplateId;
          expect(id === '00000000-0000-0000-0000-000000000000' || templates.has(id), `${path} ${id}`).toBe(
            true,
          );
        }
      }
    },
  );

  graph('enrollment status pages select apps the tenant has', 'espApps', async () => {
    const apps = new Set(
      (await list('/beta/deviceAppManagement/mobileApps?$select=id')).items.map((a) => a.id),
    );
    const { items } = await list(
      "/beta/deviceManagement/deviceEnrollmentConfigurations?$filter=isof('microsoft.graph.windows10EnrollmentCompletionPageConfiguration')",
    );
    const selected = items.flatMap((esp) => esp.selectedMobileAppIds ?? []);
    expect(selected.length).toBeGreaterThan(0);
    for (const id of selected) expect(apps.has(id), id).toBe(true);
  });

  graph(
    'Windows compliance policies name compliance scripts the tenant has, or none',
    'complianceScript',
    async () => {
      const scripts = new Set(
        (await list('/beta/deviceManagement/deviceComplianceScripts')).items.map((s) => s.id),
      );
      const { items } = await list(
        "/beta/deviceManagement/deviceCompliancePolicies?$filter=isof('microsoft.graph.windows10CompliancePolicy')",
      );
      const referenced = items.map((p) => p.deviceCompliancePolicyScript).filter(Boolean);
      expect(referenced.length).toBeGreaterThan(0);
      for (const script of referenced)
        expect(scripts.has(script.deviceComplianceScriptId), script.deviceComplianceScriptId).toBe(true);
    },
  );

  graph('every intent’s template answers at deviceManagement/templates/{templateId}', 'intents', async () => {
    const { items } = await list('/beta/deviceManagement/intents');
    expect(items.length).toBeGreaterThan(0);
    for (const templateId of new Set(items.map((intent) => intent.templateId))) {
      const res = await get(`/beta/deviceManagement/templates/${templateId}`);
      expect(res.status, templateId).toBe(200);
      expect(res.body.templateType).toMatch(/Baseline$/i);
      expect((await get(`/beta/deviceManagement/templates/${templateId}/categories`)).status).toBe(200);
    }
  });
});

describe('members Graph requires on create (docs/decisions/0062-required-members-on-create.md)', () => {
  const post = (path: string, body: unknown) => graphFetch(sim.cloud, sim.token, 'POST', path, body);
  const intuneMessage = (res: { body: any }) => JSON.parse(res.body.error.message).Message as string;

  graph(
    "a device configuration without displayName is a 400 in Intune's error shape",
    'requiredField',
    async () => {
      const res = await post(DC, {
        '@odata.type': '#microsoft.graph.windows10CustomConfiguration',
        description: 'no name',
        omaSettings: [],
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('BadRequest');
      expect(res.body.error.innerError['request-id']).toEqual(expect.any(String));
      expect(res.body.error.innerError.date).toEqual(expect.any(String));
      expect(JSON.parse(res.body.error.message)._version).toBe(3);
      expect(intuneMessage(res)).toMatch(/^displayName : The DisplayName field is required\. - Operation ID/);
    },
  );

  graph(
    'booleans, numbers and enums declared Nullable="false" may be left out: they take their defaults',
    'valueTypeDefaults',
    async () => {
      const required = (type: string) => {
        const { properties } = schema.members(type);
        return [...properties].filter(([, m]) => m.nullable === false).map(([name]) => name);
      };
      // The general configuration declares dozens of non-nullable booleans and enums; none is sent.
      expect(required('windows10GeneralConfiguration').length).toBeGreaterThan(50);
      const res = await post(DC, {
        '@odata.type': '#microsoft.graph.windows10GeneralConfiguration',
        displayName: 'Only a name',
      });
      expect(res.status, res.body?.error?.message).toBe(201);
    },
  );

  graph(
    'a nested object is checked by its own type: a setting instance without settingDefinitionId is a 400',
    'requiredField',
    async () => {
      const policy = (instance: Record<string, unknown>) => ({
        name: 'Nested required',
        platforms: 'windows10',
        technologies: 'mdm',
        settings: [{ settingInstance: instance }],
      });
      const choice = {
        '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
        choiceSettingValue: { value: 'device_vendor_msft_policy_config_camera_allowcamera_0', children: [] },
      };
      const refused = await post('/beta/deviceManagement/configurationPolicies', policy(choice));
      expect(refused.status).toBe(400);
      expect(intuneMessage(refused)).toMatch(
        /^settings\[0\]\.settingInstance\.settingDefinitionId : The SettingDefinitionId field is required/,
      );
      const accepted = await post(
        '/beta/deviceManagement/configurationPolicies',
        policy({ ...choice, settingDefinitionId: 'device_vendor_msft_policy_config_camera_allowcamera' }),
      );
      expect(accepted.status, accepted.body?.error?.message).toBe(201);
    },
  );

  graph(
    'a compliance policy needs exactly one block action among its scheduled actions',
    'blockAction',
    async () => {
      const path = '/beta/deviceManagement/deviceCompliancePolicies';
      const action = (actionType: string) => ({ actionType, gracePeriodHours: 0 });
      const policy = (configurations: unknown[] | undefined) => ({
        '@odata.type': '#microsoft.graph.windows10CompliancePolicy',
        displayName: 'Block once',
        ...(configurations && {
          scheduledActionsForRule: [{ ruleName: null, scheduledActionConfigurations: configurations }],
        }),
      });
      for (const refused of [undefined, [], [action('notification')], [action('block'), action('block')]]) {
        const res = await post(path, policy(refused));
        expect(res.status, JSON.stringify(refused)).toBe(400);
        expect(intuneMessage(res)).toMatch(
          /^Compliance policy must have one and only one block scheduled action/,
        );
      }
      const created = await post(path, policy([action('block'), action('retire')]));
      expect(created.status, created.body?.error?.message).toBe(201);
    },
  );

  graph(
    'a conditional access policy needs its display name, conditions and state',
    'conditionalAccessRequired',
    async () => {
      const path = '/beta/identity/conditionalAccess/policies';
      const full = {
        displayName: 'Require MFA',
        state: 'enabledForReportingButNotEnforced',
        conditions: {
          applications: { includeApplications: ['All'] },
          users: { includeUsers: ['All'] },
        },
        grantControls: { operator: 'OR', builtInControls: ['mfa'] },
      };
      for (const member of ['displayName', 'state', 'conditions'] as const) {
        const { [member]: _left, ...body } = full;
        const res = await post(path, body);
        expect(res.status, member).toBe(400);
        expect(res.body.error.code).toBe('BadRequest');
        expect(res.body.error.message).toMatch(
          new RegExp(`^1007: Incoming ConditionalAccessPolicy object .* '${member}' is required\\.$`),
        );
      }
      const created = await post(path, full);
      expect(created.status, created.body?.error?.message).toBe(201);
    },
  );

  graph(
    'a named location needs its display name and its ranges or countries',
    'namedLocationRequired',
    async () => {
      const path = '/beta/identity/conditionalAccess/namedLocations';
      const ip = {
        '@odata.type': '#microsoft.graph.ipNamedLocation',
        displayName: 'Office',
        ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '12.34.221.11/22' }],
      };
      const country = {
        '@odata.type': '#microsoft.graph.countryNamedLocation',
        displayName: 'Allowed countries',
        countriesAndRegions: ['US', 'GB'],
      };
      const { ipRanges: _ranges, ...noRanges } = ip;
      const { countriesAndRegions: _countries, ...noCountries } = country;
      const { displayName: _name, ...noName } = ip;
      for (const body of [noRanges, noCountries, noName])
        expect((await post(path, body)).status, JSON.stringify(body)).toBe(400);
      const noCidr = { ...ip, ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange' }] };
      const nested = await post(path, noCidr);
      expect(nested.status).toBe(400);
      expect(nested.body.error.message).toMatch(/'ipRanges\[0\]\.cidrAddress' is required/);
      for (const body of [ip, country]) {
        const created = await post(path, body);
        expect(created.status, created.body?.error?.message).toBe(201);
      }
    },
  );

  graph(
    'a security baseline made from a template without displayName is refused',
    'requiredField',
    async () => {
      const { items } = await list('/beta/deviceManagement/templates');
      const template = items.find((t) => /Baseline$/i.test(String(t.templateType)));
      expect(template).toBeDefined();
      const action = `/beta/deviceManagement/templates/${template!.id}/createInstance`;
      const refused = await post(action, { description: 'no name', settingsDelta: [] });
      expect(refused.status).toBe(400);
      expect(intuneMessage(refused)).toMatch(/The DisplayName field is required/);
      const created = await post(action, { displayName: 'Baseline', settingsDelta: [] });
      expect(created.status, created.body?.error?.message).toBe(201);
    },
  );
});
