import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SecretNotFoundError, type SecretStore } from './secret-store';

interface EncryptedEntry {
  iv: string;
  tag: string;
  data: string;
}

/**
 * The local cloud's stand-in for Key Vault: one file, each value encrypted with AES-256-GCM under a
 * key that lives outside the file. Writes are serialized and atomic (temp file + rename).
 */
export class LocalFileSecretStore implements SecretStore {
  private readonly key: Buffer;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    keyBase64: string,
  ) {
    this.key = Buffer.from(keyBase64, 'base64');
    if (this.key.length !== 32) throw new Error('LOCAL_SECRET_STORE_KEY must be 32 bytes, base64-encoded.');
  }

  set(name: string, value: string): Promise<void> {
    return this.serialized(() => {
      const entries = this.read();
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', this.key, iv);
      cipher.setAAD(Buffer.from(name));
      const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
      entries[name] = {
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      };
      this.write(entries);
    });
  }

  async get(name: string): Promise<string> {
    await this.queue;
    const entry = this.read()[name];
    if (!entry) throw new SecretNotFoundError(name);
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(entry.iv, 'base64'));
    decipher.setAAD(Buffer.from(name));
    decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(entry.data, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  }

  delete(name: string): Promise<void> {
    return this.serialized(() => {
      const entries = this.read();
      delete entries[name];
      this.write(entries);
    });
  }

  private serialized(work: () => void): Promise<void> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private read(): Record<string, EncryptedEntry> {
    if (!existsSync(this.file)) return {};
    return (JSON.parse(readFileSync(this.file, 'utf8')) as { secrets: Record<string, EncryptedEntry> })
      .secrets;
  }

  private write(entries: Record<string, EncryptedEntry>): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeFileSync(`${this.file}.tmp`, JSON.stringify({ version: 1, secrets: entries }), { mode: 0o600 });
    renameSync(`${this.file}.tmp`, this.file);
  }
}
