import { describe, expect, it } from 'vitest';
import { getContract } from '../../shared/graph';
import type { InventoryItem } from '../../shared/inventory';
import { contractOwns } from '../../shared/inventory/refresh';
import { watchSlot } from '../../shared/watch';
import { fromDirectoryAudit, fromIntuneEvent } from '../../shared/watch/audit-sources';
import { candidateContracts, mapRecords } from '../../shared/watch/mapping';

const intune = (overrides: Record<string, unknown> = {}) =>
  fromIntuneEvent({
    id: 'e1',
    activity: 'Patch DeviceConfiguration',
    activityDateTime: '2026-12-06T10:00:00Z',
    activityOperationType: 'Patch',
    componentName: 'DeviceConfiguration',
    actor: { auditActorType: 'ItPro', userPrincipalName: 'adele.vance@contoso.com', applicationId: 'portal' },
    resources: [{ resourceId: 'obj-1', auditResourceType: 'Windows10GeneralConfiguration' }],
    ...overrides,
  });

describe('watch slots', () => {
  it('are the start of the interval a time falls in', () => {
    expect(watchSlot(new Date('2026-12-06T10:07:59.999Z'), 5).toISOString()).toBe('2026-12-06T10:05:00.000Z');
    expect(watchSlot(new Date('2026-12-06T10:10:00.000Z'), 5).toISOString()).toBe('2026-12-06T10:10:00.000Z');
    expect(watchSlot(new Date('2026-12-06T10:59:00.000Z'), 60).toISOString()).toBe(
      '2026-12-06T10:00:00.000Z',
    );
  });
});

describe('audit records', () => {
  it('attribute Intune ItPro changes to the UPN, app changes to the app, and neither to unknown', () => {
    expect(intune().changedBy).toEqual({
      kind: 'user',
      userPrincipalName: 'adele.vance@contoso.com',
      displayName: 'adele.vance@contoso.com',
    });
    expect(
      intune({
        actor: { applicationId: 'app-1', applicationDisplayName: 'Automation', userPrincipalName: null },
      }).changedBy,
    ).toEqual({ kind: 'app', appId: 'app-1', displayName: 'Automation' });
    expect(intune({ actor: {} }).changedBy).toEqual({
      kind: 'unknown',
      reason: 'audit_record_without_actor',
    });
    expect(intune({ activityOperationType: 'Assign' }).operation).toBe('assign');
    expect(intune({ activityOperationType: 'Action' }).operation).toBe('other');
  });

  it('read Entra initiatedBy and operation types', () => {
    const record = fromDirectoryAudit({
      id: 'd1',
      activityDisplayName: 'Add conditional access policy',
      activityDateTime: '2026-12-06T10:00:00Z',
      operationType: 'Add',
      loggedByService: 'Conditional Access',
      initiatedBy: { user: { userPrincipalName: 'adele.vance@contoso.com', displayName: 'Adele Vance' } },
      targetResources: [{ id: 'ca-1', type: 'Policy' }],
    });
    expect(record).toMatchObject({
      source: 'entra',
      operation: 'create',
      resources: [{ id: 'ca-1' }],
      changedBy: { kind: 'user', displayName: 'Adele Vance' },
    });
    expect(candidateContracts(record)).toEqual(['conditionalAccessPolicies']);
  });
});

describe('mapping records to objects', () => {
  const item = (graphId: string, policyType: string) => ({ graphId, policyType }) as unknown as InventoryItem;

  it('uses the item that has the Graph id, keeps the latest record per object, and counts the rest', () => {
    const earlier = intune({ id: 'a', activityDateTime: '2026-12-06T10:00:00Z' });
    const later = intune({
      id: 'b',
      activityDateTime: '2026-12-06T10:03:00Z',
      actor: { applicationId: 'app-1', applicationDisplayName: 'Automation' },
    });
    const device = intune({ id: 'c', resources: [] });
    const { targets, unmapped } = mapRecords(
      [later, earlier, device],
      [item('obj-1', 'deviceConfigurations')],
    );
    expect(targets).toEqual([
      expect.objectContaining({
        policyType: 'deviceConfigurations',
        graphId: 'obj-1',
        changedBy: { kind: 'app', appId: 'app-1', displayName: 'Automation' },
        activityAt: '2026-12-06T10:03:00Z',
      }),
    ]);
    expect(unmapped.map((r) => r.id)).toEqual(['c']);
  });

  it('skips a record the overlap reads again when the object was written well after the change', () => {
    const written = (at: string) =>
      ({
        graphId: 'obj-1',
        policyType: 'deviceConfigurations',
        lastSeenAt: at,
        removedAt: null,
      }) as unknown as InventoryItem;
    const record = intune({ activityDateTime: '2026-12-06T10:00:00Z' });
    expect(mapRecords([record], [written('2026-12-06T10:05:00Z')])).toMatchObject({
      targets: [],
      unmapped: [],
      alreadyCurrent: 1,
    });
    // Within the clock-skew margin the read may predate the change: read the object again.
    expect(mapRecords([record], [written('2026-12-06T10:00:20Z')])).toMatchObject({
      targets: [expect.objectContaining({ graphId: 'obj-1' })],
      alreadyCurrent: 0,
    });
  });

  it('probes a new object only on the contracts its component allows', () => {
    const compliance = candidateContracts(intune({ componentName: 'DeviceCompliance' }));
    expect(compliance).toContain('deviceCompliancePolicies');
    expect(compliance).not.toContain('deviceConfigurations');
    const configuration = candidateContracts(intune());
    expect(configuration).toContain('deviceConfigurations');
    expect(configuration).toContain('windowsUpdateRings');
    expect(configuration).not.toContain('mobileApps');
    expect(configuration).not.toContain('conditionalAccessPolicies');
  });

  it('gives an object of a shared collection to the contract that owns its type', () => {
    const ring = { id: 'r', '@odata.type': '#microsoft.graph.windowsUpdateForBusinessConfiguration' };
    const profile = { id: 'p', '@odata.type': '#microsoft.graph.windows10GeneralConfiguration' };
    expect(contractOwns(getContract('windowsUpdateRings'), ring)).toBe(true);
    expect(contractOwns(getContract('deviceConfigurations'), ring)).toBe(false);
    expect(contractOwns(getContract('windowsUpdateRings'), profile)).toBe(false);
    expect(contractOwns(getContract('deviceConfigurations'), profile)).toBe(true);
  });
});
