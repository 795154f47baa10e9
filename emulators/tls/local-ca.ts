import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';

/**
 * A certificate authority that exists only on this machine (under `.local/ca/`), and one server
 * certificate it signed for localhost. The simulated Microsoft cloud and the local Cosmos DB serve
 * HTTPS with it because `@azure/identity` refuses plain-HTTP authority hosts; processes trust it
 * explicitly through NODE_EXTRA_CA_CERTS. Product code never disables TLS verification.
 */
export interface LocalCa {
  /** PEM file of the CA certificate: the value for NODE_EXTRA_CA_CERTS. */
  caCertPath: string;
  caCertPem: string;
  server: { certPem: string; keyPem: string };
}

const SERVER_NAMES = ['localhost'];
const SERVER_IPS = ['127.0.0.1', '::1'];
const FILES = {
  caCert: 'ca.pem',
  caKey: 'ca-key.pem',
  serverCert: 'server.pem',
  serverKey: 'server-key.pem',
};

export function ensureLocalCa(dir: string): LocalCa {
  const file = (name: string) => path.join(dir, name);
  if (!Object.values(FILES).every((name) => existsSync(file(name)))) {
    mkdirSync(dir, { recursive: true });
    const ca = createCertificate({ commonName: 'TenantAtlas local cloud CA', isCa: true, years: 10 });
    const server = createCertificate({ commonName: 'localhost', isCa: false, years: 5, issuer: ca });
    // Key files first, the certificates last: the presence of all four files means "complete".
    writeFileSync(file(FILES.caKey), ca.keyPem, { mode: 0o600 });
    writeFileSync(file(FILES.serverKey), server.keyPem, { mode: 0o600 });
    writeFileSync(file(FILES.serverCert), server.certPem);
    writeFileSync(file(FILES.caCert), ca.certPem);
  }
  return {
    caCertPath: file(FILES.caCert),
    caCertPem: readFileSync(file(FILES.caCert), 'utf8'),
    server: {
      certPem: readFileSync(file(FILES.serverCert), 'utf8'),
      keyPem: readFileSync(file(FILES.serverKey), 'utf8'),
    },
  };
}

interface Issued {
  certPem: string;
  keyPem: string;
  cert: forge.pki.Certificate;
  key: forge.pki.PrivateKey;
}

export interface CertificateRequest {
  commonName: string;
  years: number;
  /** forge extension objects (basicConstraints, keyUsage, subjectAltName, …). */
  extensions: object[];
  /** Signed by this issuer; self-signed when absent. */
  issuer?: Issued;
  organization?: string;
  /** Exact validity instead of "from yesterday for `years`" (tests of expired or expiring certificates). */
  validity?: { notBefore: Date; notAfter: Date };
}

/** One certificate and its RSA key: the local CA, its server certificate, simulated app credentials. */
export function issueCertificate(request: CertificateRequest): Issued {
  // Node generates the key natively (fast); forge only assembles and signs the certificate.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  const now = new Date();
  cert.validity.notBefore = request.validity?.notBefore ?? new Date(now.getTime() - 24 * 3600 * 1000);
  cert.validity.notAfter =
    request.validity?.notAfter ?? new Date(now.getTime() + request.years * 365 * 24 * 3600 * 1000);
  const subject = [
    { name: 'commonName', value: request.commonName },
    ...(request.organization ? [{ name: 'organizationName', value: request.organization }] : []),
  ];
  cert.setSubject(subject);
  cert.setIssuer(request.issuer ? request.issuer.cert.subject.attributes : subject);
  cert.setExtensions(request.extensions);
  const key = forge.pki.privateKeyFromPem(privateKey);
  cert.sign((request.issuer?.key ?? key) as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return { cert, key, certPem: forge.pki.certificateToPem(cert), keyPem: privateKey };
}

function createCertificate(options: {
  commonName: string;
  isCa: boolean;
  years: number;
  issuer?: Issued;
}): Issued {
  return issueCertificate({
    commonName: options.commonName,
    years: options.years,
    organization: 'TenantAtlas local cloud',
    ...(options.issuer && { issuer: options.issuer }),
    extensions: options.isCa
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
          { name: 'subjectKeyIdentifier' },
        ]
      : [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
          { name: 'extKeyUsage', serverAuth: true },
          {
            name: 'subjectAltName',
            altNames: [
              ...SERVER_NAMES.map((value) => ({ type: 2, value })),
              ...SERVER_IPS.map((ip) => ({ type: 7, ip })),
            ],
          },
        ],
  });
}
