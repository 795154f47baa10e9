import { describe, expect, it } from 'vitest';
import { graphWrites, requestLog, requestSeq } from './request-log';
import { backUp, execute, graphOf, ownCloudForFile, planItems, preview } from './support';

/**
 * Security baselines (intents) are created from a template of Microsoft's (`templates/{id}/createInstance`),
 * built into every tenant with the same id and never created by a restore. Contoso's intents restored into
 * empty generated tenants: one with every built-in template, one that lacks one of them.
 */
const cloud = ownCloudForFile({
  LOCAL_MICROSOFT_EXTRA_TENANTS: 'empty-with-templates:0:31,empty-lacking-template:0:32',
});

// Scope tags and filters come along: intents use them, and an empty tenant has none (but Default).
const TYPES = ['intents', 'roleScopeTags', 'assignmentFilters'];
const OPTIONS = { unmappedAssignments: 'skip' };

describe('restore of security baselines (intents) and their built-in templates', () => {
  it('creates them in an empty generated tenant, which has the built-in templates of every tenant', async () => {
    const source = await cloud.connectedTenant('Contoso baselines', 'contoso');
    const target = await cloud.connectTenant(source.workspaceId, 'Empty target', 'empty-with-templates');
    const setId = await backUp(cloud, source, TYPES);
    const backedUp = await graphOf(cloud, 'contoso').list('intents');
    const templates = await graphOf(cloud, 'empty-with-templates').list('intentTemplates');
    expect(templates.map((t) => t.id).sort()).toEqual(
      (await graphOf(cloud, 'contoso').list('intentTemplates')).map((t) => t.id).sort(),
    );

    const planned = await preview(cloud, target, {
      source: { tenantId: source.tenantId, backupSetId: setId },
      options: OPTIONS,
    });
    const intents = planned.items.filter((i) => i.policyType === 'intents');
    expect(intents).toHaveLength(backedUp.length);
    for (const item of intents) {
      expect(item.action, JSON.stringify(item)).toBe('create');
      expect(item.references).toContainEqual(
        expect.objectContaining({ target: 'intentTemplates', how: 'same_id' }),
      );
    }

    const executed = await execute(cloud, target, planned.run);
    expect(executed.outcome, JSON.stringify(executed.failures)).toBe('succeeded');
    const created = await graphOf(cloud, 'empty-with-templates').list('intents');
    expect(created.map((i) => [i.displayName, i.templateId]).sort()).toEqual(
      backedUp.map((i) => [i.displayName, i.templateId]).sort(),
    );
  });

  it('blocks an intent whose template the target lacks (template_missing) and writes nothing for it; the rest proceeds', async () => {
    const source = await cloud.connectedTenant('Contoso baselines 2', 'contoso');
    const target = await cloud.connectTenant(source.workspaceId, 'Lacking target', 'empty-lacking-template');
    const backedUp = await graphOf(cloud, 'contoso').list('intents');
    const missing = String(backedUp[0]!.templateId);
    await cloud.control(`/tenants/empty-lacking-template/templates/${missing}`, 'DELETE');
    const left = await graphOf(cloud, 'empty-lacking-template').list('intentTemplates');
    expect(left.map((t) => t.id)).not.toContain(missing);
    expect(left.length).toBeGreaterThan(0);
    const setId = await backUp(cloud, source, TYPES);

    const planned = await preview(cloud, target, {
      source: { tenantId: source.tenantId, backupSetId: setId },
      options: OPTIONS,
    });
    const intents = planned.items.filter((i) => i.policyType === 'intents');
    const ofMissing = new Set(backedUp.filter((i) => i.templateId === missing).map((i) => String(i.id)));
    const blocked = intents.filter((i) => ofMissing.has(i.sourceGraphId));
    const others = intents.filter((i) => !ofMissing.has(i.sourceGraphId));
    expect(blocked.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    for (const item of blocked) {
      expect(item).toMatchObject({ action: 'blocked', reasonCode: 'template_missing' });
      expect(item.references).toContainEqual(
        expect.objectContaining({ target: 'intentTemplates', sourceId: missing, how: 'missing' }),
      );
    }
    for (const item of others) expect(item.action, JSON.stringify(item)).toBe('create');
    const plan = (await cloud.api('GET', `/operations/${planned.run.id}/plan?limit=200`, { as: 'rita' }))
      .body as { items: Array<{ sourceGraphId: string; message: string | null }> };
    expect(plan.items.find((i) => i.sourceGraphId === blocked[0]!.sourceGraphId)?.message).toMatch(
      /not in the target tenant, and a restore never creates it/,
    );

    const since = await requestSeq(cloud);
    const executed = await execute(cloud, target, planned.run);
    // Blocked items are skipped, not failed: the run succeeds with every other item written.
    expect(executed.outcome, JSON.stringify(executed.failures)).toBe('succeeded');
    expect(executed.result).toMatchObject({ created: planned.run.result.create, failed: 0 });
    const writes = graphWrites(await requestLog(cloud, 'empty-lacking-template', since));
    expect(writes.filter((w) => w.endpoint.includes(`/templates/${missing}/`))).toEqual([]);
    expect(writes.filter((w) => w.endpoint.includes('/createInstance'))).toHaveLength(others.length);
    const done = new Map((await planItems(cloud, planned.run.id)).map((i) => [i.sourceGraphId, i]));
    for (const item of blocked) expect(done.get(item.sourceGraphId)?.result?.outcome).toBe('skipped');
    for (const item of others) expect(done.get(item.sourceGraphId)?.result?.outcome).toBe('created');
    const inTarget = await graphOf(cloud, 'empty-lacking-template').list('intents');
    expect(inTarget.map((i) => i.templateId)).not.toContain(missing);
    expect(inTarget).toHaveLength(others.length);
  });
});
