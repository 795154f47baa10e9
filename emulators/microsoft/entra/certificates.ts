import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { issueCertificate } from '../../tls/local-ca';

/** A certificate registered on an app registration (the public part) with its private key (for clients). */
export interface AppCertificate {
  certPem: string;
  keyPem: string;
  /** PEM with the private key followed by the certificate: what ClientCertificateCredential reads. */
  combinedPem: string;
  thumbprintSha1: string;
  thumbprintSha256: string;
  publicKey: KeyObject;
  notAfter: Date;
}

/**
 * A self-signed certificate for an app registration's certificate credential. Persisted in `stateDir`
 * when given so the credential in `.local/cloud.json` stays valid across restarts.
 */
export function appCertificate(commonName: string, stateFile?: string): AppCertificate {
  let certPem: string;
  let keyPem: string;
  if (stateFile && existsSync(stateFile)) {
    ({ certPem, keyPem } = JSON.parse(readFileSync(stateFile, 'utf8')) as {
      certPem: string;
      keyPem: string;
    });
  } else {
    ({ certPem, keyPem } = createSelfSigned(commonName));
    if (stateFile) {
      mkdirSync(path.dirname(stateFile), { recursive: true });
      writeFileSync(stateFile, JSON.stringify({ certPem, keyPem }), { mode: 0o600 });
    }
  }
  const der = Buffer.from(
    forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(certPem))).getBytes(),
    'binary',
  );
  const cert = forge.pki.certificateFromPem(certPem);
  return {
    certPem,
    keyPem,
    combinedPem: `${keyPem.trim()}\n${certPem.trim()}\n`,
    thumbprintSha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
    thumbprintSha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
    publicKey: createPublicKey(certPem),
    notAfter: cert.validity.notAfter,
  };
}

function createSelfSigned(commonName: string): { certPem: string; keyPem: string } {
  const { certPem, keyPem } = issueCertificate({
    commonName,
    years: 2,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
    ],
  });
  return { certPem, keyPem };
}
