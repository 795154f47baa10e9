import { CosmosClient } from '@azure/cosmos';
import { HubConnectionBuilder, LogLevel, type HubConnection } from '@microsoft/signalr';
import { afterAll, describe, expect, it } from 'vitest';
import { call, cloud, eventually } from '../support/http';

interface Received {
  target: string;
  args: unknown[];
}

async function connect(user: string): Promise<{ connection: HubConnection; received: Received[] }> {
  const received: Received[] = [];
  const connection = new HubConnectionBuilder()
    .withUrl(`${cloud().functions.apiBaseUrl}/test/signalr`, { headers: { 'x-test-user': user } })
    .configureLogging(LogLevel.None)
    .build();
  for (const target of ['progress', 'marker']) {
    connection.on(target, (...args: unknown[]) => {
      received.push({ target, args });
    });
  }
  await connection.start();
  return { connection, received };
}

async function send(items: unknown) {
  expect((await call('POST', '/api/test/signalr/messages', items)).status).toBe(202);
}

/** Messages on one connection arrive in order: once a later marker arrived, anything sent before it has too. */
async function flush(clients: Array<{ received: Received[] }>, marker: string) {
  await send({ target: 'marker', arguments: [marker] });
  await eventually(async () =>
    clients.every((c) => c.received.some((m) => m.args[0] === marker)) ? true : undefined,
  );
}

describe('SignalR bindings with the official client', () => {
  const open: HubConnection[] = [];
  afterAll(async () => Promise.all(open.map((c) => c.stop())));

  it('delivers user-targeted and group messages from a signalR output binding, and nothing to others', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    open.push(alice.connection, bob.connection);

    await send({ target: 'progress', arguments: ['for alice'], userId: 'alice' });
    await flush([alice, bob], 'm1');
    expect(alice.received.filter((m) => m.target === 'progress').map((m) => m.args[0])).toEqual([
      'for alice',
    ]);
    expect(bob.received.filter((m) => m.target === 'progress')).toEqual([]);

    await send([
      { action: 'add', groupName: 'tenant-contoso', userId: 'alice' },
      { target: 'progress', arguments: ['for the group'], groupName: 'tenant-contoso' },
    ]);
    await flush([alice, bob], 'm2');
    expect(alice.received.filter((m) => m.target === 'progress').map((m) => m.args[0])).toEqual([
      'for alice',
      'for the group',
    ]);
    expect(bob.received.filter((m) => m.target === 'progress')).toEqual([]);
  });
});

describe('cosmosDBTrigger', () => {
  it('receives each document change exactly once', async () => {
    const { endpoint, key } = cloud().cosmos;
    const client = new CosmosClient({ endpoint, key });
    const { database } = await client.databases.createIfNotExists({ id: 'tenantatlas-tests' });
    const { container } = await database.containers.createIfNotExists({
      id: 'changes',
      partitionKey: { paths: ['/id'] },
    });
    const changes = async () =>
      (await call('GET', '/_local/servicebus/test-cosmos-changes')).json.items.map(
        (m: { body: { id: string; _etag: string; value: number } }) => m.body,
      ) as Array<{ id: string; _etag: string; value: number }>;

    // The listener starts (or retries) on its own schedule; changes before it is listening are not its.
    let probe = 0;
    await eventually(
      async () => {
        await container.items.upsert({ id: 'probe', value: probe++ });
        return (await changes()).some((c) => c.id === 'probe') ? true : undefined;
      },
      30_000,
      500,
    );

    const finalEtags = new Map<string, string>();
    for (let i = 0; i < 20; i++) {
      const { resource } = await container.items.create({ id: `doc-${i}`, value: 0 });
      finalEtags.set(resource!.id, resource!._etag);
    }
    for (let i = 0; i < 20; i += 4) {
      const { resource } = await container.item(`doc-${i}`, `doc-${i}`).replace({ id: `doc-${i}`, value: 1 });
      finalEtags.set(resource!.id, resource!._etag);
    }
    const delivered = await eventually(async () => {
      const all = (await changes()).filter((c) => c.id.startsWith('doc-'));
      const latest = [...finalEtags].every(([id, etag]) => all.some((c) => c.id === id && c._etag === etag));
      return latest ? all : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a few more polls: nothing may be repeated
    const after = (await changes()).filter((c) => c.id.startsWith('doc-'));
    expect(after.length).toBe(delivered.length);
    const pairs = after.map((c) => `${c.id}/${c._etag}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    for (let i = 0; i < 20; i += 4) {
      const versions = after.filter((c) => c.id === `doc-${i}`).map((c) => c.value);
      expect(versions.at(-1)).toBe(1); // in order per document
    }
    client.dispose();
  });
});

describe('timer triggers', () => {
  const ticks = async () =>
    (await call('GET', '/_local/servicebus/test-timer-ticks')).json.items.length as number;

  it('fire on their NCRONTAB schedule', async () => {
    const before = await ticks();
    await eventually(async () => ((await ticks()) >= before + 2 ? true : undefined), 10_000, 200);
  });

  it('run on demand through POST /admin/functions/{name} with the master key', async () => {
    const { masterKey } = cloud().functions;
    expect((await call('POST', '/admin/functions/TestTicker', { input: '' })).status).toBe(401);
    const before = await ticks();
    const started = Date.now();
    for (let i = 0; i < 3; i++) {
      expect(
        (await call('POST', '/admin/functions/TestTicker', { input: '' }, { 'x-functions-key': masterKey }))
          .status,
      ).toBe(202);
    }
    await eventually(async () => ((await ticks()) >= before + 3 ? true : undefined), 1500, 20);
    expect(Date.now() - started).toBeLessThan(1500); // far faster than the 2 s schedule could explain
    expect(
      (await call('POST', '/admin/functions/NoSuchFunction', {}, { 'x-functions-key': masterKey })).status,
    ).toBe(404);
    expect((await call('POST', '/admin/functions/health', {}, { 'x-functions-key': masterKey })).status).toBe(
      400,
    );
  });
});
