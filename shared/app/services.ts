import { AuditLog } from '../audit/audit';
import { createTokenVerifier, type TokenVerifier } from '../auth/token-verifier';
import { getConfig } from '../config';
import { ConnectionService } from '../providers/connection-service';
import { KeyVaultSecretStore } from '../secrets/key-vault';
import { LocalFileSecretStore } from '../secrets/local-file';
import type { SecretStore } from '../secrets/secret-store';
import { container } from '../store/cosmos';
import { WorkspaceService } from '../workspaces/workspace-service';
import { createGraphClientFactory, type GraphClientFactory } from '../graph';
import { RunLifecycle } from '../operations/lifecycle';
import { RunStore } from '../operations/run-store';
import { OperationsService } from '../operations/service';
import { createLive } from '../live/compose';
import type { RunFanOut } from '../live/fan-out';
import type { LiveService } from '../live/live-service';
import { NotificationStore } from '../notifications/store';
import { createPageTokenCodec, type PageTokenCodec } from '../api/page-token';

export interface Services {
  verifyToken: TokenVerifier;
  audit: AuditLog;
  workspaces: WorkspaceService;
  connections: ConnectionService;
  secrets: SecretStore;
  runs: RunStore;
  lifecycle: RunLifecycle;
  operations: OperationsService;
  graph: GraphClientFactory;
  notifications: NotificationStore;
  live: LiveService;
  runFanOut: RunFanOut;
  pageTokens: PageTokenCodec;
}

let services: Services | undefined;

/** The composition root: SDK clients and services, created once per process on first use. */
export function getServices(): Services {
  if (!services) {
    const config = getConfig();
    const audit = new AuditLog(container('audit'));
    const secrets: SecretStore =
      config.SECRET_STORE === 'keyvault'
        ? new KeyVaultSecretStore(config.KEY_VAULT_URI!)
        : new LocalFileSecretStore(config.LOCAL_SECRET_STORE_FILE!, config.LOCAL_SECRET_STORE_KEY!);
    const runs = new RunStore(container('runs'), container('runLocks'));
    const lifecycle = new RunLifecycle(runs);
    const workspaces = new WorkspaceService(
      {
        workspaces: container('workspaces'),
        memberships: container('memberships'),
        tenants: container('tenants'),
      },
      audit,
    );
    const notifications = new NotificationStore(container('notifications'));
    services = {
      verifyToken: createTokenVerifier({
        audiences: config.AUTH_AUDIENCES,
        issuers: config.AUTH_ISSUERS,
        jwksUri: config.AUTH_JWKS_URI,
      }),
      audit,
      secrets,
      workspaces,
      connections: new ConnectionService(container('tenants'), secrets, audit),
      runs,
      lifecycle,
      operations: new OperationsService({ runs, lifecycle, audit, workspaces }),
      graph: createGraphClientFactory({ settings: config }),
      notifications,
      pageTokens: createPageTokenCodec(config.CONTINUATION_TOKEN_KEY),
      ...createLive({ hub: config.SIGNALR_HUB, workspaces, notifications }),
    };
  }
  return services;
}
