import path from 'node:path';
import { stableGuid, stableSecret } from '../ids';
import { appCertificate, type AppCertificate } from './certificates';
import { DEFAULT_GRANTED_PERMISSIONS, GRAPH_APP_ROLES, isKnownPermission } from './permissions';

export interface ClientSecret {
  keyId: string;
  value: string;
  hint: string;
  endDateTime: Date;
}

export interface AppRegistration {
  clientId: string;
  displayName: string;
  applicationObjectId: string;
  servicePrincipalId: string;
  secrets: ClientSecret[];
  certificates: AppCertificate[];
  /** Granted Microsoft Graph application permissions with the time each was granted. */
  granted: Map<string, string>;
}

export interface EntraTenant {
  name: string;
  tenantId: string;
  displayName: string;
  defaultDomain: string;
  graphServicePrincipalId: string;
  apps: Map<string, AppRegistration>;
  primaryApp: AppRegistration;
}

const SECRET_LIFETIME_MS = 2 * 365 * 24 * 3600 * 1000;

/** Tenants and app registrations of the simulated Entra ID; ids and secrets derive from name and seed. */
export class EntraDirectory {
  private readonly byId = new Map<string, EntraTenant>();
  private readonly byName = new Map<string, EntraTenant>();

  constructor(
    private readonly seed: number,
    private readonly stateDir?: string,
  ) {}

  addTenant(name: string, displayName: string): EntraTenant {
    const tenantId = stableGuid('entra-tenant', name, this.seed);
    const defaultDomain = `${name.toLowerCase().replace(/[^a-z0-9]/g, '')}.onmicrosoft.com`;
    const app = this.createApp(name, tenantId, 'TenantAtlas Operations', 'primary');
    const tenant: EntraTenant = {
      name,
      tenantId,
      displayName,
      defaultDomain,
      graphServicePrincipalId: stableGuid('graph-sp', tenantId),
      apps: new Map([[app.clientId, app]]),
      primaryApp: app,
    };
    this.byId.set(tenantId, tenant);
    this.byName.set(name, tenant);
    return tenant;
  }

  /** Registers another app in a tenant (ids and secret derived from tenant, display name and seed). */
  addApp(tenant: EntraTenant, displayName: string): AppRegistration {
    const role = displayName.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const app = this.createApp(tenant.name, tenant.tenantId, displayName, `extra-${role}`);
    tenant.apps.set(app.clientId, app);
    return app;
  }

  private createApp(
    tenantName: string,
    tenantId: string,
    displayName: string,
    role: string,
  ): AppRegistration {
    const clientId = stableGuid('app', tenantName, role, this.seed);
    const certFile = this.stateDir
      ? path.join(this.stateDir, `app-cert-${tenantName}-${role}.json`)
      : undefined;
    const now = new Date().toISOString();
    const value = stableSecret('secret', tenantName, role, this.seed);
    return {
      clientId,
      displayName,
      applicationObjectId: stableGuid('app-object', tenantId, clientId),
      servicePrincipalId: stableGuid('sp', tenantId, clientId),
      secrets: [
        {
          keyId: stableGuid('secret-key', tenantId, clientId),
          value,
          hint: value.slice(0, 3),
          endDateTime: new Date(Date.now() + SECRET_LIFETIME_MS),
        },
      ],
      certificates: [appCertificate(`CN=${displayName} (${tenantName})`, certFile)],
      granted: new Map(DEFAULT_GRANTED_PERMISSIONS.map((p) => [p, now])),
    };
  }

  /** A tenant by Entra tenant id, verified domain or simulator name. */
  resolve(tenantRef: string): EntraTenant | undefined {
    const ref = tenantRef.toLowerCase();
    return (
      this.byId.get(ref) ??
      this.byName.get(tenantRef) ??
      [...this.byId.values()].find((t) => t.defaultDomain === ref || t.name.toLowerCase() === ref)
    );
  }

  byTenantId(tenantId: string): EntraTenant | undefined {
    return this.byId.get(tenantId);
  }

  tenants(): EntraTenant[] {
    return [...this.byId.values()];
  }

  static grant(app: AppRegistration, permission: string): void {
    if (!isKnownPermission(permission)) {
      throw new Error(`unknown permission ${permission}; known: ${Object.keys(GRAPH_APP_ROLES).join(', ')}`);
    }
    if (!app.granted.has(permission)) app.granted.set(permission, new Date().toISOString());
  }

  static revoke(app: AppRegistration, permission: string): boolean {
    return app.granted.delete(permission);
  }
}
