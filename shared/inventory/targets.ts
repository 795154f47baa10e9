import type { AssignmentTarget } from './model';

type Json = Record<string, unknown>;

const NO_FILTER = '00000000-0000-0000-0000-000000000000';

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * `groupAssignmentTarget`, `exclusionGroupAssignmentTarget`, `allDevicesAssignmentTarget`,
 * `allLicensedUsersAssignmentTarget`, and family-specific group targets (Windows 365's
 * `cloudPcManagementGroupAssignmentTarget`, …) that carry a `groupId` too.
 */
function kindOf(odataType: string | null, groupId: string | null): AssignmentTarget['kind'] {
  const type = (odataType ?? '').replace(/^#?microsoft\.graph\./, '');
  if (/^exclusion/i.test(type)) return 'exclude';
  if (type === 'allDevicesAssignmentTarget') return 'allDevices';
  if (type === 'allLicensedUsersAssignmentTarget') return 'allUsers';
  return groupId ? 'include' : 'other';
}

/** The targets of Intune assignments (`{target: {@odata.type, groupId, …Filter…}, intent?}`). */
export function assignmentTargets(assignments: readonly Json[]): AssignmentTarget[] {
  return assignments.map((assignment) => {
    const target = (assignment.target ?? {}) as Json;
    const filterId = str(target.deviceAndAppManagementAssignmentFilterId);
    const groupId = str(target.groupId);
    return {
      kind: kindOf(str(target['@odata.type']), groupId),
      groupId,
      filterId: filterId === NO_FILTER ? null : filterId,
      filterType:
        filterId && filterId !== NO_FILTER ? str(target.deviceAndAppManagementAssignmentFilterType) : null,
      intent: str(assignment.intent),
      source: 'assignment' as const,
    };
  });
}

/** Conditional Access targets live in the policy: `conditions.users.include/excludeGroups` and `All` users. */
export function conditionTargets(object: Json): AssignmentTarget[] {
  const users = ((object.conditions ?? {}) as Json).users as Json | undefined;
  if (!users) return [];
  const base = { filterId: null, filterType: null, intent: null, source: 'conditions' as const };
  const groups = (key: string) =>
    (Array.isArray(users[key]) ? (users[key] as unknown[]) : []).flatMap((id) =>
      typeof id === 'string' ? [id] : [],
    );
  return [
    ...(Array.isArray(users.includeUsers) && users.includeUsers.includes('All')
      ? [{ ...base, kind: 'allUsers' as const, groupId: null }]
      : []),
    ...groups('includeGroups').map((groupId) => ({ ...base, kind: 'include' as const, groupId })),
    ...groups('excludeGroups').map((groupId) => ({ ...base, kind: 'exclude' as const, groupId })),
  ];
}

/** What the assignment-target filter of the inventory list matches. */
export function targetIds(targets: readonly AssignmentTarget[]): string[] {
  const ids = new Set<string>();
  for (const target of targets) {
    if (target.groupId) ids.add(target.groupId);
    if (target.filterId) ids.add(target.filterId);
    if (target.kind === 'allDevices' || target.kind === 'allUsers') ids.add(target.kind);
  }
  return [...ids].sort();
}

export function scopeTagIds(object: Json): string[] {
  const ids = object.roleScopeTagIds ?? object.roleScopeTags;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}
