import { getServices } from '../app/services';
import { NotFoundError } from '../errors';
import type { ManagedTenant } from './models';

/** A tenant of the workspace the caller was authorized in; any other id "does not exist". */
export async function requireTenant(workspaceId: string, tenantId: string): Promise<ManagedTenant> {
  const tenant = await getServices().workspaces.getTenant(workspaceId, tenantId);
  if (!tenant) throw new NotFoundError('The managed tenant');
  return tenant;
}
