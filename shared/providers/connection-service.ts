import type { Container } from '@azure/cosmos';
import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit';
import type { Clock } from '../clock';
import type { Principal } from '../auth/token-verifier';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { SecretStore } from '../secrets/secret-store';
import { secretNameFor } from '../secrets/secret-store';
import { readItem, updateWithEtag, withoutSystemFields } from '../store/documents';
import type { ManagedTenant } from '../workspaces/models';
import { actorOf } from '../workspaces/workspace-service';
import {
  connectionView,
  type CredentialInput,
  type ProviderConnection,
  type ProviderConnectionView,
} from './models';
import { parseCertificateCredential, type CertificateFacts } from './certificate';

export interface NewConnection {
  displayName: string;
  entraTenantId: string;
  clientId: string;
  credential: CredentialInput;
  makeDefault?: boolean;
}

/**
 * Microsoft provider connections of a managed tenant. Exactly one is the default, recorded as a
 * pointer on the tenant document, so making another the default is a single conditional write.
 */
export class ConnectionService {
  constructor(
    private readonly tenants: Container,
    private readonly secrets: SecretStore,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async list(tenant: ManagedTenant): Promise<ProviderConnectionView[]> {
    const { resources } = await this.tenants.items
      .query<ProviderConnection>(
        {
          query:
            "SELECT * FROM c WHERE c.workspaceId = @workspaceId AND c.kind = 'providerConnection' AND c.tenantId = @tenantId ORDER BY c.createdAt",
          parameters: [
            { name: '@workspaceId', value: tenant.workspaceId },
            { name: '@tenantId', value: tenant.id },
          ],
        },
        { partitionKey: tenant.workspaceId },
      )
      .fetchAll();
    return resources.map((c) =>
      connectionView(withoutSystemFields(c), tenant.defaultConnectionId, this.clock.now()),
    );
  }

  async get(tenant: ManagedTenant, connectionId: string): Promise<ProviderConnection> {
    const doc = await readItem<ProviderConnection>(this.tenants, connectionId, tenant.workspaceId);
    if (!doc || doc.kind !== 'providerConnection' || doc.tenantId !== tenant.id)
      throw new NotFoundError('The provider connection');
    return withoutSystemFields(doc);
  }

  async create(
    actor: Principal,
    tenant: ManagedTenant,
    input: NewConnection,
  ): Promise<ProviderConnectionView> {
    const id = randomUUID();
    const secretName = secretNameFor('conn', id);
    const certificate = certificateFactsOf(input.credential, this.clock.now()); // before anything is written
    // The secret first: a connection document never points at a credential that is not stored.
    await this.secrets.set(secretName, serializeCredential(input.credential));
    const now = this.clock.now().toISOString();
    const connection: ProviderConnection = {
      id,
      kind: 'providerConnection',
      workspaceId: tenant.workspaceId,
      tenantId: tenant.id,
      provider: 'microsoft',
      displayName: input.displayName,
      entraTenantId: input.entraTenantId.toLowerCase(),
      clientId: input.clientId.toLowerCase(),
      authType: input.credential.authType,
      status: 'connected',
      lastHealthCheck: null,
      credential: {
        secretName,
        updatedAt: now,
        updatedBy: actor.userId,
        ...certificate,
      },
      createdAt: now,
      createdBy: actor.userId,
    };
    try {
      await this.tenants.items.create(connection);
    } catch (error) {
      await this.secrets.delete(secretName).catch(() => undefined);
      throw error;
    }
    const updatedTenant = await this.setDefaultIf(
      tenant,
      id,
      (t) => input.makeDefault === true || t.defaultConnectionId === null,
    );
    await this.record(actor, tenant, 'connection.create', id, {
      displayName: input.displayName,
      entraTenantId: connection.entraTenantId,
      clientId: connection.clientId,
      authType: connection.authType,
      isDefault: updatedTenant.defaultConnectionId === id,
    });
    return connectionView(connection, updatedTenant.defaultConnectionId, this.clock.now());
  }

  async update(
    actor: Principal,
    tenant: ManagedTenant,
    connectionId: string,
    change: { displayName?: string; clientId?: string; status?: 'connected' | 'disabled' },
  ): Promise<ProviderConnectionView> {
    await this.get(tenant, connectionId);
    const updated = await updateWithEtag<ProviderConnection>(
      this.tenants,
      connectionId,
      tenant.workspaceId,
      (c) => ({ ...c, ...change, ...(change.clientId && { clientId: change.clientId.toLowerCase() }) }),
      'The provider connection',
    );
    await this.record(actor, tenant, 'connection.update', connectionId, change);
    return connectionView(withoutSystemFields(updated), tenant.defaultConnectionId, this.clock.now());
  }

  /** Replaces the credential (a new secret value under the same name) and records who did it. */
  async rotateCredential(
    actor: Principal,
    tenant: ManagedTenant,
    connectionId: string,
    credential: CredentialInput,
  ): Promise<ProviderConnectionView> {
    const current = await this.get(tenant, connectionId);
    const certificate = certificateFactsOf(credential, this.clock.now()); // before anything is written
    await this.secrets.set(current.credential.secretName, serializeCredential(credential));
    const updated = await updateWithEtag<ProviderConnection>(
      this.tenants,
      connectionId,
      tenant.workspaceId,
      (c) => ({
        ...c,
        authType: credential.authType,
        credential: {
          secretName: c.credential.secretName,
          updatedAt: this.clock.now().toISOString(),
          updatedBy: actor.userId,
          ...certificate,
        },
      }),
      'The provider connection',
    );
    await this.record(actor, tenant, 'connection.credential_rotate', connectionId, {
      authType: credential.authType,
    });
    return connectionView(withoutSystemFields(updated), tenant.defaultConnectionId, this.clock.now());
  }

  async makeDefault(
    actor: Principal,
    tenant: ManagedTenant,
    connectionId: string,
  ): Promise<ProviderConnectionView> {
    const connection = await this.get(tenant, connectionId);
    const previous = tenant.defaultConnectionId;
    const updated = await this.setDefaultIf(tenant, connectionId, () => true);
    await this.record(actor, tenant, 'connection.make_default', connectionId, { previousDefault: previous });
    return connectionView(connection, updated.defaultConnectionId, this.clock.now());
  }

  /** The default connection cannot be deleted while others exist: make another the default first. */
  async delete(actor: Principal, tenant: ManagedTenant, connectionId: string): Promise<void> {
    const connection = await this.get(tenant, connectionId);
    const others = (await this.list(tenant)).filter((c) => c.id !== connectionId);
    const fresh = await this.freshTenant(tenant);
    if (fresh.defaultConnectionId === connectionId && others.length > 0) {
      throw new ConflictError(
        'default_connection_in_use',
        'This is the default connection of the tenant. Make another connection the default before deleting it.',
        { otherConnectionIds: others.map((c) => c.id) },
      );
    }
    await this.tenants.item(connectionId, tenant.workspaceId).delete();
    await this.secrets.delete(connection.credential.secretName);
    if (fresh.defaultConnectionId === connectionId) {
      await this.setDefaultIf(fresh, null, (t) => t.defaultConnectionId === connectionId);
    }
    await this.record(actor, tenant, 'connection.delete', connectionId, {
      displayName: connection.displayName,
    });
  }

  /** The stored credential, for the Graph pipeline only. */
  async credentialOf(connection: ProviderConnection): Promise<CredentialInput> {
    return JSON.parse(await this.secrets.get(connection.credential.secretName)) as CredentialInput;
  }

  private async setDefaultIf(
    tenant: ManagedTenant,
    connectionId: string | null,
    condition: (t: ManagedTenant) => boolean,
  ): Promise<ManagedTenant> {
    return updateWithEtag<ManagedTenant>(
      this.tenants,
      tenant.id,
      tenant.workspaceId,
      (t) => (condition(t) ? { ...t, defaultConnectionId: connectionId } : undefined),
      'The managed tenant',
    );
  }

  private async freshTenant(tenant: ManagedTenant): Promise<ManagedTenant> {
    const doc = await readItem<ManagedTenant>(this.tenants, tenant.id, tenant.workspaceId);
    if (!doc) throw new NotFoundError('The managed tenant');
    return doc;
  }

  private record(
    actor: Principal,
    tenant: ManagedTenant,
    action: string,
    connectionId: string,
    metadata: object,
  ) {
    return this.audit.record({
      workspaceId: tenant.workspaceId,
      tenantId: tenant.id,
      actor: actorOf(actor),
      action,
      target: { type: 'providerConnection', id: connectionId },
      outcome: 'success',
      metadata: { ...metadata },
    });
  }

  /** The connection remembers its last health check: `{status, checkedAt, reasonCode}`, and its status follows it. */
  async recordHealthCheck(
    run: { workspaceId: string },
    connection: ProviderConnection,
    check: { status: 'succeeded' | 'failed'; reasonCode: string | null },
  ): Promise<void> {
    await updateWithEtag<ProviderConnection>(
      this.tenants,
      connection.id,
      run.workspaceId,
      (current) => ({
        ...current,
        lastHealthCheck: { ...check, checkedAt: this.clock.now().toISOString() },
        status:
          current.status === 'disabled'
            ? 'disabled'
            : check.status === 'succeeded'
              ? 'connected'
              : check.reasonCode === 'provider_permission_denied'
                ? 'needs_consent'
                : 'error',
      }),
      'The provider connection',
    );
  }
}

/** The thumbprint and validity of a certificate credential (already checked by the input schema). */
function certificateFactsOf(credential: CredentialInput, now: Date): { certificate?: CertificateFacts } {
  if (credential.authType !== 'certificate') return {};
  const parsed = parseCertificateCredential(credential.certificatePem, credential.privateKeyPem, now);
  // The input schema has parsed it already; what is left to fail here is the expiry, by the clock.
  if (!parsed.ok) {
    throw new ValidationError('The request body is invalid.', [
      { path: `body.credential.${parsed.field}`, message: parsed.message },
    ]);
  }
  return { certificate: parsed.facts };
}

function serializeCredential(credential: CredentialInput): string {
  return JSON.stringify(credential);
}
