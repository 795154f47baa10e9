import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors';

/**
 * Continuation tokens are opaque to callers: `base64url(store token) . base64url(HMAC-SHA256)`, where
 * the MAC covers the store's token and the scope it was issued for (the route, the caller and the path
 * ids). A token we did not issue, issued for another route, caller or path, or altered in any byte is
 * rejected before the store sees it, so nothing a client types ever reaches `x-ms-continuation`.
 */
export class InvalidContinuationTokenError extends AppError {
  readonly status = 400;
  readonly code = 'invalid_continuation_token';
  constructor() {
    super('The continuation token was not issued for this list; start again from the first page.');
  }
}

/** What a token is bound to. Every part must match when it comes back. */
export interface PageScope {
  route: string;
  callerId: string;
  /** The path ids of the list (workspace, tenant, …), in any order. */
  pathIds: Record<string, string>;
}

export interface PageTokenCodec {
  /** Wraps the store's continuation for the caller (undefined stays undefined: the last page). */
  seal(storeToken: string | undefined, scope: PageScope): string | undefined;
  /** The store's continuation inside a token we issued; throws InvalidContinuationTokenError otherwise. */
  open(token: string | undefined, scope: PageScope): string | undefined;
}

const SEPARATOR = '.';
const MAC_BYTES = 32;

export function createPageTokenCodec(key: string): PageTokenCodec {
  if (Buffer.byteLength(key) < 32) throw new Error('The continuation token key must have at least 32 bytes.');
  const mac = (storeToken: string, scope: PageScope): Buffer => {
    const ids = Object.keys(scope.pathIds)
      .sort()
      .map((name) => [name, scope.pathIds[name]]);
    // JSON keeps every part delimited: no two different scopes produce the same MAC input.
    const input = JSON.stringify(['page-token/1', scope.route, scope.callerId, ids, storeToken]);
    return createHmac('sha256', key).update(input).digest();
  };
  return {
    seal(storeToken, scope) {
      if (storeToken === undefined) return undefined;
      const body = Buffer.from(storeToken, 'utf8').toString('base64url');
      return `${body}${SEPARATOR}${mac(storeToken, scope).toString('base64url')}`;
    },
    open(token, scope) {
      if (token === undefined) return undefined;
      const [body, signature, ...rest] = token.split(SEPARATOR);
      if (!body || !signature || rest.length > 0 || !isBase64Url(body) || !isBase64Url(signature)) {
        throw new InvalidContinuationTokenError();
      }
      const storeToken = Buffer.from(body, 'base64url').toString('utf8');
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(storeToken, scope);
      if (given.length !== MAC_BYTES || !timingSafeEqual(given, expected)) {
        throw new InvalidContinuationTokenError();
      }
      return storeToken;
    },
  };
}

function isBase64Url(value: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(value);
}

/** The query members and response members that carry continuation tokens, in every list route. */
const PAGE_TOKEN_FIELDS = ['continuationToken', 'itemsContinuationToken'] as const;

const fieldScope = (scope: PageScope, field: string): PageScope => ({
  ...scope,
  route: `${scope.route}#${field}`,
});

/** The query with every continuation token replaced by the store's own (or a 400 for a forged one). */
export function openPageTokens(
  codec: PageTokenCodec,
  query: Record<string, string>,
  scope: PageScope,
): Record<string, string> {
  const opened = { ...query };
  for (const field of PAGE_TOKEN_FIELDS) {
    if (field in opened) opened[field] = codec.open(opened[field], fieldScope(scope, field))!;
  }
  return opened;
}

/** The response body with every store continuation token sealed for this caller and route. */
export function sealPageTokens(codec: PageTokenCodec, body: unknown, scope: PageScope): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const record = body as Record<string, unknown>;
  const fields = PAGE_TOKEN_FIELDS.filter((field) => typeof record[field] === 'string');
  if (fields.length === 0) return body;
  const sealed = { ...record };
  for (const field of fields) sealed[field] = codec.seal(record[field] as string, fieldScope(scope, field));
  return sealed;
}
