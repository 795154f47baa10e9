import { describe, expect, it } from 'vitest';
import { api, contosoWorkspace, demoUser, freshWorkspace } from '../support/api';

describe('workspaces, members and managed tenants', () => {
  it('lists the seeded demo for its members only', async () => {
    const contoso = contosoWorkspace();
    const mine = await api('GET', '/workspaces', { as: 'rita' });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((w: { id: string; role: string }) => [w.id, w.role])).toContainEqual([
      contoso.id,
      'readonly',
    ]);
    const tenants = await api('GET', `/workspaces/${contoso.id}/tenants`, { as: 'rita' });
    expect(tenants.body.items.map((t: { name: string }) => t.name)).toEqual(['contoso', 'fabrikam']);
    expect(
      tenants.body.items.every((t: { defaultConnectionId: string | null }) => t.defaultConnectionId),
    ).toBe(true);

    const nora = await api('GET', '/workspaces', { as: 'nora' });
    const noraSees = nora.body.items.map((w: { id: string; name: string }) => w.name);
    expect(noraSees).toContain('Northwind');
    expect(noraSees).not.toContain('Contoso MSP'); // other tests may give nora workspaces of her own
    expect((await api('GET', `/workspaces/${contoso.id}/tenants`, { as: 'nora' })).status).toBe(404);
  });

  it('lets only the owner manage members, and keeps at least one owner', async () => {
    const { workspaceId } = await freshWorkspace('Members');
    const alice = demoUser('alice').oid;
    const members = await api('GET', `/workspaces/${workspaceId}/members`, { as: 'olga' });
    expect(members.body.items.map((m: { role: string }) => m.role).sort()).toEqual([
      'manager',
      'operator',
      'owner',
      'readonly',
    ]);

    expect(
      (
        await api('PUT', `/workspaces/${workspaceId}/members/someone`, {
          as: 'mike',
          body: { role: 'readonly' },
        })
      ).status,
    ).toBe(403);
    const demoted = await api('PUT', `/workspaces/${workspaceId}/members/${alice}`, {
      as: 'alice',
      body: { role: 'manager' },
    });
    expect(demoted.status).toBe(409);
    expect(demoted.body.code).toBe('last_owner');
    expect((await api('DELETE', `/workspaces/${workspaceId}/members/${alice}`, { as: 'alice' })).status).toBe(
      409,
    );

    const rita = demoUser('rita').oid;
    expect(
      (
        await api('PUT', `/workspaces/${workspaceId}/members/${rita}`, {
          as: 'alice',
          body: { role: 'operator' },
        })
      ).body.role,
    ).toBe('operator');
    expect((await api('DELETE', `/workspaces/${workspaceId}/members/${rita}`, { as: 'alice' })).status).toBe(
      204,
    );
    expect((await api('GET', `/workspaces/${workspaceId}`, { as: 'rita' })).status).toBe(404);
    const audit = await api('GET', `/workspaces/${workspaceId}/audit?actorId=${alice}`, { as: 'alice' });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['member.add', 'member.role_change', 'member.remove', 'workspace.create']),
    );
  });

  it('adds, renames and archives managed tenants', async () => {
    const { workspaceId, tenantId } = await freshWorkspace('Tenants');
    const duplicate = await api('POST', `/workspaces/${workspaceId}/tenants`, {
      as: 'mike',
      body: {
        name: (await api('GET', `/workspaces/${workspaceId}/tenants/${tenantId}`, { as: 'mike' })).body.name,
      },
    });
    expect(duplicate.status).toBe(409);
    expect(
      (await api('POST', `/workspaces/${workspaceId}/tenants`, { as: 'olga', body: { name: 'nope' } }))
        .status,
    ).toBe(403);
    const archived = await api('PATCH', `/workspaces/${workspaceId}/tenants/${tenantId}`, {
      as: 'mike',
      body: { status: 'archived' },
    });
    expect(archived.body).toMatchObject({ status: 'archived', archivedAt: expect.any(String) });
    expect((await api('GET', `/workspaces/${workspaceId}/tenants`, { as: 'rita' })).body.items).toEqual([]);
    expect(
      (await api('GET', `/workspaces/${workspaceId}/tenants?includeArchived=true`, { as: 'rita' })).body
        .items,
    ).toHaveLength(1);
  });

  it('pages the audit trail with continuation tokens, newest first', async () => {
    const { workspaceId } = await freshWorkspace('Audit paging');
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await api(
        'GET',
        `/workspaces/${workspaceId}/audit?limit=2${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`,
        { as: 'rita' },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((e: { at: string }) => e.at));
      token = page.body.continuationToken;
    } while (token);
    expect(seen.length).toBeGreaterThanOrEqual(5); // workspace.create, 3 × member.add, tenant.add
    expect([...seen].sort().reverse()).toEqual(seen);
  });
});
