import { CosmosClient } from '@azure/cosmos';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { api, freshWorkspace } from '../support/api';
import { cloud } from '../support/http';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('credential secrecy', () => {
  it('never stores, logs or returns a credential value', async () => {
    const secrets = [`create-${randomUUID()}`, `rotate-${randomUUID()}`, `second-rotate-${randomUUID()}`];
    const responses: string[] = [];
    const { workspaceId, tenantId } = await freshWorkspace('Secrecy');
    const base = `/workspaces/${workspaceId}/tenants/${tenantId}/provider-connections`;
    const created = await api('POST', base, {
      as: 'mike',
      body: {
        displayName: 'Secret keeper',
        entraTenantId: '12345678-1234-1234-1234-123456789012',
        clientId: '87654321-4321-4321-4321-210987654321',
        credential: { authType: 'client_secret', clientSecret: secrets[0] },
      },
    });
    responses.push(created.text);
    for (const secret of secrets.slice(1)) {
      const rotated = await api('PUT', `${base}/${created.body.id}/credentials`, {
        as: 'alice',
        body: { authType: 'client_secret', clientSecret: secret },
      });
      expect(rotated.status).toBe(200);
      responses.push(rotated.text);
    }
    // A rejected write must not echo the value either.
    responses.push(
      (
        await api('PUT', `${base}/${created.body.id}/credentials`, {
          as: 'rita',
          body: { authType: 'client_secret', clientSecret: secrets[0] },
        })
      ).text,
    );
    responses.push((await api('GET', base, { as: 'rita' })).text);
    responses.push((await api('GET', `/workspaces/${workspaceId}/audit?limit=200`, { as: 'alice' })).text);

    const { endpoint, key } = cloud().cosmos;
    const client = new CosmosClient({ endpoint, key });
    const documents: string[] = [];
    for (const { id: databaseId } of (await client.databases.readAll().fetchAll()).resources) {
      for (const { id: containerId } of (await client.database(databaseId).containers.readAll().fetchAll())
        .resources) {
        const { resources } = await client
          .database(databaseId)
          .container(containerId)
          .items.readAll()
          .fetchAll();
        documents.push(JSON.stringify(resources));
      }
    }
    client.dispose();
    await new Promise((resolve) => setTimeout(resolve, 1500)); // let the cloud flush its snapshot and log

    const { dataDir, logFile } = inject('cloudFiles');
    const onDisk = filesUnder(dataDir).map((file) => readFileSync(file, 'latin1'));
    const log = readFileSync(logFile, 'utf8');
    for (const secret of secrets) {
      expect(
        responses.some((r) => r.includes(secret)),
        'responses',
      ).toBe(false);
      expect(
        documents.some((d) => d.includes(secret)),
        'Cosmos documents',
      ).toBe(false);
      expect(
        onDisk.some((d) => d.includes(secret)),
        'files of the local cloud (incl. the encrypted store)',
      ).toBe(false);
      expect(log.includes(secret), 'the cloud log').toBe(false);
    }
    expect(
      documents.some((d) => d.includes(created.body.id)),
      'the connection itself is stored',
    ).toBe(true);
  });
});
