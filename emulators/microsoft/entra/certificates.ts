import { createHash, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';

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
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + 2 * 365 * 24 * 3600 * 1000);
  const subject = [{ name: 'commonName', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, critical: true },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKey };
}
