import { stableGuid } from '../ids';
import { newNode, type TenantStore } from './store';

export const AUDIT_COLLECTION = '/deviceManagement/auditEvents';

export type AuditActor =
  | { kind: 'user'; userPrincipalName: string; userId: string }
  | {
      kind: 'application';
      applicationId: string;
      applicationDisplayName: string;
      servicePrincipalId: string;
    };

export interface AuditChange {
  operation: 'Create' | 'Patch' | 'Delete' | 'Assign' | 'Action';
  /** Collection path of the changed object, e.g. /deviceManagement/deviceConfigurations. */
  collection: string;
  resourceId: string;
  resourceDisplayName: string;
  resourceType: string;
  modified?: Array<{ displayName: string; oldValue: unknown; newValue: unknown }>;
  at?: string;
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Intune's audit component for a collection (the `componentName` / `category` of the event). */
export function auditComponent(collection: string): string {
  const last = collection.split('/').pop() ?? '';
  if (/Compliance/.test(last)) return 'DeviceCompliance';
  if (/mobileApp|AppProtection|ManagedApp|policySets/i.test(last)) return 'Application';
  if (/Enrollment|Autopilot|termsAndConditions|Branding/i.test(last)) return 'Enrollment';
  if (/role/i.test(last)) return 'RoleBasedAccessControl';
  if (/intents/.test(last)) return 'DeviceIntent';
  return 'DeviceConfiguration';
}

/** Only Intune objects are audited in deviceManagement/auditEvents. */
export function isAudited(collection: string): boolean {
  return (
    (collection.startsWith('/deviceManagement/') || collection.startsWith('/deviceAppManagement/')) &&
    collection !== AUDIT_COLLECTION
  );
}

let sequence = 0;

export function recordAudit(store: TenantStore, actor: AuditActor, change: AuditChange): void {
  const component = auditComponent(change.collection);
  const activity = `${change.operation} ${pascal(change.resourceType)}`;
  const at = change.at ?? new Date().toISOString();
  const id = stableGuid('audit', change.resourceId, at, ++sequence);
  const user = actor.kind === 'user';
  const event = store.add(
    AUDIT_COLLECTION,
    newNode('auditEvent', {
      id,
      displayName: activity,
      componentName: component,
      actor: {
        auditActorType: user ? 'ItPro' : 'Application',
        type: user ? 'ItPro' : 'Application',
        userPermissions: ['*'],
        applicationId: user ? 'fc0f3af4-6835-4174-b806-f7db311fd2f3' : actor.applicationId,
        applicationDisplayName: user ? 'Microsoft Intune portal extension' : actor.applicationDisplayName,
        userPrincipalName: user ? actor.userPrincipalName : null,
        servicePrincipalName: user ? null : actor.applicationDisplayName,
        ipAddress: null,
        userId: user ? actor.userId : actor.servicePrincipalId,
        userRoleScopeTags: [{ displayName: 'Default', roleScopeTagId: '0' }],
        remoteTenantId: null,
        remoteUserId: null,
      },
      activity,
      activityDateTime: at,
      activityType: activity,
      activityOperationType: change.operation,
      activityResult: 'Success',
      correlationId: stableGuid('audit-correlation', id),
      resources: [
        {
          displayName: change.resourceDisplayName,
          modifiedProperties: (change.modified ?? []).map((m) => ({
            displayName: m.displayName,
            oldValue: m.oldValue === undefined || m.oldValue === null ? null : JSON.stringify(m.oldValue),
            newValue: m.newValue === undefined || m.newValue === null ? null : JSON.stringify(m.newValue),
          })),
          auditResourceType: pascal(change.resourceType),
          type: pascal(change.resourceType),
          resourceId: change.resourceId,
        },
      ],
      category: component,
    }),
  );
  store.written(AUDIT_COLLECTION, event);
}
