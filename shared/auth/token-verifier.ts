import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { Clock } from '../clock';
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
  /** Where "now" comes from for a remembered token's expiry (jose checks a fresh token's itself). */
  clock: Clock;
}

export type TokenVerifier = (authorization: string | null | undefined) => Promise<Principal>;

/** Tokens whose verification is remembered (a client sends the same token with every request). */
const VERIFIED_TOKENS = 1_000;

interface Verified {
  principal: Principal;
  /** Until when the token is accepted: its `exp` plus the clock tolerance, in ms. */
  acceptedUntil: number;
}

/**
 * Validates Entra ID access tokens: RS256 signature against the JWKS (keys cached, refetched when an
 * unknown `kid` appears, i.e. after a key rotation), audience, issuer, expiry and not-before. Every
 * failure becomes the same 401: the caller learns nothing about why.
 *
 * A token that passed is remembered until it expires (the last 1,000), so the RSA signature of a
 * client's token is checked once, not on every request: a burst of requests with one token verifies it
 * once (requests that come while it is being verified wait for that verification). Expiry is checked
 * on every request. Like any validation of a self-contained token, this does not see a revocation
 * before `exp`; a token signed by a key removed from the JWKS stays accepted until then.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const jwks = createRemoteJWKSet(new URL(options.jwksUri), {
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
  });
  const toleranceSeconds = options.clockToleranceSeconds ?? 60;
  const verified = new Map<string, Promise<Verified>>();
  return async (authorization) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!token) throw new UnauthenticatedError();
    let verification = verified.get(token);
    if (!verification) {
      verification = verify(token, jwks, options, toleranceSeconds);
      verified.set(token, verification);
      if (verified.size > VERIFIED_TOKENS) verified.delete(verified.keys().next().value!);
      verification.catch(() => verified.delete(token));
    }
    const { principal, acceptedUntil } = await verification;
    if (options.clock.now().getTime() > acceptedUntil) {
      verified.delete(token);
      throw new UnauthenticatedError();
    }
    return { ...principal };
  };
}

async function verify(
  token: string,
  jwks: ReturnType<typeof createRemoteJWKSet>,
  options: TokenVerifierOptions,
  toleranceSeconds: number,
): Promise<Verified> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, jwks, {
      algorithms: ['RS256'],
      audience: options.audiences,
      clockTolerance: toleranceSeconds,
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
  const principal = {
    userId: String(payload.oid),
    homeTenantId: tenantId,
    displayName: typeof payload.name === 'string' ? payload.name : String(payload.oid),
    username: typeof payload.preferred_username === 'string' ? payload.preferred_username : '',
  };
  return { principal, acceptedUntil: (payload.exp! + toleranceSeconds) * 1000 };
}
