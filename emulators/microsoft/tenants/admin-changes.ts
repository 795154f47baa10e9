import { randomUUID } from 'node:crypto';
import type { TenantState } from '../graph/types';
import { touch } from '../graph/writes';
import { parseTypeRef, type Schema } from '../reference/schema';
import { stableGuid } from '../ids';
import { Prng } from '../prng';
import { displayNameOfUpn, recordChange } from './audit';
import { cloneNode, newNode } from './store';

export interface AdminChangeRequest {
  /** `assign`: replaces the object's assignments (with `assignments`, default: none) and nothing else. */
  action: 'update' | 'create' | 'delete' | 'assign';
  /** Collection path; default: a random Intune policy collection that has objects. */
  collection?: string;
  id?: string;
  count?: number;
  /** UPN of the administrator (default: an admin of the tenant's domain). */
  actor?: string;
  /** Display name of the administrator (default: from the UPN, `adele.vance@…` → `Adele Vance`). */
  actorDisplayName?: string;
  /** Members to set on update (default: a changed description). */
  patch?: Record<string, unknown>;
  /** Assignment objects for `assign` (each needs `target`); ids are assigned. */
  assignments?: Array<Record<string, unknown>>;
  seed?: number;
}

export interface AdminChange {
  action: AdminChangeRequest['action'];
  collection: string;
  id: string;
  displayName: string;
}

const DEFAULT_COLLECTIONS = [
  '/deviceManagement/deviceConfigurations',
  '/deviceManagement/configurationPolicies',
  '/deviceManagement/deviceCompliancePolicies',
  '/deviceManagement/groupPolicyConfigurations',
  '/deviceManagement/deviceManagementScripts',
  '/deviceAppManagement/mobileApps',
];

/**
 * Simulates an administrator working in the portal: objects are changed, copied, deleted or assigned and
 * each change writes an audit record naming the actor: Intune's auditEvents for Intune collections,
 * Entra's directoryAudits for conditional access and the other Entra policies (after the tenant's audit
 * delay, like the real logs).
 */
export function applyAdminChanges(
  schema: Schema,
  tenant: TenantState,
  request: AdminChangeRequest,
): AdminChange[] {
  const prng = new Prng(request.seed ?? Date.now());
  const store = tenant.store;
  const actorUpn = request.actor ?? `megan.bowen@${tenant.entra.defaultDomain}`;
  const actor = {
    kind: 'user' as const,
    userPrincipalName: actorUpn,
    userId: stableGuid('admin', tenant.entra.tenantId, actorUpn),
    displayName: request.actorDisplayName ?? displayNameOfUpn(actorUpn),
  };
  const timing = { delayMs: tenant.realism.audit.delaySeconds * 1000 };
  const out: AdminChange[] = [];
  for (let i = 0; i < (request.count ?? 1); i++) {
    const candidates = request.collection
      ? [request.collection]
      : DEFAULT_COLLECTIONS.filter((c) => store.collection(c).size > 0);
    if (candidates.length === 0) break;
    const collection = prng.pick(candidates);
    const map = store.collection(collection);
    const items = [...map.values()].filter((n) => n.data.isBuiltIn !== true && !/_Default/.test(n.id));
    const node = request.id ? map.get(request.id) : items.length > 0 ? prng.pick(items) : undefined;
    if (!node) throw new Error(`no object ${request.id ?? ''} in ${collection}`);
    const nameKey = 'displayName' in node.data ? 'displayName' : 'name';
    const audit = (
      operation: 'Create' | 'Patch' | 'Delete' | 'Assign',
      target = node,
      modified: Array<{ displayName: string; oldValue: unknown; newValue: unknown }> = [],
    ) =>
      recordChange(
        store,
        actor,
        {
          operation,
          collection,
          resourceId: target.id,
          resourceDisplayName: String(target.data[nameKey] ?? ''),
          resourceType: target.type,
          modified,
        },
        timing,
      );
    if (request.action === 'update') {
      const patch = request.patch ?? { description: `Changed by ${actorUpn} at ${new Date().toISOString()}` };
      const data = { ...node.data };
      const modified = Object.entries(patch).map(([k, v]) => ({
        displayName: k,
        oldValue: data[k],
        newValue: v,
      }));
      Object.assign(data, patch);
      touch(schema, node.type, data);
      node.data = data;
      store.written(collection, node);
      audit('Patch', node, modified);
      out.push({ action: 'update', collection, id: node.id, displayName: String(data[nameKey] ?? '') });
    } else if (request.action === 'create') {
      const copy = cloneNode(node);
      copy.id = randomUUID();
      const now = new Date().toISOString();
      copy.data = { ...copy.data, id: copy.id, [nameKey]: `${String(node.data[nameKey] ?? '')} (copy)` };
      if ('createdDateTime' in copy.data) copy.data.createdDateTime = now;
      touch(schema, copy.type, copy.data);
      for (const [nav, children] of copy.navs) {
        if (nav !== 'assignments') continue;
        copy.navs.set(
          nav,
          new Map(
            [...children].map(([id, c]) => [
              id.replace(node.id, copy.id),
              {
                ...c,
                id: id.replace(node.id, copy.id),
                data: { ...c.data, id: id.replace(node.id, copy.id) },
              },
            ]),
          ),
        );
      }
      map.set(copy.id, copy);
      store.written(collection, copy);
      audit('Create', copy);
      out.push({ action: 'create', collection, id: copy.id, displayName: String(copy.data[nameKey] ?? '') });
    } else if (request.action === 'assign') {
      const nav = schema.navigation(node.type, 'assignments');
      if (!nav) throw new Error(`${collection} has no assignments`);
      const assignmentType = parseTypeRef(nav.type).type;
      const children = new Map(
        (request.assignments ?? []).map((assignment, index) => {
          const id = `${node.id}_${prng.int(1_000_000)}_${index}`;
          return [id, newNode(assignmentType, { ...assignment, id })] as const;
        }),
      );
      node.navs.set('assignments', children);
      store.written(collection, node);
      audit('Assign', node);
      out.push({ action: 'assign', collection, id: node.id, displayName: String(node.data[nameKey] ?? '') });
    } else {
      map.delete(node.id);
      store.removed(collection, node.id);
      audit('Delete');
      out.push({ action: 'delete', collection, id: node.id, displayName: String(node.data[nameKey] ?? '') });
    }
  }
  return out;
}
