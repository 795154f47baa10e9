import type { RemediationSource, RemediationSources } from '../restore/deps';
import type { DriftStore } from './store';
import type { TenantObjects } from './tenant-objects';

/**
 * Remediation's source (docs/drift.md, Remediation): the baseline's expected objects behind chosen
 * findings of one tenant, as the restore preview reads them — the golden tenant's versions, each with
 * the tenant object its finding compared (pairing or name), so the plan updates that object, or creates
 * the object where the finding is `missing`.
 */
export function remediationSources(
  store: Pick<DriftStore, 'baseline' | 'findingsOfPair'>,
  objects: Pick<TenantObjects, 'find'>,
): RemediationSources {
  return {
    async source(workspaceId, baselineId, findingIds, targetTenantId) {
      const baseline = await store.baseline(workspaceId, baselineId);
      if (!baseline || baseline.deletedAt) return undefined;
      const wanted = [...new Set(findingIds)];
      const findings = await store.findingsOfPair(workspaceId, baselineId, targetTenantId, { ids: wanted });
      if (findings.length !== wanted.length) return undefined;
      const expected = new Map(baseline.objects.map((object) => [object.key, object]));
      const compared = findings.flatMap((f) => (f.tenantItemId ? [f.tenantItemId] : []));
      const graphIds = new Map(
        (compared.length > 0 ? await objects.find(targetTenantId, { ids: compared }) : []).map((item) => [
          item.id,
          item.graphId,
        ]),
      );
      const items: RemediationSource['items'] = [];
      for (const finding of findings.sort((a, b) => a.id.localeCompare(b.id))) {
        const object = expected.get(finding.objectKey);
        if (!object)
          return {
            problem: `Finding ${finding.id} is about an object the baseline does not have (an extra, or one removed from the baseline): there is nothing to write.`,
          };
        const targetGraphId = finding.tenantItemId ? graphIds.get(finding.tenantItemId) : undefined;
        items.push({
          policyType: object.policyType,
          graphId: object.graphId,
          itemId: object.key,
          versionId: object.versionId,
          displayName: object.displayName,
          ...(targetGraphId && { targetGraphId }),
        });
      }
      return { tenantId: baseline.source.tenantId, items };
    },
  };
}
