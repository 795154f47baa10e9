import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { EntraDirectory } from './entra/directory';
import { SigningKey } from './entra/keys';
import { DEFAULT_GRANTED_PERMISSIONS } from './entra/permissions';
import { issuerFor } from './entra/routes';
import type { GraphDeps, TenantState } from './graph/types';
import { stableGuid } from './ids';
import { Prng } from './prng';
import { FaultInjector } from './realism/faults';
import { RateLimiter } from './realism/rate-limiter';
import { RequestLog } from './realism/request-log';
import { applyRealismPatch, defaultRealism, type RealismPatch } from './realism/settings';
import { Catalogue } from './reference/catalogue';
import { loadGraphReference } from './reference/load';
import { schemasOf } from './reference/schema';
import { buildTenant, CONTOSO_PLAN, FABRIKAM_PLAN, generatedPlan } from './tenants/build';
import { TenantJournal } from './tenants/journal';
import { appServicePrincipal } from './tenants/families/entra';

export type TenantSpec =
  | { name: 'contoso' }
  | { name: 'fabrikam' }
  /** `groups`: groups on top of the objects, no object assigned to them (a large directory). */
  | { name: string; generated: { objects: number; seed: number; groups?: number } };

export interface UserClaimsInput {
  oid: string;
  tid: string;
  name: string;
  preferredUsername: string;
}

export interface RuntimeOptions {
  authorityHost: string;
  graphBaseUrl: string;
  controlUrl: string;
  apiAppId: string;
  tenants: TenantSpec[];
  seed: number;
  realism?: RealismPatch;
  stateDir?: string;
}

const DISPLAY_NAMES: Record<string, string> = { contoso: 'Contoso Ltd', fabrikam: 'Fabrikam Inc' };

/** Everything the simulated Microsoft cloud holds, independent of the HTTP server that serves it. */
export class Runtime implements GraphDeps {
  readonly reference = loadGraphReference();
  readonly schemas = schemasOf(this.reference);
  readonly catalogue = new Catalogue(this.reference);
  readonly directory: EntraDirectory;
  readonly signingKey: SigningKey;
  readonly tenants = new Map<string, TenantState>();
  readonly log = new RequestLog();
  readonly limiter = new RateLimiter();
  readonly graphBaseUrl: string;
  /** Only with `stateDir`: the simulated tenants' writes, replayed on the seed at the next start. */
  private readonly journal: TenantJournal | undefined;

  constructor(readonly options: RuntimeOptions) {
    this.graphBaseUrl = options.graphBaseUrl;
    this.directory = new EntraDirectory(options.seed, options.stateDir);
    this.signingKey = SigningKey.load(options.stateDir);
    for (const spec of options.tenants) this.addTenant(spec);
    // Each tenant is its seed plus every acknowledged write since (docs/decisions/0061-simulated-tenant-journal.md).
    if (options.stateDir) {
      this.journal = TenantJournal.open(path.join(options.stateDir, 'tenants'), [
        ...this.tenants.values(),
      ]).journal;
    }
  }

  /** Closes the tenants' journal (the server stopped). */
  close(): void {
    this.journal?.close();
  }

  private addTenant(spec: TenantSpec): void {
    const generated = 'generated' in spec ? spec.generated : undefined;
    const displayName =
      DISPLAY_NAMES[spec.name] ?? `${spec.name.charAt(0).toUpperCase()}${spec.name.slice(1)} Corp`;
    const entra = this.directory.addTenant(spec.name, displayName);
    const plan = generated
      ? generatedPlan(generated.objects, generated.groups)
      : spec.name === 'fabrikam'
        ? FABRIKAM_PLAN
        : CONTOSO_PLAN;
    const seed = generated?.seed ?? this.options.seed;
    const built = buildTenant(this.reference, this.schemas.beta, entra, {
      seed,
      plan,
      numberedNames: generated !== undefined,
      // Fabrikam shares part of its group names with Contoso and has its own for the rest.
      groupPrefix: spec.name === 'fabrikam' ? 'FAB' : undefined,
      groupNameOffset: spec.name === 'fabrikam' ? 6 : 0,
    });
    const realism = this.options.realism
      ? applyRealismPatch(defaultRealism(seed), this.options.realism)
      : defaultRealism(seed);
    this.tenants.set(entra.tenantId, {
      name: spec.name,
      entra,
      store: built.store,
      plan: built.plan,
      realism,
      faults: new FaultInjector(realism.faults.seed),
      jitter: new Prng(`latency:${spec.name}:${seed}`),
      initial: built.store.snapshot(),
    });
  }

