import { randomUUID } from 'node:crypto';
import type { SimResponse } from '../graph/errors';
import type { AppRegistration, EntraDirectory, EntraTenant } from './directory';
import { aadsts } from './errors';
import { decodeJwt, verifyJwtSignature } from './jwt';
import type { SigningKey } from './keys';

export interface EntraDeps {
  directory: EntraDirectory;
  signingKey: SigningKey;
  authorityHost: string;
  graphBaseUrl: string;
  apiAppId: string;
}

const ok = (body: unknown, headers: Record<string, string> = {}): SimResponse => ({
  status: 200,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store, no-cache',
    ...headers,
  },
  body,
});

export const GRAPH_TOKEN_LIFETIME_SECONDS = 3599;

/** The v2.0 issuer of a tenant (what our API accepts in user tokens). */
export function issuerFor(authorityHost: string, tenantId: string): string {
  return `${authorityHost}/${tenantId}/v2.0`;
}

function openIdConfiguration(
  deps: EntraDeps,
  tenant: EntraTenant | undefined,
  tenantRef: string,
  v2: boolean,
): unknown {
  const id = tenant?.tenantId ?? '{tenantid}';
  const base = `${deps.authorityHost}/${tenant ? tenant.tenantId : tenantRef}`;
  return {
    token_endpoint: `${base}/oauth2/${v2 ? 'v2.0/' : ''}token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/${v2 ? 'v2.0/' : ''}keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: v2 ? issuerFor(deps.authorityHost, id) : `${deps.authorityHost}/${id}/`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${deps.graphBaseUrl}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/${v2 ? 'v2.0/' : ''}authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/${v2 ? 'v2.0/' : ''}logout`,
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: new URL(deps.graphBaseUrl).host,
    rbac_url: 'https://pas.windows.net',
  };
}

