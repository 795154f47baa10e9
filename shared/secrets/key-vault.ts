import { DefaultAzureCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { SecretNotFoundError, type SecretStore } from './secret-store';

/** Azure Key Vault (RBAC mode) through the Function App's managed identity. */
export class KeyVaultSecretStore implements SecretStore {
  private readonly client: SecretClient;

  constructor(vaultUri: string) {
    this.client = new SecretClient(vaultUri, new DefaultAzureCredential());
  }

  async set(name: string, value: string): Promise<void> {
    await this.client.setSecret(name, value, { contentType: 'application/json' });
  }

  async get(name: string): Promise<string> {
    try {
      const secret = await this.client.getSecret(name);
      if (secret.value === undefined) throw new SecretNotFoundError(name);
      return secret.value;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) throw new SecretNotFoundError(name);
      throw error;
    }
  }

  async delete(name: string): Promise<void> {
    try {
      await this.client.beginDeleteSecret(name);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
  }
}
