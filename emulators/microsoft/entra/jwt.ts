import { constants, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export type JwtHeader = Record<string, unknown> & { alg: string };
export type JwtClaims = Record<string, unknown>;

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signJwt(header: JwtHeader, claims: JwtClaims, privateKey: KeyObject): string {
  if (header.alg !== 'RS256') throw new Error(`unsupported signing algorithm ${header.alg}`);
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

export interface DecodedJwt {
  header: JwtHeader;
  claims: JwtClaims;
  signingInput: string;
  signature: Buffer;
}

/** Splits and parses a compact JWT without verifying it; undefined when it is not a well-formed JWT. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as JwtHeader;
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as JwtClaims;
    if (typeof header !== 'object' || typeof claims !== 'object' || typeof header.alg !== 'string')
      return undefined;
    return {
      header,
      claims,
      signingInput: `${parts[0]}.${parts[1]}`,
      signature: Buffer.from(parts[2]!, 'base64url'),
    };
  } catch {
    return undefined;
  }
}

/** Verifies an RS256 or PS256 signature (the algorithms Entra and MSAL use). */
export function verifyJwtSignature(jwt: DecodedJwt, publicKey: KeyObject | string): boolean {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const data = Buffer.from(jwt.signingInput);
  switch (jwt.header.alg) {
    case 'RS256':
      return verify('sha256', data, key, jwt.signature);
    case 'PS256':
      return verify(
        'sha256',
        data,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
        jwt.signature,
      );
    default:
      return false;
  }
}