/** Handles every Entra path: OpenID metadata, JWKS, instance discovery and the token endpoint. */
export function handleEntra(
  deps: EntraDeps,
  method: string,
  path: string,
  query: URLSearchParams,
  form: URLSearchParams,
): SimResponse {
  const parts = path.split('/').filter(Boolean);
  const tenantRef = parts[0] ?? '';
  const rest = parts.slice(1).join('/');
  const correlationId = query.get('client-request-id') ?? form.get('client-request-id') ?? undefined;
  if (method === 'GET' && (rest === 'discovery/instance' || rest === 'discovery/v2.0/instance')) {
    const host = new URL(deps.authorityHost).host;
    return ok({
      tenant_discovery_endpoint: `${deps.authorityHost}/${tenantRef}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  }
  const common = ['common', 'organizations', 'consumers'].includes(tenantRef.toLowerCase());
  const tenant = common ? undefined : deps.directory.resolve(tenantRef);
  if (!common && !tenant) return aadsts.tenantNotFound(tenantRef, correlationId);
  if (method === 'GET') {
    if (rest === 'v2.0/.well-known/openid-configuration')
      return ok(openIdConfiguration(deps, tenant, tenantRef, true));
    if (rest === '.well-known/openid-configuration')
      return ok(openIdConfiguration(deps, tenant, tenantRef, false));
    if (rest === 'discovery/v2.0/keys' || rest === 'discovery/keys') return ok(deps.signingKey.jwks());
  }
  if (method === 'POST' && (rest === 'oauth2/v2.0/token' || rest === 'oauth2/token')) {
    if (!tenant)
      return aadsts.unsupportedGrant('client_credentials on a multi-tenant authority', correlationId);
    return token(deps, tenant, form, correlationId, rest === 'oauth2/token');
  }
  return { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not found' };
}

function token(
  deps: EntraDeps,
  tenant: EntraTenant,
  form: URLSearchParams,
  correlationId: string | undefined,
  v1: boolean,
): SimResponse {
  const grant = form.get('grant_type');
  if (!grant) return aadsts.missingParameter('grant_type', correlationId);
  if (grant !== 'client_credentials') return aadsts.unsupportedGrant(grant, correlationId);
  const clientId = form.get('client_id');
  if (!clientId) return aadsts.missingParameter('client_id', correlationId);
  const app = tenant.apps.get(clientId);
  if (!app) return aadsts.unknownClient(clientId, tenant.displayName, correlationId);
  const credentialProblem = checkCredential(deps, tenant, app, form, correlationId);
  if (credentialProblem) return credentialProblem;
  const resource = v1 ? (form.get('resource') ?? '') : scopeResource(form.get('scope') ?? '');
  if (resource === undefined) return aadsts.invalidScope(form.get('scope') ?? '', correlationId);
  const audience = audienceFor(deps, resource);
  if (!audience) return aadsts.unknownResource(resource, tenant.defaultDomain, correlationId);
  const now = Math.floor(Date.now() / 1000);
  const graph = audience === 'https://graph.microsoft.com';
  const claims: Record<string, unknown> = {
    aud: audience,
    iss: graph ? `${deps.authorityHost}/${tenant.tenantId}/` : issuerFor(deps.authorityHost, tenant.tenantId),
    iat: now,
    nbf: now,
    exp: now + GRAPH_TOKEN_LIFETIME_SECONDS,
    aio: randomUUID(),
    app_displayname: app.displayName,
    appid: app.clientId,
    appidacr: form.get('client_assertion') ? '2' : '1',
    idp: `${deps.authorityHost}/${tenant.tenantId}/`,
    idtyp: 'app',
    oid: app.servicePrincipalId,
    rh: '0.simulated.',
    roles: graph ? [...app.granted.keys()].sort() : [],
    sub: app.servicePrincipalId,
    tenant_region_scope: 'EU',
    tid: tenant.tenantId,
    uti: randomUUID().replace(/-/g, '').slice(0, 22),
    ver: graph ? '1.0' : '2.0',
    xms_tcdt: 1700000000,
  };
  if (!graph) {
    delete claims.appid;
    claims.azp = app.clientId;
    claims.azpacr = claims.appidacr;
    delete claims.appidacr;
  }
  return ok({
    token_type: 'Bearer',
    expires_in: GRAPH_TOKEN_LIFETIME_SECONDS,
    ext_expires_in: GRAPH_TOKEN_LIFETIME_SECONDS,
    access_token: deps.signingKey.sign(claims),
  });
}

/** `https://graph.microsoft.com/.default` → `https://graph.microsoft.com`; undefined when not a /.default scope. */
function scopeResource(scope: string): string | undefined {
  const first = scope.split(' ').find((s) => s.endsWith('/.default'));
  return first ? first.slice(0, -'/.default'.length) : undefined;
}

function audienceFor(deps: EntraDeps, resource: string): string | undefined {
  const r = resource.replace(/\/$/, '');
  if (
    r === 'https://graph.microsoft.com' ||
    r === '00000003-0000-0000-c000-000000000000' ||
    r === deps.graphBaseUrl
  ) {
    return 'https://graph.microsoft.com';
  }
  if (r === deps.apiAppId || r === `api://${deps.apiAppId}`) return deps.apiAppId;
  return undefined;
}

function checkCredential(
  deps: EntraDeps,
  tenant: EntraTenant,
  app: AppRegistration,
  form: URLSearchParams,
  c?: string,
): SimResponse | undefined {
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (secret !== null) {
    const match = app.secrets.find((s) => s.value === secret);
    if (!match) return aadsts.wrongSecret(app.clientId, c);
    if (match.endDateTime.getTime() <= Date.now()) return aadsts.expiredSecret(app.clientId, c);
    return undefined;
  }
  if (assertion !== null) {
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return aadsts.missingParameter('client_assertion_type', c);
    }
    const jwt = decodeJwt(assertion);
    if (!jwt) return aadsts.assertionSignature(c);
    const s256 =
      typeof jwt.header['x5t#S256'] === 'string'
        ? Buffer.from(jwt.header['x5t#S256'], 'base64url').toString('hex').toUpperCase()
        : undefined;
    const s1 =
      typeof jwt.header.x5t === 'string'
        ? Buffer.from(jwt.header.x5t, 'base64url').toString('hex').toUpperCase()
        : undefined;
    const cert = app.certificates.find((k) => k.thumbprintSha256 === s256 || k.thumbprintSha1 === s1);
    if (!cert) return aadsts.assertionCertificateUnknown(c);
    if (!verifyJwtSignature(jwt, cert.publicKey)) return aadsts.assertionSignature(c);
    const { aud, iss, sub, exp, nbf } = jwt.claims as Record<string, unknown>;
    if (iss !== app.clientId || sub !== app.clientId) return aadsts.assertionIssuer(c);
    const audiences = [
      `${deps.authorityHost}/${tenant.tenantId}/oauth2/v2.0/token`,
      `${deps.authorityHost}/${tenant.tenantId}/oauth2/token`,
      `${deps.authorityHost}/${tenant.defaultDomain}/oauth2/v2.0/token`,
      `${deps.authorityHost}/${tenant.tenantId}/v2.0`,
    ];
    if (typeof aud !== 'string' || !audiences.includes(aud)) return aadsts.assertionAudience(c);
    const now = Math.floor(Date.now() / 1000);
    if (typeof exp !== 'number' || exp < now - 300 || (typeof nbf === 'number' && nbf > now + 300))
      return aadsts.assertionExpired(c);
    return undefined;
  }
  return aadsts.missingCredential(c);
}
