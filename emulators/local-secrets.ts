import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface LocalSecrets {
  functionsMasterKey: string;
  functionsDefaultKey: string;
  /** The `durabletask_extension` system key of the Durable webhooks. */
  durableExtensionKey: string;
  signalRAccessKey: string;
  /** AES-256 key of the local provider-credential store (stands in for Key Vault). */
  secretStoreKey: string;
  /** HMAC key of list continuation tokens (CONTINUATION_TOKEN_KEY). */
  continuationTokenKey: string;
}

/**
 * Keys of the local cloud, generated once per data folder so tokens and keys in `.local/cloud.json`
 * stay valid across restarts of `npm start`.
 */
export function loadLocalSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, 'secrets.json');
  const fresh: LocalSecrets = {
    functionsMasterKey: randomBytes(32).toString('base64url'),
    functionsDefaultKey: randomBytes(32).toString('base64url'),
    durableExtensionKey: randomBytes(32).toString('base64url'),
    signalRAccessKey: randomBytes(32).toString('base64'),
    secretStoreKey: randomBytes(32).toString('base64'),
    continuationTokenKey: randomBytes(32).toString('base64url'),
  };
  // Keys added by newer versions are filled in; existing ones never change.
  const secrets: LocalSecrets = existsSync(file)
    ? { ...fresh, ...(JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>) }
    : fresh;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
