import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { signJwt, type JwtClaims } from './jwt';

/** The simulated Entra's token signing key, published as a JWKS like `/discovery/v2.0/keys`. */
export class SigningKey {
  readonly kid: string;
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;

  constructor(privateKeyPem: string) {
    this.privateKey = createPrivateKey(privateKeyPem);
    this.publicKey = createPublicKey(this.privateKey);
    const der = this.publicKey.export({ format: 'der', type: 'spki' });
    this.kid = createHash('sha1').update(der).digest('base64url');
  }

  /** Loads the key from `stateDir/signing-key.pem` when given (stable across restarts), else creates one. */
  static load(stateDir?: string): SigningKey {
    const file = stateDir ? path.join(stateDir, 'signing-key.pem') : undefined;
    if (file && existsSync(file)) return new SigningKey(readFileSync(file, 'utf8'));
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    if (file) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, privateKey, { mode: 0o600 });
    }
    return new SigningKey(privateKey);
  }

  sign(claims: JwtClaims): string {
    return signJwt({ typ: 'JWT', alg: 'RS256', kid: this.kid, x5t: this.kid }, claims, this.privateKey);
  }

  jwks(issuer?: string): { keys: Array<Record<string, unknown>> } {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return {
      keys: [
        {
          kty: 'RSA',
          use: 'sig',
          kid: this.kid,
          x5t: this.kid,
          n: jwk.n,
          e: jwk.e,
          ...(issuer ? { issuer } : {}),
        },
      ],
    };
  }
}
