import { AuditLog } from '../audit/audit';
import { createTokenVerifier, type TokenVerifier } from '../auth/token-verifier';
import { getConfig } from '../config';
import { ConnectionService } from '../providers/connection-service';
import { KeyVaultSecretStore } from '../secrets/key-vault';
import { LocalFileSecretStore } from '../secrets/local-file';
import type { SecretStore } from '../secrets/secret-store';
import { container } from '../store/cosmos';
import { WorkspaceService } from '../workspaces/workspace-service';

export interface Services {
  verifyToken: TokenVerifier;
  audit: AuditLog;
  workspaces: WorkspaceService;
  connections: ConnectionService;
  secrets: SecretStore;
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
    services = {
      verifyToken: createTokenVerifier({
        audiences: config.AUTH_AUDIENCES,
        issuers: config.AUTH_ISSUERS,
        jwksUri: config.AUTH_JWKS_URI,
      }),
      audit,
      secrets,
      workspaces: new WorkspaceService(
        {
          workspaces: container('workspaces'),
          memberships: container('memberships'),
          tenants: container('tenants'),
        },
        audit,
      ),
      connections: new ConnectionService(container('tenants'), secrets, audit),
    };
  }
  return services;
}
