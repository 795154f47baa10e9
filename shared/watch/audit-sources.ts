import { getContract, type GraphClient, type GraphCorrelation, type GraphObject } from '../graph';
import type { ChangedBy } from '../inventory';
import { AUDIT_CONTRACT_KEYS } from '../graph/contracts/data/audit';
import type { AuditOperation, AuditSource } from './model';

/** One audit record, read from either log, in the watch's words. */
export interface AuditRecord {
  source: AuditSource;
  id: string;
  at: string;
  operation: AuditOperation;
  activity: string;
  /** Intune's `componentName`, Entra's `loggedByService`: which family the objects belong to. */
  component: string;
  resources: Array<{ id: string; type: string }>;
  changedBy: ChangedBy;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const obj = (value: unknown): GraphObject =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as GraphObject) : {};
const list = (value: unknown): GraphObject[] => (Array.isArray(value) ? (value as GraphObject[]) : []);

const INTUNE_OPERATIONS: Record<string, AuditOperation> = {
  create: 'create',
  patch: 'update',
  update: 'update',
  delete: 'delete',
  assign: 'assign',
};

/** An Intune auditEvent: the ItPro actor by UPN, else the app (IntuneCD reads it the same way). */
export function fromIntuneEvent(event: GraphObject): AuditRecord {
  const actor = obj(event.actor);
  const upn = str(actor.userPrincipalName);
  const changedBy: ChangedBy =
    upn !== ''
      ? { kind: 'user', userPrincipalName: upn, displayName: upn }
      : str(actor.applicationId) !== ''
        ? {
            kind: 'app',
            appId: str(actor.applicationId),
            displayName: str(actor.applicationDisplayName) || str(actor.servicePrincipalName),
          }
        : { kind: 'unknown', reason: 'audit_record_without_actor' };
  return {
    source: 'intune',
    id: str(event.id),
    at: str(event.activityDateTime),
    operation: INTUNE_OPERATIONS[str(event.activityOperationType).toLowerCase()] ?? 'other',
    activity: str(event.activity) || str(event.displayName),
    component: str(event.componentName),
    resources: list(event.resources)
      .map((r) => ({ id: str(r.resourceId), type: str(r.auditResourceType) || str(r.type) }))
      .filter((r) => r.id !== ''),
    changedBy,
  };
}

const ENTRA_OPERATIONS: Record<string, AuditOperation> = {
  add: 'create',
  update: 'update',
  delete: 'delete',
};

/** An Entra directoryAudit: `initiatedBy.user` (with its display name) or `initiatedBy.app`. */
export function fromDirectoryAudit(audit: GraphObject): AuditRecord {
  const initiatedBy = obj(audit.initiatedBy);
  const user = obj(initiatedBy.user);
  const app = obj(initiatedBy.app);
  const changedBy: ChangedBy =
    str(user.userPrincipalName) !== ''
      ? {
          kind: 'user',
          userPrincipalName: str(user.userPrincipalName),
          displayName: str(user.displayName) || str(user.userPrincipalName),
        }
      : str(app.appId) !== ''
        ? { kind: 'app', appId: str(app.appId), displayName: str(app.displayName) }
        : { kind: 'unknown', reason: 'audit_record_without_actor' };
  return {
    source: 'entra',
    id: str(audit.id),
    at: str(audit.activityDateTime),
    operation: ENTRA_OPERATIONS[str(audit.operationType).toLowerCase()] ?? 'other',
    activity: str(audit.activityDisplayName),
    component: str(audit.loggedByService),
    resources: list(audit.targetResources)
      .map((r) => ({ id: str(r.id), type: str(r.type) }))
      .filter((r) => r.id !== ''),
    changedBy,
  };
}

export interface AuditRead {
  records: AuditRecord[];
  byService: Record<AuditSource, number>;
  /** Pages requested (one per log for a quiet tenant). */
  requests: number;
}

/**
 * Both audit logs between `from` and `to` (inclusive; reads skipped by Graph's filter), page by page.
 * A source that answers 403 throws (`provider_permission_denied`): the watch needs both.
 */
export async function readAuditLogs(
  client: GraphClient,
  window: { from: string; to: string },
  options: { correlation: GraphCorrelation; signal?: AbortSignal },
): Promise<AuditRead> {
  const out: AuditRead = { records: [], byService: { intune: 0, entra: 0 }, requests: 0 };
  const sources: Array<[AuditSource, string, (item: GraphObject) => AuditRecord]> = [
    ['intune', AUDIT_CONTRACT_KEYS.intune, fromIntuneEvent],
    ['entra', AUDIT_CONTRACT_KEYS.entra, fromDirectoryAudit],
  ];
  for (const [source, key, parse] of sources) {
    const pages = client.listPages(getContract(key), {
      ...options,
      namedFilter: { name: 'window', params: window },
      top: 999,
    });
    for await (const page of pages) {
      out.requests++;
      for (const item of page.items) {
        out.records.push(parse(item));
        out.byService[source]++;
      }
    }
  }
  return out;
}
