import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfirmationTokens } from '../../shared/restore';
import type { DemoUserName } from '../support/api';
import { graphWrites, requestLog, requestSeq } from './request-log';
import { backUp, execute, graphOf, OwnCloud, preview, syncDirectory, failedPreview } from './support';

/**
 * An execute is refused before anything is written unless its confirmation token is the one the preview
 * issued for that plan, target and caller, still current, and the plan not executed yet; who may preview
 * and execute follows the capability table; a preview cannot read a tenant of another workspace.
 */
// The app's token key, chosen here so the test can issue a token the app would have issued earlier.
const TOKEN_KEY = 'restore-token-test-key-0123456789abcdef';
const CONFIRMATION_MINUTES = 7;

let cloud: OwnCloud;
let tenant: Awaited<ReturnType<OwnCloud['connectedTenant']>>;
let setId: string;
/** Mike's preview: a plan with an update, so an execute let through would write. */
let planned: Awaited<ReturnType<typeof preview>>;

beforeAll(async () => {
  cloud = await OwnCloud.start({
    CONTINUATION_TOKEN_KEY: TOKEN_KEY,
    RESTORE_CONFIRMATION_MINUTES: String(CONFIRMATION_MINUTES),
  });
  tenant = await cloud.connectedTenant('Restore tokens', 'fabrikam');
  await syncDirectory(cloud, tenant);
  setId = await backUp(cloud, tenant, ['deviceConfigurations']);
  const [changed] = await graphOf(cloud, 'fabrikam').list('deviceConfigurations');
  await cloud.control('/tenants/fabrikam/admin-changes', 'POST', {
    action: 'update',
    collection: '/deviceManagement/deviceConfigurations',
    id: changed!.id,
    patch: { description: 'changed after the backup' },
  });
  planned = await preview(cloud, tenant, { source: { tenantId: tenant.tenantId, backupSetId: setId } });
}, 180_000);

afterAll(async () => {
  await cloud?.stop();
});

async function runIds(type: string): Promise<string[]> {
  const page = await cloud.api(
    'GET',
    `/operations?workspaceId=${tenant.workspaceId}&tenantId=${tenant.tenantId}&type=${type}&limit=100`,
    { as: 'alice' },
  );
  expect(page.status, page.text).toBe(200);
  return (page.body.items as Array<{ id: string }>).map((r) => r.id);
}

/**
 * Starts an execute expected to be refused with `status` and `code`: a problem, no run, and not one
 * Graph write in the target while it was answered.
 */
async function refusedExecute(
  body: { previewRunId: string; confirmationToken: string },
  as: DemoUserName,
  status: number,
  code: string,
) {
  const runsBefore = await runIds('restore.execute');
  const since = await requestSeq(cloud);
  const response = await cloud.api('POST', `${tenant.base}/operations`, {
    as,
    body: { type: 'restore.execute', ...body },
  });
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body.code).toBe(code);
  expect(graphWrites(await requestLog(cloud, 'fabrikam', since))).toEqual([]);
  expect(await runIds('restore.execute')).toEqual(runsBefore);
  return response;
}

