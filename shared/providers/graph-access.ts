import { AppError } from '../errors';
import type { GraphClient, ConnectionCredential, GraphClientFactory } from '../graph';
import type { WorkspaceService } from '../workspaces/workspace-service';
import type { ConnectionService } from './connection-service';
import type { ProviderConnection } from './models';

export class ProviderNotConfiguredError extends AppError {
  readonly status = 409;
  readonly code = 'provider_not_configured';
  override readonly reasonCode = 'provider_not_configured';
}

/** The Graph client of a run's connection (the one it names, else the tenant's default). */
export type GraphForRun = (run: {
  workspaceId: string;
  tenantId: string;
  context: Record<string, unknown>;
}) => Promise<{ client: GraphClient; connection: ProviderConnection }>;

export function createGraphAccess(deps: {
  workspaces: WorkspaceService;
  connections: ConnectionService;
  graph: GraphClientFactory;
}): GraphForRun {
  const { workspaces, connections, graph } = deps;
  return async (run) => {
    const tenant = await workspaces.getTenant(run.workspaceId, run.tenantId);
    const connectionId = (run.context.connectionId as string | undefined) ?? tenant?.defaultConnectionId;
    if (!tenant || !connectionId)
      throw new ProviderNotConfiguredError('The tenant has no provider connection.');
    const connection = await connections.get(tenant, connectionId).catch(() => undefined);
    if (!connection) throw new ProviderNotConfiguredError('The provider connection does not exist.');
    if (connection.status === 'disabled')
      throw new ProviderNotConfiguredError('The provider connection is disabled.');
    const stored = await connections.credentialOf(connection);
    const credential: ConnectionCredential =
      stored.authType === 'client_secret'
        ? { kind: 'secret', secret: stored.clientSecret }
        : { kind: 'certificate', certificatePem: stored.certificatePem, privateKeyPem: stored.privateKeyPem };
    const client = graph.forConnection({
      connectionId: connection.id,
      entraTenantId: connection.entraTenantId,
      clientId: connection.clientId,
      credential,
    });
    return { client, connection };
  };
}
