import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { UnauthenticatedError } from '../errors';

/** Who is calling: the token's object id is the user id everywhere in the app. */
export interface Principal {
  userId: string;
  /** The Entra tenant of the user (token `tid`). */
  homeTenantId: string;
  displayName: string;
  username: string;
}

export interface TokenVerifierOptions {
  /** Accepted `aud` values (the API's app id and/or its application ID URI). */
  audiences: string[];
  /** Accepted issuers; `{tenantid}` matches the token's own `tid` (multi-tenant Entra apps). */
  issuers: string[];
  jwksUri: string;
  clockToleranceSeconds?: number;
}

export type TokenVerifier = (authorization: string | null | undefined) => Promise<Principal>;

/**
 * Validates Entra ID access tokens: RS256 signature against the JWKS (keys cached, refetched when an
 * unknown `kid` appears, i.e. after a key rotation), audience, issuer, expiry and not-before. Every
 * failure becomes the same 401: the caller learns nothing about why.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const jwks = createRemoteJWKSet(new URL(options.jwksUri), {
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
  });
  return async (authorization) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!token) throw new UnauthenticatedError();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        algorithms: ['RS256'],
        audience: options.audiences,
        clockTolerance: options.clockToleranceSeconds ?? 60,
        requiredClaims: ['exp', 'iss', 'aud', 'oid', 'tid'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError || error instanceof TypeError)
        throw new UnauthenticatedError({ cause: error });
      throw error;
    }
    const tenantId = String(payload.tid);
    const issuerAccepted = options.issuers.some(
      (issuer) => issuer.replace('{tenantid}', tenantId) === payload.iss,
    );
    if (!issuerAccepted) throw new UnauthenticatedError();
    return {
      userId: String(payload.oid),
      homeTenantId: tenantId,
      displayName: typeof payload.name === 'string' ? payload.name : String(payload.oid),
      username: typeof payload.preferred_username === 'string' ? payload.preferred_username : '',
    };
  };
}
