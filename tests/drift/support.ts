import { expect } from 'vitest';
import type { GraphObject } from '../../shared/graph';
import type { OwnCloud } from '../backup/own-cloud';
import { graphOf, syncDirectory } from '../restore/support';

export type Tenant = { workspaceId: string; tenantId: string; base: string };

/** The policy types of the drift tests: two planted-object families and a seeded one. */
export const TYPES = ['deviceConfigurations', 'configurationPolicies', 'deviceCompliancePolicies'];

export const GENERAL = '#microsoft.graph.windows10GeneralConfiguration';

/** A Windows general configuration the tests plant in a tenant: its name and one compared setting. */
export function generalConfiguration(displayName: string, passwordMinimumLength: number) {
  return { '@odata.type': GENERAL, displayName, passwordRequired: true, passwordMinimumLength };
}

/**
 * Contoso (the golden tenant) and Fabrikam (checked against it), connected in one new workspace named
 * after the test; with `directory`, both directory caches synced (assignments compare by group name).
 */
export async function goldenAndChecked(
  cloud: OwnCloud,
  label: string,
  options: { directory?: boolean } = {},
): Promise<{ contoso: Tenant; fabrikam: Tenant }> {
  const contoso = await cloud.connectedTenant(`${label} golden`, 'contoso');
  const fabrikam = await cloud.connectTenant(contoso.workspaceId, `${label} checked`, 'fabrikam');
  if (options.directory) {
    await syncDirectory(cloud, contoso);
    await syncDirectory(cloud, fabrikam);
  }
  return { contoso, fabrikam };
}

/** A full inventory sync of the test's types (with filters, scope tags and referenced groups). */
export async function sync(cloud: OwnCloud, tenant: Tenant, policyTypes: readonly string[] = TYPES) {
  const started = await cloud.api('POST', `${tenant.base}/operations`, {
    as: 'mike',
    body: { type: 'inventory.sync', selection: { policyTypes } },
  });
  expect(started.status, started.text).toBe(202);
  const run = await cloud.finished(started.body.run.id, 180_000);
  expect(run.outcome, JSON.stringify(run.failures)).toBe('succeeded');
  return run;
}

/** Waits until `probe` answers something (polling), or fails after `timeoutMs`. */
export async function until<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

export interface FindingView {
  id: string;
  baselineId: string;
  tenantId: string;
  objectKey: string;
  policyType: string;
  displayName: string;
  outcome: string;
  state: string;
  differences: Array<{ path: string; expected: unknown; actual: unknown }>;
  differenceCount: number;
  tenantItemId: string | null;
  matchedBy: string | null;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  resolvedAt: string | null;
  raisedByVersion: string | null;
  resolvedByVersion: string | null;
  acceptance: { reason: string; expiresAt: string | null; expired: boolean } | null;
}

/** Every finding of the listing (all pages). */
export async function findings(cloud: OwnCloud, workspaceId: string, query: string): Promise<FindingView[]> {
  const out: FindingView[] = [];
  let token: string | undefined;
  do {
    const page = await cloud.api(
      'GET',
      `/workspaces/${workspaceId}/drift?${query}&limit=50${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`,
      { as: 'rita' },
    );
    expect(page.status, page.text).toBe(200);
    out.push(...page.body.items);
    token = page.body.continuationToken;
  } while (token);
  return out;
}

export interface SummaryRow {
  baselineId: string;
  tenantId: string;
  objects: number;
  matching: number;
  drifted: number;
  missing: number;
  extra: number;
  accepted: number;
  oldestOpenFindingAt: string | null;
  evaluated: boolean;
}

export async function summaryRow(cloud: OwnCloud, workspaceId: string, baselineId: string, tenantId: string) {
  const summary = await cloud.api(
    'GET',
    `/workspaces/${workspaceId}/drift/summary?baselineId=${baselineId}`,
    {
      as: 'rita',
    },
  );
  expect(summary.status, summary.text).toBe(200);
  return (summary.body.items as SummaryRow[]).find((row) => row.tenantId === tenantId);
}

/** Waits for the pair's evaluation at the baseline's current revision. */
export async function evaluated(cloud: OwnCloud, workspaceId: string, baselineId: string, tenantId: string) {
  return until(async () => {
    const row = await summaryRow(cloud, workspaceId, baselineId, tenantId);
    return row?.evaluated ? row : undefined;
  }, 'the evaluation');
}

/** Names a user reads in Graph, lower-cased (how objects match across tenants). */
export const nameOf = (object: GraphObject) => String(object.displayName ?? object.name).toLowerCase();

/** The simulated tenant's objects of a type, read by an independent client. */
export async function listGraph(cloud: OwnCloud, microsoftName: string, policyType: string) {
  return graphOf(cloud, microsoftName).list(policyType);
}
