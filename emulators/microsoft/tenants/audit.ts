import { stableGuid } from '../ids';
import { newNode, type EntityNode, type TenantStore } from './store';

/** Intune's audit log (`deviceManagement/auditEvents`) and Entra's (`auditLogs/directoryAudits`). */
export const AUDIT_COLLECTION = '/deviceManagement/auditEvents';
export const DIRECTORY_AUDIT_COLLECTION = '/auditLogs/directoryAudits';
export const AUDIT_COLLECTIONS: readonly string[] = [AUDIT_COLLECTION, DIRECTORY_AUDIT_COLLECTION];

export type AuditActor =
  | { kind: 'user'; userPrincipalName: string; userId: string; displayName?: string }
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

/** When a record becomes visible and how long it stays: what the tenant's realism says. */
export interface AuditTiming {
  /** Milliseconds between the change and the record showing up in its log (Graph's audit latency). */
  delayMs: number;
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

/** Entra policy objects (conditional access, named locations, authentication strengths, terms of use). */
export function isDirectoryAudited(collection: string): boolean {
  return (
    collection.startsWith('/identity/') ||
    collection.startsWith('/policies/') ||
    collection.startsWith('/identityGovernance/')
  );
}

/** `adele.vance@contoso.com` → `Adele Vance`: how the simulated administrators are named. */
export function displayNameOfUpn(upn: string): string {
  return (upn.split('@')[0] ?? upn)
    .split(/[._-]+/)
    .filter(Boolean)
    .map(pascal)
    .join(' ');
}

let sequence = 0;

/** Hidden until `delayMs` after the change, like Graph's audit logs, which fill in minutes late. */
function delayed(node: EntityNode, timing?: AuditTiming): EntityNode {
  if (timing && timing.delayMs > 0) node.visibleFrom = Date.now() + timing.delayMs;
  return node;
}

/** Writes the change to the log of its service: Intune's auditEvents or Entra's directoryAudits. */
export function recordChange(
  store: TenantStore,
  actor: AuditActor,
  change: AuditChange,
  timing?: AuditTiming,
): void {
  if (isAudited(change.collection)) recordAudit(store, actor, change, timing);
  else if (isDirectoryAudited(change.collection)) recordDirectoryAudit(store, actor, change, timing);
}

export function recordAudit(
  store: TenantStore,
  actor: AuditActor,
  change: AuditChange,
  timing?: AuditTiming,
): void {
  const component = auditComponent(change.collection);
  const activity = `${change.operation} ${pascal(change.resourceType)}`;
  const at = change.at ?? new Date().toISOString();
  const id = stableGuid('audit', change.resourceId, at, ++sequence);
  const user = actor.kind === 'user';
  const event = store.add(
    AUDIT_COLLECTION,
    delayed(
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
      timing,
    ),
  );
  store.written(AUDIT_COLLECTION, event);
}

/** Entra's activity names: "Add conditional access policy", "Update named location", … */
const ENTRA_NOUNS: Record<string, string> = {
  conditionalAccessPolicy: 'conditional access policy',
  namedLocation: 'named location',
  ipNamedLocation: 'named location',
  countryNamedLocation: 'named location',
  authenticationStrengthPolicy: 'authentication strength policy',
  authenticationContextClassReference: 'authentication context',
  agreement: 'terms of use',
};

/** The `directoryAudit` Entra writes for a policy change (initiatedBy a user or an app). */
export function recordDirectoryAudit(
  store: TenantStore,
  actor: AuditActor,
  change: AuditChange,
  timing?: AuditTiming,
): void {
  const verb = { Create: 'Add', Patch: 'Update', Delete: 'Delete', Assign: 'Update', Action: 'Update' }[
    change.operation
  ];
  const noun = ENTRA_NOUNS[change.resourceType] ?? change.resourceType;
  const at = change.at ?? new Date().toISOString();
  const id = `Directory_${stableGuid('directory-audit', change.resourceId, at, ++sequence)}`;
  const user = actor.kind === 'user';
  const service = /conditionalAccess|authenticationStrength/.test(change.collection)
    ? 'Conditional Access'
    : 'Core Directory';
  const record = store.add(
    DIRECTORY_AUDIT_COLLECTION,
    delayed(
      newNode('directoryAudit', {
        id,
        category: 'Policy',
        correlationId: stableGuid('directory-audit-correlation', id),
        result: 'success',
        resultReason: '',
        activityDisplayName: `${verb} ${noun}`,
        activityDateTime: at,
        loggedByService: service,
        operationType: verb,
        initiatedBy: {
          user: user
            ? {
                id: actor.userId,
                displayName: actor.displayName ?? displayNameOfUpn(actor.userPrincipalName),
                userPrincipalName: actor.userPrincipalName,
                ipAddress: null,
              }
            : null,
          app: user
            ? null
            : {
                appId: actor.applicationId,
                displayName: actor.applicationDisplayName,
                servicePrincipalId: actor.servicePrincipalId,
                servicePrincipalName: actor.applicationDisplayName,
              },
        },
        targetResources: [
          {
            id: change.resourceId,
            displayName: change.resourceDisplayName,
            type: 'Policy',
            userPrincipalName: null,
            groupType: null,
            modifiedProperties: (change.modified ?? []).map((m) => ({
              displayName: m.displayName,
              oldValue: m.oldValue === undefined ? null : JSON.stringify(m.oldValue),
              newValue: m.newValue === undefined ? null : JSON.stringify(m.newValue),
            })),
          },
        ],
      }),
      timing,
    ),
  );
  store.written(DIRECTORY_AUDIT_COLLECTION, record);
}

/**
 * Whether an audit record shows in its log now: not before its arrival delay has passed, and not after
 * the log's retention in days (0: kept for ever).
 */
export function auditVisible(
  collection: string,
  node: EntityNode,
  now: number,
  retentionDays: number,
): boolean {
  if (node.visibleFrom !== undefined && node.visibleFrom > now) return false;
  if (!AUDIT_COLLECTIONS.includes(collection) || retentionDays === 0) return true;
  const at = Date.parse(String(node.data.activityDateTime ?? ''));
  return Number.isNaN(at) || at >= now - retentionDays * 86_400_000;
}
