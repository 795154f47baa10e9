import { CosmosClient, type Container } from '@azure/cosmos';
import { rmSync } from 'node:fs';
import { expect } from 'vitest';
import type { CloudDescription } from '../../emulators/cloud';
import type { ApiResponse, DemoUserName } from '../support/api';
import { startCloudProcess, type CloudProcess } from '../support/cloud-process';

/**
 * A local cloud of the test file's own (the compiled `npm start`, as the shared one): for tests that
 * change the simulated Microsoft tenant's objects or need a setting of their own, so no other test
 * sees either.
 */
export class OwnCloud {
  private cosmosClient: CosmosClient;

  private constructor(private readonly process: CloudProcess) {
    const { endpoint, key } = process.description.cosmos;
    this.cosmosClient = new CosmosClient({
      endpoint,
      key,
      connectionPolicy: { enableEndpointDiscovery: false },
    });
  }

  static async start(env: Record<string, string>): Promise<OwnCloud> {
    return new OwnCloud(await startCloudProcess({ env: { LOCAL_EXTRA_ENTRY_FILES: '', ...env } }));
  }

  /**
   * Kills the cloud's process (SIGKILL: no shutdown code runs) and starts it again on the same data
   * folder, as after a crash. This instance is done; use the returned one.
   */
  async crashAndRestart(env: Record<string, string> = {}): Promise<OwnCloud> {
    this.cosmosClient.dispose();
    await this.process.kill();
    return new OwnCloud(
      await startCloudProcess({
        dataDir: this.process.dataDir,
        env: { LOCAL_EXTRA_ENTRY_FILES: '', ...env },
      }),
    );
  }

  /** The cloud's data folder (`.local` of a user): its secrets, snapshot and journal. */
  get dataDir(): string {
    return this.process.dataDir;
  }

  get description(): CloudDescription {
    return this.process.description;
  }

  async stop(): Promise<void> {
    this.cosmosClient.dispose();
    await this.process.stop();
    rmSync(this.process.dataDir, { recursive: true, force: true });
  }

  container(name: string): Container {
    return this.cosmosClient.database(this.description.cosmos.database).container(name);
  }

  /** The local Durable engine's instances (database `durabletask-local`, one document per instance). */
  instances(): Container {
    return this.cosmosClient.database('durabletask-local').container('TenantAtlasLocal-instances');
  }

  token(user: DemoUserName): string {
    return this.description.demo!.users.find((u) => u.name === user)!.token;
  }

  oid(user: DemoUserName): string {
    return this.description.demo!.users.find((u) => u.name === user)!.oid;
  }

  async api(
    method: string,
    path: string,
    options: { as: DemoUserName; body?: unknown },
  ): Promise<ApiResponse> {
    const response = await fetch(`${this.description.functions.apiBaseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token(options.as)}`,
        ...(options.body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: text ? JSON.parse(text) : undefined,
    };
  }

  async control(path: string, method: string, body?: unknown) {
    const { controlUrl } = this.description.microsoft as { controlUrl: string };
    const response = await fetch(`${controlUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    expect(response.ok, text).toBe(true);
    return text ? JSON.parse(text) : undefined;
  }

  async invokeTimer(name: string): Promise<void> {
    const { baseUrl, masterKey } = this.description.functions;
    const response = await fetch(`${baseUrl}/admin/functions/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-functions-key': masterKey },
      body: JSON.stringify({ input: '' }),
    });
    expect(response.status).toBe(202);
  }

  /** A workspace owned by alice (mike, olga, rita in their demo roles) with a tenant connected to a simulated one. */
  async connectedTenant(name: string, microsoftName: string) {
    const workspace = await this.api('POST', '/workspaces', { as: 'alice', body: { name } });
    const workspaceId = workspace.body.id as string;
    for (const user of ['mike', 'olga', 'rita'] as const) {
      const { role, displayName } = this.description.demo!.users.find((u) => u.name === user)!;
      await this.api('PUT', `/workspaces/${workspaceId}/members/${this.oid(user)}`, {
        as: 'alice',
        body: { role, displayName },
      });
    }
    const { tenantId } = await this.connectTenant(workspaceId, name, microsoftName);
    return { workspaceId, tenantId, base: `/workspaces/${workspaceId}/tenants/${tenantId}` };
  }

  /** Another tenant of the workspace, connected to the simulated tenant `microsoftName`. */
  async connectTenant(workspaceId: string, name: string, microsoftName: string) {
    const tenant = await this.api('POST', `/workspaces/${workspaceId}/tenants`, {
      as: 'alice',
      body: {
        name: `t-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
        displayName: name,
      },
    });
    expect(tenant.status, tenant.text).toBe(201);
    const tenantId = tenant.body.id as string;
    const microsoft = (
      this.description.microsoft as {
        tenants: Array<{ name: string; entraTenantId: string; clientId: string; clientSecret: string }>;
      }
    ).tenants.find((t) => t.name === microsoftName)!;
    const connection = await this.api(
      'POST',
      `/workspaces/${workspaceId}/tenants/${tenantId}/provider-connections`,
      {
        as: 'alice',
        body: {
          displayName: microsoftName,
          entraTenantId: microsoft.entraTenantId,
          clientId: microsoft.clientId,
          credential: { authType: 'client_secret', clientSecret: microsoft.clientSecret },
        },
      },
    );
    expect(connection.status, connection.text).toBe(201);
    return { workspaceId, tenantId, base: `/workspaces/${workspaceId}/tenants/${tenantId}` };
  }

  async finished(runId: string, timeoutMs = 120_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const run = await this.api('GET', `/operations/${runId}`, { as: 'alice' });
      if (run.body?.status === 'completed') return run.body;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`run ${runId} did not finish`);
  }

  /** Every item of a backup set, following its items continuation. */
  async backupItems(base: string, setId: string) {
    const items: Array<{
      policyType: string;
      graphId: string;
      versionId: string;
      displayName: string | null;
    }> = [];
    let token: string | undefined;
    do {
      const query = token ? `?itemsContinuationToken=${encodeURIComponent(token)}` : '';
      const page = await this.api('GET', `${base}/backups/${setId}${query}`, { as: 'mike' });
      expect(page.status, page.text).toBe(200);
      items.push(...page.body.items);
      token = page.body.itemsContinuationToken;
    } while (token);
    return items;
  }

  /** Ids of the tenant's stored policy versions. */
  async versionIds(tenantId: string): Promise<string[]> {
    const { resources } = await this.container('policyVersions')
      .items.query<string>({
        query: "SELECT VALUE c.id FROM c WHERE c.tenantId = @t AND c.docType = 'version'",
        parameters: [{ name: '@t', value: tenantId }],
      })
      .fetchAll();
    return resources;
  }
}
