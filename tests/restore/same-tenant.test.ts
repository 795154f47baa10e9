import { describe, expect, it } from 'vitest';
import {
  backUp,
  execute,
  graphOf,
  preview,
  syncDirectory,
  ownCloudForFile,
  changeOneDeleteOne,
} from './support';

/**
 * Restore into the tenant the backup came from: what changed since is updated back, what was deleted is
 * created again, the rest is left alone; undo puts the changed object back as it was before the restore.
 */
const cloud = ownCloudForFile();

describe('restore into the same tenant', () => {
  it('a changed object is updated back and a deleted one created again; an independent read equals the backup; undo reverts the update', async () => {
    const tenant = await cloud.connectedTenant('Restore same tenant', 'fabrikam');
    const graph = graphOf(cloud, 'fabrikam');
    const before = await graph.list('deviceConfigurations');
    expect(before.length).toBeGreaterThan(3);
    await syncDirectory(cloud, tenant);
    const setId = await backUp(cloud, tenant, ['deviceConfigurations']);

    const [changed, deleted] = before.filter((o) => Array.isArray(o.assignments) && o.assignments.length > 0);
    expect(changed && deleted).toBeTruthy();
    await changeOneDeleteOne(cloud, 'fabrikam', changed!, deleted!);

    const planned = await preview(cloud, tenant, {
      source: { tenantId: tenant.tenantId, backupSetId: setId },
    });
    const byId = new Map(planned.items.map((item) => [item.sourceGraphId, item]));
    expect(byId.get(String(changed!.id)), JSON.stringify(byId.get(String(changed!.id)))).toMatchObject({
      action: 'update',
    });
    expect(byId.get(String(changed!.id))!.diff.map((d) => d.path)).toContain('/object/description');
    expect(byId.get(String(deleted!.id))).toMatchObject({ action: 'create' });
    const others = planned.items.filter(
      (i) => i.sourceGraphId !== changed!.id && i.sourceGraphId !== deleted!.id,
    );
    expect(
      others.every((i) => i.action === 'unchanged'),
      JSON.stringify(others.filter((i) => i.action !== 'unchanged').slice(0, 3)),
    ).toBe(true);
    expect(planned.run.result).toMatchObject({ create: 1, update: 1, blocked: 0 });

    const executed = await execute(cloud, tenant, planned.run);
    expect(executed.outcome, JSON.stringify(executed)).toBe('succeeded');
    expect(executed.result).toMatchObject({ created: 1, updated: 1, failed: 0 });

    const restoredChange = await graph.get('deviceConfigurations', String(changed!.id));
    expect(restoredChange.description).toBe(changed!.description);
    const after = await graph.list('deviceConfigurations');
    const recreated = after.filter((o) => o.displayName === deleted!.displayName);
    expect(recreated).toHaveLength(1);
    // Ids and times are the new object's own; assignments compare by target, in any order.
    const strip = (object: Record<string, unknown>) => {
      const {
        id: _i,
        createdDateTime: _c,
        lastModifiedDateTime: _l,
        version: _v,
        assignments,
        ...rest
      } = object;
      const targets = (assignments as Array<{ target: unknown }>).map((a) => JSON.stringify(a.target)).sort();
      const own = Object.fromEntries(Object.entries(rest).filter(([key]) => !key.includes('@odata.context')));
      return { ...own, targets };
    };
    expect(strip(recreated[0]!)).toEqual(strip(deleted!));

    // Undo: a preview of the snapshot the execute took, then its execute.
    const undo = await preview(cloud, tenant, { source: executed.result.undo.source });
    expect(undo.items.find((i) => i.targetGraphId === changed!.id)).toMatchObject({ action: 'update' });
    const undone = await execute(cloud, tenant, undo.run);
    expect(undone.outcome, JSON.stringify(undone)).toBe('succeeded');
    expect((await graph.get('deviceConfigurations', String(changed!.id))).description).toBe(
      'changed after the backup',
    );
  }, 300_000);
});

describe('a family Graph creates through an action', () => {
  it('an intent deleted since the backup is created again from its template (createInstance), its settings as backed up', async () => {
    const tenant = await cloud.connectedTenant('Restore intents', 'fabrikam');
    const graph = graphOf(cloud, 'fabrikam');
    const [intent] = await graph.list('intents');
    expect(intent).toBeDefined();
    const before = await graph.getWithInline('intents', String(intent!.id));
    await syncDirectory(cloud, tenant);
    const setId = await backUp(cloud, tenant, ['intents']);
    await cloud.control('/tenants/fabrikam/admin-changes', 'POST', {
      action: 'delete',
      collection: '/deviceManagement/intents',
      id: intent!.id,
    });
    const planned = await preview(cloud, tenant, {
      source: { tenantId: tenant.tenantId, backupSetId: setId },
    });
    expect(planned.items.find((i) => i.sourceGraphId === intent!.id)).toMatchObject({ action: 'create' });
    const executed = await execute(cloud, tenant, planned.run);
    expect(executed.outcome, JSON.stringify(executed.failures)).toBe('succeeded');
    const recreated = (await graph.list('intents')).filter((i) => i.displayName === intent!.displayName);
    expect(recreated).toHaveLength(1);
    const after = await graph.getWithInline('intents', String(recreated[0]!.id));
    expect(after.templateId).toBe(before.templateId);
    const settings = (object: Record<string, unknown>) =>
      (object.settings as Array<{ definitionId: string; valueJson: string }>)
        .map((s) => `${s.definitionId}=${s.valueJson}`)
        .sort();
    expect(settings(after)).toEqual(settings(before));
    const again = await preview(cloud, tenant, { source: { tenantId: tenant.tenantId, backupSetId: setId } });
    expect(again.items.filter((i) => i.action !== 'unchanged').map((i) => [i.displayName, i.diff])).toEqual(
      [],
    );
  }, 300_000);
});
