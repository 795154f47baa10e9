import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { cloud } from './http';

interface TokenSubject {
  oid: string;
  displayName: string;
  username: string;
}

function microsoft() {
  const part = cloud().microsoft as { controlUrl: string; authorityHost: string } | undefined;
  if (!part) throw new Error('The local cloud has no microsoft part in cloud.json.');
  return part;
}

/** A token minted by the simulated Entra (trusted key) for our API, with a chosen lifetime. */
export async function mintedToken(
  user: TokenSubject,
  tid: string,
  expiresInSeconds: number,
): Promise<string> {
  const response = await fetch(`${microsoft().controlUrl}/user-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      oid: user.oid,
      tid,
      name: user.displayName,
      preferredUsername: user.username,
      expiresInSeconds,
    }),
  });
  if (!response.ok) throw new Error(`minting failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** Signed by the trusted issuer, but expired an hour ago. */
export function expiredToken(user: TokenSubject & { token: string }): Promise<string> {
  return mintedToken(user, String(decodeJwt(user.token).tid), -3600);
}

/** The same claims as a real token, signed by a key the API has never seen. */
export async function forgedToken(user: { token: string }): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = (await exportJWK(publicKey)).n!.slice(0, 16);
  return new SignJWT(decodeJwt(user.token))
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
    .sign(privateKey);
}

/** `alg: none`, no signature: the classic downgrade. */
export function unsignedToken(user: { token: string }): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(decodeJwt(user.token))}.`;
}

/** A real token whose payload was edited (another user's oid) and whose signature therefore no longer matches. */
export function tamperedToken(user: { token: string }, oid: string): string {
  const [header, , signature] = user.token.split('.');
  const payload = Buffer.from(JSON.stringify({ ...decodeJwt(user.token), oid })).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

/**
 * An app-only token from the same simulated Entra (or that of another local cloud: `authorityHost`),
 * issued for Microsoft Graph: valid, but not for our API.
 */
export async function graphAppToken(
  tenant: { entraTenantId: string; clientId: string; clientSecret: string },
  authorityHost = microsoft().authorityHost,
): Promise<string> {
  const response = await fetch(`${authorityHost}/${tenant.entraTenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: tenant.clientId,
      client_secret: tenant.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  if (!response.ok) throw new Error(`token request failed: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
