import { describe, expect, it } from 'vitest';
import { getContract } from '../../shared/graph';
import { comparable, differencesOf, type NameLookup } from '../../shared/drift/normalize';

/**
 * The normalization rules of docs/drift.md, one case each: two tenants' versions of "the same" object
 * compare equal exactly when a user would call them equal.
 */
const policies = getContract('configurationPolicies');
const configurations = getContract('deviceConfigurations');

const setting = (id: string, value: string, itemId: string) => ({
  id: itemId,
  settingInstance: {
    '@odata.type': '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance',
    settingDefinitionId: id,
    choiceSettingValue: { value, children: [] },
  },
});

const groupTarget = (groupId: string, filterId?: string) => ({
  id: `${groupId}_assignment`,
  target: {
    '@odata.type': '#microsoft.graph.groupAssignmentTarget',
    groupId,
    deviceAndAppManagementAssignmentFilterId: filterId ?? '00000000-0000-0000-0000-000000000000',
    deviceAndAppManagementAssignmentFilterType: filterId ? 'include' : 'none',
  },
});

/** A tenant whose groups and filters have these names. */
const names = (
  groups: Record<string, string>,
  objects: Record<string, string> = {},
  references: Record<string, string> = {},
): NameLookup => ({
  group: (id) => groups[id],
  object: (id) => objects[id],
  reference: (target, id) => references[`${target}:${id}`],
});

const contoso = names(
  { 'g-c1': 'All Windows devices' },
  { 'f-c1': 'Corporate laptops' },
  { 'notificationMessageTemplates:t-c1': 'Non-compliance mail', 'namedLocations:l-c1': 'Head office' },
);
const fabrikam = names(
  { 'g-f9': 'All Windows devices' },
  { 'f-f7': 'Corporate laptops' },
  { 'notificationMessageTemplates:t-f3': 'Non-compliance mail', 'namedLocations:l-f2': 'Head office' },
);

function compare(
  contract: ReturnType<typeof getContract>,
  expected: {
    object: Record<string, unknown>;
    subResources?: Record<string, Array<Record<string, unknown>>>;
    assignments?: Array<Record<string, unknown>>;
  },
  actual: typeof expected,
  actualNames = fabrikam,
) {
  const version = (v: typeof expected) => ({
    object: v.object,
    subResources: v.subResources ?? {},
    assignments: v.assignments ?? [],
  });
  return differencesOf(
    comparable(contract, version(expected), contoso),
    comparable(contract, version(actual), actualNames),
  );
}

describe('drift normalization', () => {
  it('compares settings as a set keyed by their setting id: order and item ids do not count', () => {
    const a = setting('device_vendor_msft_a', 'a_1', '0');
    const b = setting('device_vendor_msft_b', 'b_0', '1');
    const result = compare(
      policies,
      { object: { name: 'P' }, subResources: { settings: [a, b] } },
      {
        object: { name: 'P' },
        subResources: {
          settings: [
            { ...b, id: '0' },
            { ...a, id: '1' },
          ],
        },
      },
    );
    expect(result).toEqual({ list: [], count: 0 });
  });

  it('names the changed setting by its id, with the expected and actual value', () => {
    const result = compare(
      policies,
      { object: { name: 'P' }, subResources: { settings: [setting('device_vendor_msft_a', 'a_1', '0')] } },
      { object: { name: 'P' }, subResources: { settings: [setting('device_vendor_msft_a', 'a_0', '0')] } },
    );
    expect(result.list).toEqual([
      {
        path: 'subResources.settings[device_vendor_msft_a].settingInstance.choiceSettingValue.value',
        expected: 'a_1',
        actual: 'a_0',
      },
    ]);
  });

  it('treats null as absent, and ignores ids, time stamps, read-only members and @odata annotations', () => {
    const result = compare(
      configurations,
      {
        object: {
          '@odata.type': '#microsoft.graph.windows10GeneralConfiguration',
          id: 'c-1',
          displayName: 'Baseline',
          description: null,
          passwordMinimumLength: 8,
          createdDateTime: '2026-01-01T00:00:00Z',
          lastModifiedDateTime: '2026-01-02T00:00:00Z',
          version: 4,
          'assignments@odata.context': 'https://graph.microsoft.com/beta/$metadata#…',
        },
      },
      {
        object: {
          '@odata.type': '#microsoft.graph.windows10GeneralConfiguration',
          id: 'f-1',
          displayName: 'baseline',
          passwordMinimumLength: 8,
          createdDateTime: '2026-03-01T00:00:00Z',
          lastModifiedDateTime: '2026-03-02T00:00:00Z',
          version: 9,
        },
      },
    );
    expect(result).toEqual({ list: [], count: 0 });
  });

  it('reports a changed property with its path, expected and actual value; absent is null', () => {
    const result = compare(
      configurations,
      { object: { displayName: 'B', passwordMinimumLength: 8, passwordRequired: true } },
      { object: { displayName: 'B', passwordMinimumLength: 12 } },
    );
    expect(result.list).toEqual([
      { path: 'object.passwordMinimumLength', expected: 8, actual: 12 },
      { path: 'object.passwordRequired', expected: true, actual: null },
    ]);
  });

  it('compares assignments by group and filter name, not by id (ids differ across tenants)', () => {
    const same = compare(
      configurations,
      { object: { displayName: 'A' }, assignments: [groupTarget('g-c1', 'f-c1')] },
      { object: { displayName: 'A' }, assignments: [groupTarget('g-f9', 'f-f7')] },
    );
    expect(same).toEqual({ list: [], count: 0 });
    const otherGroup = compare(
      configurations,
      { object: { displayName: 'A' }, assignments: [groupTarget('g-c1')] },
      { object: { displayName: 'A' }, assignments: [groupTarget('g-f9')] },
      names({ 'g-f9': 'Pilot devices' }),
    );
    expect(otherGroup.list).toHaveLength(1);
    expect(otherGroup.list[0]).toMatchObject({
      path: 'assignments',
      expected: [{ target: { group: 'All Windows devices' } }],
      actual: [{ target: { group: 'Pilot devices' } }],
    });
  });

  it("compares references inside a policy by the referenced object's name (contract reference rules)", () => {
    const compliance = getContract('deviceCompliancePolicies');
    const withTemplate = (templateId: string) => ({
      object: { displayName: 'C', passwordRequired: true },
      subResources: {
        scheduledActionsForRule: [
          {
            id: 'r1',
            ruleName: 'PasswordRequired',
            scheduledActionConfigurations: [
              {
                id: 'a1',
                actionType: 'notification',
                gracePeriodHours: 24,
                notificationTemplateId: templateId,
              },
            ],
          },
        ],
      },
    });
    expect(compare(compliance, withTemplate('t-c1'), withTemplate('t-f3'))).toEqual({ list: [], count: 0 });
    const other = compare(compliance, withTemplate('t-c1'), withTemplate('t-unknown'));
    expect(other.count).toBe(1);
    expect(JSON.stringify(other.list[0])).toContain('unknown notificationMessageTemplates t-unknown');

    const access = getContract('conditionalAccessPolicies');
    const policy = (groupId: string, locationId: string) => ({
      object: {
        displayName: 'Require MFA',
        state: 'enabled',
        conditions: {
          users: { includeGroups: [groupId], excludeGroups: [] },
          locations: { includeLocations: [locationId, 'AllTrusted'] },
        },
      },
    });
    expect(compare(access, policy('g-c1', 'l-c1'), policy('g-f9', 'l-f2'))).toEqual({ list: [], count: 0 });
  });
});
