import { CosmosClient } from '@azure/cosmos';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { CloudDescription } from '../../emulators/cloud';
import { readApiResponse, type ApiResponse } from '../support/api';

/** A raw request to the API: any method, path, headers and body bytes, nothing added but the token. */
export async function rawRequest(
  description: CloudDescription,
  method: string,
  pathAndQuery: string,
  options: { token?: string; headers?: Record<string, string>; body?: string | Uint8Array } = {},
): Promise<ApiResponse> {
  const response = await fetch(`${description.functions.apiBaseUrl}${pathAndQuery}`, {
    method,
    headers: {
      ...(options.token && { authorization: `Bearer ${options.token}` }),
      ...options.headers,
    },
    ...(options.body !== undefined && { body: options.body }),
  });
  return readApiResponse(response);
}

/**
 * Everything the local cloud has stored: every document of every container of every database (the
 * app's and the Durable engine's) by id and `_etag`, and the size of the local secret file. Two equal
 * fingerprints mean nothing was written in between.
 */
export class StoreFingerprint {
  private readonly client: CosmosClient;

  constructor(
    private readonly description: CloudDescription,
    private readonly dataDir: string,
  ) {
    const { endpoint, key } = description.cosmos;
    this.client = new CosmosClient({ endpoint, key, connectionPolicy: { enableEndpointDiscovery: false } });
  }

  async take(): Promise<Map<string, string>> {
    const documents = new Map<string, string>();
    for (const { id: databaseId } of (await this.client.databases.readAll().fetchAll()).resources) {
      const database = this.client.database(databaseId);
      for (const { id: containerId } of (await database.containers.readAll().fetchAll()).resources) {
        // Leases move when the change-feed poller checkpoints, whatever the API did.
        if (containerId === 'leases') continue;
        // A refused capability is audited on purpose (who tried what): that record is the answer's
        // point, not a change the request made.
        const query =
          containerId === 'audit'
            ? "SELECT c.id, c._etag FROM c WHERE c.action != 'authorization.denied'"
            : 'SELECT c.id, c._etag FROM c';
        const { resources } = await database
          .container(containerId)
          .items.query<{ id: string; _etag: string }>(query)
          .fetchAll();
        for (const doc of resources) documents.set(`${databaseId}/${containerId}/${doc.id}`, doc._etag);
      }
    }
    documents.set('secret-file-bytes', String(this.secretFileBytes()));
    return documents;
  }

  /** The keys whose value differs between two fingerprints (added, removed or changed). */
  static changes(before: Map<string, string>, after: Map<string, string>): string[] {
    const keys = new Set([...before.keys(), ...after.keys()]);
    return [...keys].filter((key) => before.get(key) !== after.get(key)).sort();
  }

  dispose(): void {
    this.client.dispose();
  }

  private secretFileBytes(): number {
    try {
      return statSync(path.join(this.dataDir, 'provider-secrets.enc.json')).size;
    } catch {
      return 0;
    }
  }
}
