import { AtlasError } from '../errors';

/**
 * Where provider credentials live: write-only from the API's point of view. Values never go to
 * Cosmos, responses, logs, run failures or orchestration history; only names (references) do.
 */
export interface SecretStore {
  set(name: string, value: string): Promise<void>;
  get(name: string): Promise<string>;
  delete(name: string): Promise<void>;
}

export class SecretNotFoundError extends AtlasError {
  readonly code = 'secret_not_found';
  constructor(name: string) {
    super(`Secret ${name} does not exist.`);
  }
}

/** Key Vault secret names allow letters, digits and dashes only. */
export function secretNameFor(kind: string, id: string): string {
  return `${kind}-${id}`.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 127);
}
