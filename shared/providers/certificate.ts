import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

/** Bounds that keep a certificate credential far below Key Vault's 25 KB secret limit. */
export const MAX_CERTIFICATE_PEM_CHARS = 12_000;
export const MAX_PRIVATE_KEY_PEM_CHARS = 8_000;

/** Warn this long before a certificate credential expires. */
export const CERTIFICATE_EXPIRY_WARNING_DAYS = 30;

export interface CertificateFacts {
  /** SHA-1 thumbprint, upper-case hex without separators, as the Entra portal shows it. */
  thumbprint: string;
  notBefore: string;
  expiresAt: string;
}

/**
 * Parses a certificate credential with Node's X.509 and key parsers: one certificate, a private key
 * (PKCS#1, PKCS#8 or SEC1 PEM) that matches it, and a validity period that has not ended. Answers the
 * facts to show, or the first problem as text for a validation error.
 */
export function parseCertificateCredential(
  certificatePem: string,
  privateKeyPem: string,
  /** Null: skip the expiry check (done later against the injected clock). */
  now: Date | null,
):
  | { ok: true; facts: CertificateFacts }
  | { ok: false; field: 'certificatePem' | 'privateKeyPem'; message: string } {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch {
    return { ok: false, field: 'certificatePem', message: 'must be a PEM X.509 certificate' };
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch {
    return { ok: false, field: 'privateKeyPem', message: 'must be an unencrypted PEM private key' };
  }
  if (!certificate.checkPrivateKey(key)) {
    return { ok: false, field: 'privateKeyPem', message: 'does not match the certificate' };
  }
  const expiresAt = new Date(certificate.validTo);
  if (now && expiresAt.getTime() <= now.getTime()) {
    return { ok: false, field: 'certificatePem', message: `expired on ${expiresAt.toISOString()}` };
  }
  return {
    ok: true,
    facts: {
      thumbprint: certificate.fingerprint.replace(/:/g, '').toUpperCase(),
      notBefore: new Date(certificate.validFrom).toISOString(),
      expiresAt: expiresAt.toISOString(),
    },
  };
}

/** Whether a certificate expiring at `expiresAt` is inside the warning window at `now`. */
export function expiresSoon(expiresAt: string, now: Date): boolean {
  return Date.parse(expiresAt) - now.getTime() <= CERTIFICATE_EXPIRY_WARNING_DAYS * 86_400_000;
}
