import { defineContract } from '../define';
import { GraphPermissions as P } from '../permissions';

const all = { from: 'fixed', platform: 'all' } as const;

/**
 * The two audit logs the change watch reads (docs/watch.md): Intune's for Intune objects, Entra's for
 * Conditional Access and the other Entra policies. Never inventoried. Both are read by time window
 * (`namedFilters.window`, inclusive at both ends), never by the full collection.
 */
export const auditContracts = [
  defineContract({
    key: 'intuneAuditEvents',
    label: 'Intune audit events (change watch)',
    category: 'tenantAdministration',
    role: 'internal',
    apiVersion: 'v1.0',
    collectionPath: '/deviceManagement/auditEvents',
    elementType: 'auditEvent',
    select: [
      'id',
      'displayName',
      'componentName',
      'actor',
      'activity',
      'activityDateTime',
      'activityType',
      'activityOperationType',
      'activityResult',
      'resources',
    ],
    // Graph filters on the time and skips reads (the `Get` operations Intune audits too).
    namedFilters: {
      window:
        "activityDateTime ge {from:datetime} and activityDateTime le {to:datetime} and activityOperationType ne 'Get'",
    },
    platform: all,
    restorable: false,
    // Any DeviceManagement*.Read.All reads it (Graph's auditEvents page); apps is the one the research names.
    permissions: { read: P.appsRead, write: null },
  }),
  defineContract({
    key: 'directoryAudits',
    label: 'Entra directory audit log (change watch)',
    category: 'directory',
    role: 'internal',
    apiVersion: 'v1.0',
    collectionPath: '/auditLogs/directoryAudits',
    elementType: 'directoryAudit',
    namedFilters: {
      window: 'activityDateTime ge {from:datetime} and activityDateTime le {to:datetime}',
    },
    platform: all,
    restorable: false,
    permissions: { read: P.auditLogRead, write: null },
  }),
];

/** The contracts of the audit logs, by the service whose objects they describe. */
export const AUDIT_CONTRACT_KEYS = { intune: 'intuneAuditEvents', entra: 'directoryAudits' } as const;
