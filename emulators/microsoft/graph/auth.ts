import { decodeJwt, verifyJwtSignature } from '../entra/jwt';
import { MICROSOFT_GRAPH_APP_ID } from '../entra/permissions';
import { graphError, type RequestIds, type SimResponse } from './errors';
import type { GraphDeps, Principal } from './types';

export const GRAPH_AUDIENCES = [
  'https://graph.microsoft.com',
  'https://graph.microsoft.com/',
  MICROSOFT_GRAPH_APP_ID,
];

const unauthorized = (message: string, ids: RequestIds): SimResponse =>
  graphError(401, 'InvalidAuthenticationToken', message, ids, {
    'WWW-Authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="${MICROSOFT_GRAPH_APP_ID}"`,
  });

/** Tokens whose signature was already checked (signature checks dominate the cost of small requests). */
const verified = new Map<string, Record<string, unknown>>();

/** Validates the bearer token like Graph: signature (simulated Entra key), audience, lifetime, tenant, app. */
export function authenticate(
  deps: GraphDeps,
  authorization: string | undefined,
  ids: RequestIds,
): Principal | SimResponse {
  const token = authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
  if (!token) return unauthorized('Access token is empty.', ids);
  const cacheKey = `${deps.signingKey.kid}:${token}`;
  let claims = verified.get(cacheKey);
  if (!claims) {
    const jwt = decodeJwt(token);
    if (!jwt) return unauthorized('IDX14100: JWT is not well formed, there are no dots (.).', ids);
    if (!verifyJwtSignature(jwt, deps.signingKey.publicKey)) {
      return unauthorized('Access token validation failure.', ids);
    }
    claims = jwt.claims;
    if (verified.size >= 1000) verified.delete(verified.keys().next().value!);
    verified.set(cacheKey, claims);
  }
  const { aud, exp, nbf, tid, appid, roles } = claims;
  if (typeof aud !== 'string' || !GRAPH_AUDIENCES.includes(aud))
    return unauthorized('Access token validation failure. Invalid audience.', ids);
  const now = Math.floor(Date.now() / 1000);
  if (typeof exp !== 'number' || exp <= now)
    return unauthorized('Lifetime validation failed, the token is expired.', ids);
  if (typeof nbf === 'number' && nbf > now + 300)
    return unauthorized('Lifetime validation failed, the token is not yet valid.', ids);
  const tenant = typeof tid === 'string' ? deps.tenants.get(tid) : undefined;
  const app = tenant && typeof appid === 'string' ? tenant.entra.apps.get(appid) : undefined;
  if (!tenant || !app)
    return unauthorized('Access token validation failure. Invalid tenant or application.', ids);
  return { tenant, app, tokenRoles: Array.isArray(roles) ? roles.map(String) : [] };
}

/** The permissions Graph considers granted: the app registration's grants now (`live`) or the token's roles. */
export function effectivePermissions(principal: Principal): Set<string> {
  if (principal.tenant.realism.permissionCheck === 'token') return new Set(principal.tokenRoles);
  return new Set(principal.app.granted.keys());
}
