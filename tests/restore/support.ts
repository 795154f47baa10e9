import { afterAll, beforeAll, expect } from 'vitest';
import {
  createGraphClientFactory,
  createRequest,
  getContract,
  graphSettingsSchema,
  subResourceRequest,
  type GraphObject,
} from '../../shared/graph';
import type { DemoUserName } from '../support/api';
import { OwnCloud } from '../backup/own-cloud';

export { OwnCloud };

type Tenant = { workspaceId: string; tenantId: string; base: string };

/** A backup of the chosen types of the tenant, finished successfully. */
export async function backUp(cloud: OwnCloud, tenant: Tenant, policyTypes: string[]) {
  const started = await cloud.api('POST', `${tenant.base}/operations`, {
    as: 'mike',
    body: { type: 'backup.run', selection: { policyTypes, includeFoundations: false } },
  });
  expect(started.status, started.text).toBe(202);
  const run = await cloud.finished(started.body.run.id);
  expect(run.outcome, JSON.stringify(run.failures)).toBe('succeeded');
  return run.result.backupSetId as string;
}

/** A preview run, finished, with its plan (every page). */
export async function preview(
  cloud: OwnCloud,
  target: Tenant,
  body: Record<string, unknown>,
  as: DemoUserName = 'mike',
) {
  const started = await cloud.api('POST', `${target.base}/operations`, {
    as,
    body: { type: 'restore.preview', ...body },
  });
  expect(started.status, started.text).toBe(202);
  const run = await cloud.finished(started.body.run.id, 180_000);
  expect(run.outcome, JSON.stringify(run.failures)).toBe('succeeded');
  return { run, items: await planItems(cloud, run.id) };
}

export async function planItems(cloud: OwnCloud, runId: string) {
  const items: PlanItemView[] = [];
  let token: string | undefined;
  do {
    const query = `?limit=200${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`;
    const page = await cloud.api('GET', `/operations/${runId}/plan${query}`, { as: 'rita' });
    expect(page.status, page.text).toBe(200);
    items.push(...page.body.items);
    token = page.body.continuationToken;
  } while (token);
  return items;
}

export interface PlanItemView {
  id: string;
  phase: number;
  skippedAssignments: number;
  policyType: string;
  displayName: string;
  sourceGraphId: string;
  action: string;
  reasonCode: string | null;
  targetGraphId: string | null;
  diff: Array<{ path: string }>;
  references: Array<{ target: string; how: string; sourceId: string; targetId: string | null }>;
  result: {
    outcome: string;
    reasonCode: string | null;
    message: string | null;
    targetGraphId: string | null;
  } | null;
}

export async function execute(
  cloud: OwnCloud,
  target: Tenant,
  previewRun: { id: string; result: { confirmationToken: string } },
  as: DemoUserName = 'mike',
) {
  const started = await cloud.api('POST', `${target.base}/operations`, {
    as,
    body: {
      type: 'restore.execute',
      previewRunId: previewRun.id,
      confirmationToken: previewRun.result.confirmationToken,
    },
  });
  expect(started.status, started.text).toBe(202);
  return cloud.finished(started.body.run.id, 180_000);
}

/** Graph as an independent client sees it (the app's client pipeline, not restore's code). */
export function graphOf(cloud: OwnCloud, microsoftName: string) {
  const microsoft = cloud.description.microsoft as {
    graphBaseUrl: string;
    authorityHost: string;
    tenants: Array<{ name: string; entraTenantId: string; clientId: string; clientSecret: string }>;
  };
  const tenant = microsoft.tenants.find((t) => t.name === microsoftName)!;
  const factory = createGraphClientFactory({
    settings: graphSettingsSchema.parse({
      GRAPH_BASE_URL: microsoft.graphBaseUrl,
      GRAPH_AUTHORITY_HOST: microsoft.authorityHost,
    }),
  });
  const client = factory.forConnection({
    connectionId: `independent-${microsoftName}`,
    entraTenantId: tenant.entraTenantId,
    clientId: tenant.clientId,
    credential: { kind: 'secret', secret: tenant.clientSecret },
  });
  return {
    async list(policyType: string): Promise<GraphObject[]> {
      const out: GraphObject[] = [];
      for await (const object of client.listAll(getContract(policyType))) out.push(object);
      return out;
    },
    get: (policyType: string, id: string) => client.getById(getContract(policyType), id),
    create: (policyType: string, body: Record<string, unknown>) =>
      client.send<GraphObject>(createRequest(getContract(policyType), body)),
    /** The object with the sub-resources a create sends inline, as Graph answers them. */
    async getWithInline(policyType: string, id: string): Promise<GraphObject> {
      const contract = getContract(policyType);
      const object = await client.getById(contract, id);
      for (const sub of contract.subResources.filter((s) => s.write === 'inline' && s.read === 'batch')) {
        const items: GraphObject[] = [];
        for await (const page of client.pages(subResourceRequest(contract, id, sub.name)))
          items.push(...page.items);
        object[sub.name] = items;
      }
      return object;
    },
  };
}

/** The tenant's directory cache filled (groups are mapped from it, never from Graph). */
export async function syncDirectory(cloud: OwnCloud, tenant: Tenant) {
  const started = await cloud.api('POST', `${tenant.base}/operations`, {
    as: 'mike',
    body: { type: 'directory.groups.sync' },
  });
  expect(started.status, started.text).toBe(202);
  const run = await cloud.finished(started.body.run.id);
  expect(run.outcome, JSON.stringify(run.failures)).toBe('succeeded');
}

/**
 * The test file's own local cloud, started before its tests and stopped after them; the returned object
 * stands for it (calls go to the running instance).
 */
export function ownCloudForFile(env: Record<string, string> = {}): OwnCloud {
  let current: OwnCloud | undefined;
  beforeAll(async () => {
    current = await OwnCloud.start(env);
  }, 120_000);
  afterAll(async () => {
    await current?.stop();
  });
  return new Proxy({} as OwnCloud, {
    get(_, property) {
      if (!current) throw new Error('The cloud starts in beforeAll.');
      const value = Reflect.get(current, property, current) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
  });
}

const CONFIGURATIONS = '/deviceManagement/deviceConfigurations';

/** After the backup: an administrator changes one device configuration and deletes another. */
export async function changeOneDeleteOne(
  cloud: OwnCloud,
  microsoftName: string,
  changed: GraphObject,
  deleted: GraphObject,
) {
  await cloud.control(`/tenants/${microsoftName}/admin-changes`, 'POST', {
    action: 'update',
    collection: CONFIGURATIONS,
    id: changed.id,
    patch: { description: 'changed after the backup' },
  });
  await cloud.control(`/tenants/${microsoftName}/admin-changes`, 'POST', {
    action: 'delete',
    collection: CONFIGURATIONS,
    id: deleted.id,
  });
}

/** A preview of a backup set that does not exist: the run ends failed (`restore_source_missing`). */
export async function failedPreview(cloud: OwnCloud, target: Tenant) {
  const started = await cloud.api('POST', `${target.base}/operations`, {
    as: 'mike',
    body: {
      type: 'restore.preview',
      source: { tenantId: target.tenantId, backupSetId: '00000000-0000-4000-8000-000000000000' },
    },
  });
  expect(started.status, started.text).toBe(202);
  const failed = await cloud.finished(started.body.run.id);
  expect(failed.outcome).toBe('failed');
  return failed;
}
