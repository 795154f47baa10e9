import { describe, expect, it } from 'vitest';
import { getContract, graphContracts } from '../../shared/graph';
import { bodyDifferences, restoreBody } from '../microsoft/real-payloads-support';
import { requestLog, requestSeq } from './request-log';
import { execute, graphOf, planItems, preview, syncDirectory, ownCloudForFile } from './support';

/**
 * Every restorable family of the registry, restored from one full backup of Contoso into Fabrikam: each
 * ends created, updated or unchanged (blocked only for the reasons the registry names), nothing fails,
 * and a second preview of the same backup finds nothing left to write.
 */
const cloud = ownCloudForFile();

/** Why a family may have no object written in this pair of tenants. */
const ALLOWED_BLOCKS = new Set(['built_in', 'not_restorable', 'target_ambiguous', 'group_missing']);

describe('every family of the registry', () => {
  it('is restored from a full backup into another tenant, and a second preview finds it unchanged', async () => {
    const source = await cloud.connectedTenant('Contoso all', 'contoso');
    const target = await cloud.connectTenant(source.workspaceId, 'Fabrikam all', 'fabrikam');
    await syncDirectory(cloud, source);
    await syncDirectory(cloud, target);
    const started = await cloud.api('POST', `${source.base}/operations`, {
      as: 'mike',
      body: { type: 'backup.run' },
    });
    const backup = await cloud.finished(started.body.run.id, 180_000);
    expect(backup.outcome).toBe('succeeded');
    const body = {
      source: { tenantId: source.tenantId, backupSetId: backup.result.backupSetId },
      options: { unmappedAssignments: 'skip' },
    };
    const planned = await preview(cloud, target, body);
    const executed = await execute(cloud, target, planned.run);
    const items = await planItems(cloud, planned.run.id);
    const failed = items.filter((i) => i.result?.outcome === 'failed');
    expect(
      failed.map((i) => `${i.policyType} ${i.displayName}: ${i.result?.reasonCode} ${i.result?.message}`),
    ).toEqual([]);
    expect(executed.outcome).toBe('succeeded');

    const restorable = graphContracts.filter(
      (c) => c.restorable && c.role !== 'dependency' && c.role !== 'directory',
    );
    for (const contract of restorable) {
      const mine = items.filter((i) => i.policyType === contract.key);
      expect(mine.length, `${contract.key} is in the backup`).toBeGreaterThan(0);
      const written = mine.filter((i) => ['created', 'updated', 'unchanged'].includes(i.result!.outcome));
      const blockedOk = mine.every((i) => i.action !== 'blocked' || ALLOWED_BLOCKS.has(i.reasonCode!));
      expect(
        written.length > 0 && blockedOk,
        `${contract.key}: ${JSON.stringify(mine.map((i) => [i.action, i.reasonCode]))}`,
      ).toBe(true);
    }

    // What was written reads back as the backup holds it (an independent client; members sent, compared).
    const fabrikam = graphOf(cloud, 'fabrikam');
    const contoso = graphOf(cloud, 'contoso');
    const created = items.filter((i) => i.result?.outcome === 'created' && i.references.length === 0);
    const sample = [...new Map(created.map((i) => [i.policyType, i])).values()];
    expect(sample.length).toBeGreaterThan(10);
    for (const item of sample) {
      const contract = getContract(item.policyType);
      const sent = restoreBody(contract, await contoso.get(item.policyType, item.sourceGraphId));
      const read = await fabrikam.get(item.policyType, item.result!.targetGraphId!);
      const expected =
        contract.restore?.reportOnlyState && sent.state === 'enabled'
          ? { ...sent, state: 'enabledForReportingButNotEnforced' }
          : sent;
      expect(bodyDifferences(expected, read), `${item.policyType} ${item.displayName}`).toEqual([]);
    }

    const since = await requestSeq(cloud);
    const again = await preview(cloud, target, body);
    // The preview reads the target's objects of every type at once: its reads fill whole `$batch`es
    // (20 each), with a part-filled one only at the end of a round, not one per type or dependency phase.
    const log = await requestLog(cloud, 'fabrikam', since);
    for (const version of ['beta', 'v1.0']) {
      const envelopes = log.filter((e) => e.endpoint === `POST /${version}/$batch` && !e.batchRequestId);
      const reads = log.filter((e) => e.batchRequestId && e.endpoint.startsWith(`GET /${version}/`));
      console.log(`second preview, ${version}: ${reads.length} reads in ${envelopes.length} $batch requests`);
      expect(envelopes.length, version).toBeLessThanOrEqual(Math.ceil(reads.length / 20) + 2);
    }
    const leftover = again.items.filter((i) => i.action === 'create' || i.action === 'update');
    expect(
      leftover.map(
        (i) => `${i.policyType} ${i.displayName} ${i.action} ${JSON.stringify(i.diff.slice(0, 2))}`,
      ),
    ).toEqual([]);
  }, 600_000);
});
