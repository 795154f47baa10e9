import { describe, expect, it } from 'vitest';
import { DEFAULT_GRANTED_PERMISSIONS } from '../../emulators/microsoft';
import { inventoryContracts } from '../../shared/inventory';
import { allItems, connectedScope, control, sync } from './support';

describe('provider failures', () => {
  it('one type without permission: partially succeeded, that type provider_permission_denied, the others read', async () => {
    // An app of its own, so revoking a permission disturbs no other test reading contoso.
    const app = await control<{ clientId: string; clientSecret: string }>('POST', '/tenants/contoso/apps', {
      displayName: 'Inventory without terms of use',
      permissions: DEFAULT_GRANTED_PERMISSIONS.filter((permission) => !permission.startsWith('Agreement.')),
    });
    const scope = await connectedScope('Inventory permission', 'contoso', app);
    const run = await sync(scope, { selection: { includeDependencies: false } });
    expect(run.outcome).toBe('partially_succeeded');
    expect(run.failures).toEqual([
      {
        reasonCode: 'provider_permission_denied',
        message: expect.any(String),
        target: 'termsOfUseAgreements',
      },
    ]);
    for (const contract of inventoryContracts()) {
      expect(run.result.types[contract.key].status, contract.key).toBe(
        contract.key === 'termsOfUseAgreements' ? 'failed' : 'succeeded',
      );
    }
    const types = new Set((await allItems(scope)).map((item) => item.policyType));
    expect(types.has('termsOfUseAgreements')).toBe(false);
    expect(types.size).toBe(inventoryContracts().length - 1);
  });

  it('a credential Entra refuses fails the run once, with provider_auth_failed, before reading the rest', async () => {
    const scope = await connectedScope('Inventory wrong secret', 'contoso', {
      clientId: (
        await control<{ tenants: Array<{ name: string; clientId: string }> }>('GET', '/tenants')
      ).tenants.find((tenant) => tenant.name === 'contoso')!.clientId,
      clientSecret: 'not-the-secret',
    });
    const run = await sync(scope);
    expect(run.outcome).toBe('failed');
    expect(run.failures).toEqual([{ reasonCode: 'provider_auth_failed', message: expect.any(String) }]);
    expect(JSON.stringify(run)).not.toContain('not-the-secret');
  });
});
