import { createHmac, timingSafeEqual } from 'node:crypto';

/** The claims Azure SignalR Service reads from a client access token; `nameid` carries the userId. */
export interface AccessTokenClaims {
  aud: string;
  iat: number;
  nbf: number;
  exp: number;
  nameid?: string;
}

export class InvalidAccessTokenError extends Error {
  override readonly name = 'InvalidAccessTokenError';
}

const HEADER = base64UrlJson({ alg: 'HS256', typ: 'JWT' });

export function signAccessToken(claims: AccessTokenClaims, accessKey: string): string {
  const unsigned = `${HEADER}.${base64UrlJson(claims)}`;
  return `${unsigned}.${hmac(unsigned, accessKey).toString('base64url')}`;
}

export function createAccessToken(options: {
  audience: string;
  accessKey: string;
  userId?: string;
  ttlSeconds: number;
}): string {
  const now = nowSeconds();
  const claims: AccessTokenClaims = {
    aud: options.audience,
    iat: now,
    nbf: now,
    exp: now + options.ttlSeconds,
  };
  if (options.userId) claims.nameid = options.userId;
  return signAccessToken(claims, options.accessKey);
}

/** Checks signature, audience (case-insensitively) and lifetime; throws InvalidAccessTokenError otherwise. */
export function verifyAccessToken(token: string, accessKey: string, audience: string): AccessTokenClaims {
  const [header, payload, signature, ...extra] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined || extra.length > 0) {
    throw new InvalidAccessTokenError('The access token is not a JWT.');
  }
  if (decodeJson(header)?.alg !== 'HS256') {
    throw new InvalidAccessTokenError('The access token must use HS256.');
  }
  const expected = hmac(`${header}.${payload}`, accessKey);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new InvalidAccessTokenError('The access token is not signed with this AccessKey.');
  }
  const claims = decodeJson(payload);
  if (!claims) throw new InvalidAccessTokenError('The access token payload is not JSON.');
  const audiences: unknown[] = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const wanted = audience.toLowerCase();
  if (!audiences.some((aud) => typeof aud === 'string' && aud.toLowerCase() === wanted)) {
    throw new InvalidAccessTokenError(`The access token's audience is not ${audience}.`);
  }
  const now = nowSeconds();
  if (typeof claims.exp !== 'number' || claims.exp <= now) {
    throw new InvalidAccessTokenError('The access token has expired.');
  }
  if (typeof claims.nbf === 'number' && claims.nbf > now) {
    throw new InvalidAccessTokenError('The access token is not valid yet.');
  }
  return claims as unknown as AccessTokenClaims;
}

function hmac(data: string, accessKey: string): Buffer {
  return createHmac('sha256', accessKey).update(data).digest();
}

function base64UrlJson(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
