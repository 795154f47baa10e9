import type { CollectionDef } from '../reference/catalogue';
import { recordChange } from '../tenants/audit';
import type { EntityNode } from '../tenants/store';
import { serviceErrors, type SimResponse } from './errors';
import type { GraphCall, GraphDeps } from './types';

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): SimResponse => ({
  status,
  headers: {
    'content-type':
      'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8',
    ...headers,
  },
  body,
});
export const noContent = (): SimResponse => ({ status: 204, headers: {} });

export function contextUrl(deps: GraphDeps, call: GraphCall, suffix = ''): string {
  return `${deps.graphBaseUrl}/${call.version}/$metadata#${call.path.replace(/^\//, '').replace(/\('([^']*)'\)/g, '/$1')}${suffix}`;
}

/**
 * The context of a navigation expanded on an object of the collection `collectionPath`, in the shape real
 * Intune answers carry: `…/$metadata#deviceManagement/configurationPolicies('{id}')/settings`.
 */
export function navContextUrl(deps: GraphDeps, call: GraphCall, collectionPath: string) {
  return (node: EntityNode, nav: string): string =>
    `${deps.graphBaseUrl}/${call.version}/$metadata#${collectionPath.replace(/^\//, '')}('${node.id}')/${nav}`;
}

/** Service principal app role assignments are computed from the app registration's current grants. */
export function badRequest(
  deps: GraphDeps,
  call: GraphCall,
  def: CollectionDef,
  message: string,
  code = 'BadRequest',
): SimResponse {
  return serviceErrors.badRequest(def.service, message, call.ids, call.url, code);
}

/**
 * Every write through Graph reports its changed top-level object here, before its answer is sent: the
 * store's listener (the journal) is told, and an Intune or Entra change is audited with the calling app as
 * the actor. `Delete` means `root` itself was deleted.
 */
export function audit(
  call: GraphCall,
  rootCollection: string,
  root: EntityNode,
  operation: 'Create' | 'Patch' | 'Delete' | 'Assign' | 'Action',
  modified: Array<{ displayName: string; oldValue: unknown; newValue: unknown }> = [],
): void {
  // Every Graph write ends here, audited or not: the changed object goes to the journal first.
  const store = call.principal.tenant.store;
  if (operation === 'Delete') store.removed(rootCollection, root.id);
  else store.written(rootCollection, root);
  const app = call.principal.app;
  recordChange(
    call.principal.tenant.store,
    {
      kind: 'application',
      applicationId: app.clientId,
      applicationDisplayName: app.displayName,
      servicePrincipalId: app.servicePrincipalId,
    },
    {
      operation,
      collection: rootCollection,
      resourceId: root.id,
      resourceDisplayName: String(root.data.displayName ?? root.data.name ?? ''),
      resourceType: root.type,
      modified,
    },
    { delayMs: call.principal.tenant.realism.audit.delaySeconds * 1000 },
  );
}