  tenantByName(name: string): TenantState | undefined {
    return [...this.tenants.values()].find((t) => t.name === name || t.entra.tenantId === name);
  }

  resetTenant(tenant: TenantState): void {
    tenant.store.restore(tenant.initial);
    this.journal?.forget(tenant.name);
    const principals = tenant.store.collection('/servicePrincipals');
    for (const app of tenant.entra.apps.values()) {
      if (!principals.has(app.servicePrincipalId))
        principals.set(app.servicePrincipalId, appServicePrincipal(tenant.entra, app));
    }
    tenant.realism = this.options.realism
      ? applyRealismPatch(defaultRealism(tenant.realism.faults.seed), this.options.realism)
      : defaultRealism(tenant.realism.faults.seed);
    tenant.faults.reseed(tenant.realism.faults.seed, true);
    for (const app of tenant.entra.apps.values()) {
      app.granted = new Map(DEFAULT_GRANTED_PERMISSIONS.map((p) => [p, new Date().toISOString()]));
      for (const s of app.secrets) s.endDateTime = new Date(Date.now() + 2 * 365 * 24 * 3600 * 1000);
    }
    this.limiter.reset(tenant.entra.tenantId);
  }

  issuer(entraTenantId: string): string {
    return issuerFor(this.options.authorityHost, entraTenantId);
  }

  /** A v2.0 access token for our API, signed with the key published in the JWKS. */
  async issueUserToken(user: UserClaimsInput, options: { expiresInSeconds?: number } = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + (options.expiresInSeconds ?? 3600);
    // An already-expired token (negative lifetime) was issued before it expired, as a real one would be.
    const issuedAt = exp > now ? now : exp - 3600;
    return this.signingKey.sign({
      aud: this.options.apiAppId,
      iss: this.issuer(user.tid),
      iat: issuedAt,
      nbf: issuedAt,
      exp,
      aio: randomUUID(),
      azp: stableGuid('portal-client', this.options.seed),
      azpacr: '0',
      name: user.name,
      oid: user.oid,
      preferred_username: user.preferredUsername,
      rh: '0.simulated.',
      scp: 'access_as_user',
      sub: stableGuid('sub', user.oid, this.options.apiAppId).replace(/-/g, ''),
      tid: user.tid,
      uti: randomUUID().replace(/-/g, '').slice(0, 22),
      ver: '2.0',
    });
  }

  describe(): Record<string, unknown> {
    return {
      authorityHost: this.options.authorityHost,
      graphBaseUrl: this.options.graphBaseUrl,
      controlUrl: this.options.controlUrl,
      jwksUri: `${this.options.authorityHost}/common/discovery/v2.0/keys`,
      apiAppId: this.options.apiAppId,
      graphScope: 'https://graph.microsoft.com/.default',
      graphClientCustomHosts: [new URL(this.options.graphBaseUrl).hostname],
      tenants: [...this.tenants.values()].map((t) => {
        const app = t.entra.primaryApp;
        const cert = app.certificates[0];
        return {
          name: t.name,
          entraTenantId: t.entra.tenantId,
          clientId: app.clientId,
          clientSecret: app.secrets[0]?.value,
          domain: t.entra.defaultDomain,
          issuer: this.issuer(t.entra.tenantId),
          ...(cert
            ? {
                certificate: {
                  pem: cert.combinedPem,
                  thumbprint: cert.thumbprintSha1,
                  thumbprintSha256: cert.thumbprintSha256,
                },
              }
            : {}),
        };
      }),
    };
  }
}
