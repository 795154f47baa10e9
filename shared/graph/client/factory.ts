import { createHash } from 'node:crypto';
import { Client } from '@microsoft/microsoft-graph-client';
import type { GraphSettings } from '../settings';
import { createTokenCredential, graphScope, type ConnectionCredential } from './credential';
import { GraphClient } from './graph-client';
import { consoleGraphLogger, type GraphLogger } from './logger';
import { AuthenticationMiddleware } from './middleware/authentication';
import { ConcurrencyMiddleware } from './middleware/concurrency';
import { LoggingMiddleware } from './middleware/logging';
import { RetryMiddleware } from './middleware/retry';
import { FetchTransport } from './middleware/transport';
import { TenantLimiters } from './tenant-limiter';

export interface GraphConnection {
  /** The provider connection's id: one client per connection and process. */
  connectionId: string;
  entraTenantId: string;
  clientId: string;
  credential: ConnectionCredential;
}

export interface GraphClientFactoryOptions {
  settings: GraphSettings;
  logger?: GraphLogger;
  /** Shared limiters (tests); by default the factory's own, so one factory per process shares them. */
  limiters?: TenantLimiters;
}

export interface GraphClientFactory {
  /**
   * The connection's client, created on first use and kept for the process (its token cache with it).
   * A credential different from the cached client's (after a rotation) replaces the client.
   */
  forConnection(connection: GraphConnection): GraphClient;
  /** Drops the cached client of a connection (deleted or disabled connection). */
  forget(connectionId: string): void;
}

/** Created once per process by the composition root. */
export function createGraphClientFactory(options: GraphClientFactoryOptions): GraphClientFactory {
  const { settings } = options;
  const logger = options.logger ?? consoleGraphLogger();
  const limiters = options.limiters ?? new TenantLimiters(settings.GRAPH_MAX_CONCURRENCY_PER_TENANT);
  const clients = new Map<string, { identity: string; client: GraphClient }>();

  const create = (connection: GraphConnection): GraphClient => {
    const limiter = limiters.forTenant(connection.entraTenantId);
    const credential = createTokenCredential(
      connection.entraTenantId,
      connection.clientId,
      connection.credential,
      settings,
    );
    const retryPolicy = {
      maxRetries: settings.GRAPH_MAX_RETRIES,
      maxDelayMs: settings.GRAPH_MAX_RETRY_DELAY_MS,
    };
    const logFields = { connectionId: connection.connectionId, entraTenantId: connection.entraTenantId };
    const sdk = Client.initWithMiddleware({
      baseUrl: settings.GRAPH_BASE_URL,
      middleware: [
        new RetryMiddleware(retryPolicy, limiter),
        new AuthenticationMiddleware(credential, graphScope(settings)),
        new ConcurrencyMiddleware(limiter),
        new LoggingMiddleware(logger, logFields),
        new FetchTransport(settings.GRAPH_REQUEST_TIMEOUT_MS),
      ],
    });
    return new GraphClient({
      sdk,
      baseUrl: settings.GRAPH_BASE_URL,
      retryPolicy,
      limiter,
      logger,
      connection: logFields,
    });
  };

  return {
    forConnection(connection) {
      const identity = credentialIdentity(connection);
      const cached = clients.get(connection.connectionId);
      if (cached?.identity === identity) return cached.client;
      const client = create(connection);
      clients.set(connection.connectionId, { identity, client });
      return client;
    },
    forget(connectionId) {
      clients.delete(connectionId);
    },
  };
}

/** Compares credentials without keeping a second copy of the secret: a digest of what identifies them. */
function credentialIdentity(connection: GraphConnection): string {
  const material =
    connection.credential.kind === 'secret'
      ? connection.credential.secret
      : connection.credential.certificatePem;
  const digest = createHash('sha256').update(material).digest('base64url');
  return `${connection.entraTenantId}|${connection.clientId}|${connection.credential.kind}|${digest}`;
}