describe('restore confirmation tokens', () => {
  it('the preview planned a write and issued a token valid for RESTORE_CONFIRMATION_MINUTES', () => {
    expect(planned.run.result).toMatchObject({ update: 1, create: 0 });
    expect(planned.run.result.confirmationToken).toMatch(/^[\w-]+\.[\w-]+$/);
    const lifetime = Date.parse(planned.run.result.expiresAt) - Date.parse(planned.run.completedAt);
    expect(lifetime).toBeGreaterThan((CONFIRMATION_MINUTES - 1) * 60_000);
    expect(lifetime).toBeLessThanOrEqual(CONFIRMATION_MINUTES * 60_000);
  });

  it('a wrong or altered token is refused with 400 restore_token_invalid and nothing is written', async () => {
    const token = planned.run.result.confirmationToken as string;
    const [head, mac] = token.split('.') as [string, string];
    const previewRunId = planned.run.id as string;
    for (const wrong of [
      'not-a-token',
      `${head}.${'A'.repeat(mac.length)}`,
      `${head}.${mac}.extra`,
      // The expiry travels in clear: moved a day later, the MAC no longer matches.
      `${Buffer.from(new Date(Date.parse(planned.run.result.expiresAt) + 86_400_000).toISOString()).toString('base64url')}.${mac}`,
      // A token the same key would issue for the same plan with another hash (the plan as it was not).
      createConfirmationTokens(TOKEN_KEY).issue({
        planId: previewRunId,
        planHash: '0'.repeat(64),
        tenantId: tenant.tenantId,
        userId: planned.run.initiator.userId,
        expiresAt: planned.run.result.expiresAt,
      }),
    ])
      await refusedExecute({ previewRunId, confirmationToken: wrong }, 'mike', 400, 'restore_token_invalid');
  }, 60_000);

  it('a token issued to another user is refused for the owner: 400, nothing written', async () => {
    await refusedExecute(
      { previewRunId: planned.run.id, confirmationToken: planned.run.result.confirmationToken },
      'alice',
      400,
      'restore_token_invalid',
    );
  });

  it('a plan is executed only in the tenant it was previewed for: another tenant of the workspace answers 404, nothing written', async () => {
    const other = await cloud.connectTenant(tenant.workspaceId, 'Restore tokens other target', 'contoso');
    const since = await requestSeq(cloud);
    const response = await cloud.api('POST', `${other.base}/operations`, {
      as: 'mike',
      body: {
        type: 'restore.execute',
        previewRunId: planned.run.id,
        confirmationToken: planned.run.result.confirmationToken,
      },
    });
    expect(response.status, response.text).toBe(404);
    expect(response.body.code).toBe('not_found');
    const log = [
      ...(await requestLog(cloud, 'fabrikam', since)),
      ...(await requestLog(cloud, 'contoso', since)),
    ];
    expect(graphWrites(log)).toEqual([]);
  });

  it('an expired token is refused with 409 restore_token_expired, nothing written', async () => {
    // The token the app issued for this very plan, had the preview ended CONFIRMATION_MINUTES + 1 ago.
    const expired = createConfirmationTokens(TOKEN_KEY).issue({
      planId: planned.run.id,
      planHash: planned.run.result.planHash,
      tenantId: tenant.tenantId,
      userId: planned.run.initiator.userId,
      expiresAt: new Date(Date.now() - 60_000).toISOString(),
    });
    // The same construction with the real expiry is exactly the token the preview handed out.
    expect(
      createConfirmationTokens(TOKEN_KEY).issue({
        planId: planned.run.id,
        planHash: planned.run.result.planHash,
        tenantId: tenant.tenantId,
        userId: planned.run.initiator.userId,
        expiresAt: planned.run.result.expiresAt,
      }),
    ).toBe(planned.run.result.confirmationToken);
    await refusedExecute(
      { previewRunId: planned.run.id, confirmationToken: expired },
      'mike',
      409,
      'restore_token_expired',
    );
  });

  it('readonly cannot preview; an operator can preview but not execute, even with the token of their own preview', async () => {
    const source = { tenantId: tenant.tenantId, backupSetId: setId };
    const runsBefore = await runIds('restore.preview');
    const denied = await cloud.api('POST', `${tenant.base}/operations`, {
      as: 'rita',
      body: { type: 'restore.preview', source },
    });
    expect(denied.status, denied.text).toBe(403);
    expect(denied.body.code).toBe('forbidden');
    expect(await runIds('restore.preview')).toEqual(runsBefore);

    const operators = await preview(
      cloud,
      tenant,
      { source, options: { unmappedAssignments: 'skip' } },
      'olga',
    );
    await refusedExecute(
      { previewRunId: operators.run.id, confirmationToken: operators.run.result.confirmationToken },
      'olga',
      403,
      'forbidden',
    );
    // Nor may a manager use it: the token is olga's, and a token of another plan does not fit this one.
    await refusedExecute(
      { previewRunId: operators.run.id, confirmationToken: operators.run.result.confirmationToken },
      'mike',
      400,
      'restore_token_invalid',
    );
    await refusedExecute(
      { previewRunId: operators.run.id, confirmationToken: planned.run.result.confirmationToken },
      'mike',
      400,
      'restore_token_invalid',
    );
  }, 60_000);

  it('a preview whose source tenant is in another workspace is 404 and starts no run', async () => {
    const other = await cloud.connectedTenant('Restore tokens elsewhere', 'contoso');
    const runsBefore = await runIds('restore.preview');
    const response = await cloud.api('POST', `${tenant.base}/operations`, {
      as: 'mike',
      body: { type: 'restore.preview', source: { tenantId: other.tenantId, backupSetId: setId } },
    });
    expect(response.status, response.text).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body.code).toBe('not_found');
    expect(await runIds('restore.preview')).toEqual(runsBefore);
  });

  it('a preview that failed has no plan to execute: 409 restore_plan_stale, nothing written', async () => {
    const failed = await failedPreview(cloud, tenant);
    expect(failed.failures[0].reasonCode).toBe('restore_source_missing');
    await refusedExecute(
      { previewRunId: failed.id, confirmationToken: planned.run.result.confirmationToken },
      'mike',
      409,
      'restore_plan_stale',
    );
  });

  it('a plan executes once: a second start after the first ended is 409 restore_plan_stale, nothing written', async () => {
    const since = await requestSeq(cloud);
    const executed = await execute(cloud, tenant, planned.run);
    expect(executed.outcome, JSON.stringify(executed)).toBe('succeeded');
    expect(executed.result).toMatchObject({ updated: 1, failed: 0 });
    // The count the refusals are held to sees this execute's write.
    expect(graphWrites(await requestLog(cloud, 'fabrikam', since)).length).toBeGreaterThan(0);
    await refusedExecute(
      { previewRunId: planned.run.id, confirmationToken: planned.run.result.confirmationToken },
      'mike',
      409,
      'restore_plan_stale',
    );
  });
});
