import { beforeAll, describe, expect, it } from 'vitest';
import { api, demoUser, freshWorkspace } from '../support/api';

let base: string;
let workspaceId: string;

const body = (name: string, secret = `secret-${name}`) => ({
  displayName: name,
  entraTenantId: 'AAAAAAAA-1111-2222-3333-444444444444',
  clientId: '55555555-6666-7777-8888-999999999999',
  credential: { authType: 'client_secret', clientSecret: secret },
});

beforeAll(async () => {
  const scope = await freshWorkspace('Connections');
  workspaceId = scope.workspaceId;
  base = `/workspaces/${scope.workspaceId}/tenants/${scope.tenantId}/provider-connections`;
});

describe('provider connections', () => {
  it('keeps exactly one default, switches it atomically, and refuses to delete it while others exist', async () => {
    const first = await api('POST', base, { as: 'mike', body: body('first') });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      isDefault: true,
      entraTenantId: 'aaaaaaaa-1111-2222-3333-444444444444',
      status: 'connected',
    });
    expect(first.body.credential).toEqual({
      configured: true,
      updatedAt: expect.any(String),
      updatedBy: demoUser('mike').oid,
    });
    expect(JSON.stringify(first.body)).not.toContain('secret-first');

    const second = await api('POST', base, { as: 'mike', body: body('second') });
    expect(second.body.isDefault).toBe(false);

    const switched = await api('POST', `${base}/${second.body.id}/make-default`, { as: 'mike' });
    expect(switched.status).toBe(200);
    const listed = await api('GET', base, { as: 'rita' });
    expect(
      listed.body.items.filter((c: { isDefault: boolean }) => c.isDefault).map((c: { id: string }) => c.id),
    ).toEqual([second.body.id]);

    const refused = await api('DELETE', `${base}/${second.body.id}`, { as: 'mike' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('default_connection_in_use');
    expect(refused.body.detail).toMatch(/Make another connection the default/);

    expect((await api('DELETE', `${base}/${first.body.id}`, { as: 'mike' })).status).toBe(204);
    expect((await api('DELETE', `${base}/${second.body.id}`, { as: 'mike' })).status).toBe(204);
    expect((await api('GET', base, { as: 'mike' })).body.items).toEqual([]);
  });

  it('makes concurrent default switches end with exactly one default', async () => {
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c', 'd'])
      ids.push((await api('POST', base, { as: 'alice', body: body(name) })).body.id);
    const results = await Promise.all(
      ids.map((id) => api('POST', `${base}/${id}/make-default`, { as: 'alice' })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const defaults = (await api('GET', base, { as: 'alice' })).body.items.filter(
      (c: { isDefault: boolean }) => c.isDefault,
    );
    expect(defaults).toHaveLength(1);
  });

  it('rotates a credential and records who did it', async () => {
    const created = await api('POST', base, { as: 'alice', body: body('rotating') });
    const rotated = await api('PUT', `${base}/${created.body.id}/credentials`, {
      as: 'mike',
      body: { authType: 'client_secret', clientSecret: 'rotated-value' },
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.credential.updatedBy).toBe(demoUser('mike').oid);
    const audit = await api('GET', `/workspaces/${workspaceId}/audit?action=connection.credential_rotate`, {
      as: 'rita',
    });
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      actor: { kind: 'user', userId: demoUser('mike').oid },
      target: { type: 'providerConnection', id: created.body.id },
      outcome: 'success',
    });
  });

  it('validates input with field-level errors', async () => {
    const invalid = await api('POST', base, {
      as: 'mike',
      body: {
        displayName: '',
        entraTenantId: 'contoso.onmicrosoft.com',
        clientId: 'x',
        credential: { authType: 'password' },
      },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toContain('application/problem+json');
    expect(invalid.body.code).toBe('validation_failed');
    const paths = invalid.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.displayName',
        'body.entraTenantId',
        'body.clientId',
        'body.credential.authType',
      ]),
    );
    const unknown = await api('POST', `${base}/does-not-exist/make-default`, { as: 'mike' });
    expect(unknown.status).toBe(404);
  });
});
