import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a confirmation token binds: the plan and its content hash, the target, the initiator, the expiry. */
export interface ConfirmationClaims {
  planId: string;
  planHash: string;
  tenantId: string;
  userId: string;
  expiresAt: string;
}

export type TokenCheck = { ok: true } | { ok: false; reason: 'invalid' | 'expired' };

/**
 * Confirmation tokens: `base64url(expiresAt) . base64url(HMAC-SHA256)` over every claim, keyed with a
 * key derived from the app's token key for this purpose only (a continuation token can never pass for a
 * confirmation, nor the reverse). Only the expiry travels in clear; the rest is checked against the plan
 * the execute names and the caller who sends it.
 */
export function createConfirmationTokens(appKey: string) {
  const key = createHmac('sha256', appKey).update('restore-confirmation/1').digest();
  const mac = (claims: ConfirmationClaims) =>
    createHmac('sha256', key)
      .update(
        JSON.stringify([claims.planId, claims.planHash, claims.tenantId, claims.userId, claims.expiresAt]),
      )
      .digest();
  return {
    issue(claims: ConfirmationClaims): string {
      return `${Buffer.from(claims.expiresAt).toString('base64url')}.${mac(claims).toString('base64url')}`;
    },
    /** Whether `token` was issued for exactly these claims (the expiry is read from the token) and is current. */
    check(token: string, claims: Omit<ConfirmationClaims, 'expiresAt'>, now: Date): TokenCheck {
      const [head, signature, extra] = token.split('.');
      if (!head || !signature || extra !== undefined) return { ok: false, reason: 'invalid' };
      const expiresAt = Buffer.from(head, 'base64url').toString('utf8');
      if (Number.isNaN(Date.parse(expiresAt))) return { ok: false, reason: 'invalid' };
      const expected = mac({ ...claims, expiresAt });
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { ok: false, reason: 'invalid' };
      return Date.parse(expiresAt) <= now.getTime() ? { ok: false, reason: 'expired' } : { ok: true };
    },
  };
}
export type ConfirmationTokens = ReturnType<typeof createConfirmationTokens>;
