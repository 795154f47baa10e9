import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection } from '@microsoft/signalr';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import {
  parseSignalRConnectionString,
  startSignalRHub,
  type SignalRHub,
  type SignalRHubOptions,
} from '../../emulators/signalr';
import { signAccessToken } from '../../emulators/signalr/token';

const ACCESS_KEY = 'local-signalr-test-key-0123456789abcdef';
const RS = '\x1e';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startHub(options: Partial<SignalRHubOptions> = {}): Promise<SignalRHub> {
  const hub = await startSignalRHub({ port: 0, accessKey: ACCESS_KEY, ...options });
  cleanups.push(() => hub.stop());
  return hub;
}

async function connect(hub: SignalRHub, userId?: string, hubName = 'chat'): Promise<Client> {
  const info = hub.connectionInfo(hubName, userId);
  return startClient(info.url, { accessTokenFactory: () => info.accessToken });
}

async function startClient(
  url: string,
  options: { accessTokenFactory?: () => string } = {},
): Promise<Client> {
  const connection = new HubConnectionBuilder().withUrl(url, options).configureLogging(LogLevel.None).build();
  cleanups.push(() => connection.stop());
  const client = new Client(connection);
  await connection.start();
  return client;
}

/** Records, in arrival order, what the hub pushes to one client. */
class Client {
  readonly received: Array<{ target: string; args: unknown[] }> = [];
  private changed = () => {};

  constructor(readonly connection: HubConnection) {
    for (const target of ['notify', 'marker']) {
      connection.on(target, (...args: unknown[]) => {
        this.received.push({ target, args });
        this.changed();
      });
    }
  }

  notifications(): unknown[][] {
    return this.received.filter((message) => message.target === 'notify').map((message) => message.args);
  }

  async until(predicate: () => boolean, timeoutMs = 2_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`Timed out; received ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        this.changed = resolve;
        setTimeout(resolve, 50);
      });
    }
  }
}

let markers = 0;
/**
 * Broadcasts a marker and waits until every client has it. Pushes on one WebSocket arrive in order, so whatever
 * a client has not received before the marker was never sent to it: absence is proven without a fixed sleep.
 */
async function settle(hub: SignalRHub, clients: Client[], hubName = 'chat'): Promise<void> {
  const marker = ++markers;
  hub.apply(hubName, { target: 'marker', arguments: [marker] });
  await Promise.all(
    clients.map((client) =>
      client.until(() => client.received.some((m) => m.target === 'marker' && m.args[0] === marker)),
    ),
  );
}

async function negotiate(hub: SignalRHub, token: string | undefined, hubName = 'chat'): Promise<Response> {
  return fetch(`${hub.baseUrl}/client/negotiate?hub=${hubName}&negotiateVersion=1`, {
    method: 'POST',
    headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
  });
}

interface NegotiateResponse {
  negotiateVersion: number;
  connectionId: string;
  connectionToken: string;
  availableTransports: unknown[];
}

async function connectionTokenFor(hub: SignalRHub, token: string): Promise<string> {
  const response = await negotiate(hub, token);
  return ((await response.json()) as NegotiateResponse).connectionToken;
}

/** A raw WebSocket that collects the records it receives. */
async function openRawSocket(url: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(url, { headers });
  cleanups.push(async () => socket.terminate());
  const records: string[] = [];
  socket.on('message', (data) => records.push(...String(data).split(RS).filter(Boolean)));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const until = async (count: number) => {
    const deadline = Date.now() + 2_000;
    while (records.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return records;
  };
  return { socket, records, until };
}

function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('error', () => {}); // the refused request is aborted below
    socket.once('unexpected-response', (request, response) => {
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    socket.once('open', () => {
      socket.terminate();
      reject(new Error('The upgrade was accepted'));
    });
  });
}

describe('local SignalR Service (serverless)', { timeout: 10_000 }, () => {
  it('delivers a user-targeted message to all connections of that user and to nobody else', async () => {
    const hub = await startHub();
    const [alice, alicePhone, bob] = await Promise.all([
      connect(hub, 'alice'),
      connect(hub, 'alice'),
      connect(hub, 'bob'),
    ]);

    hub.apply('chat', { target: 'notify', arguments: ['for alice', { n: 1 }], userId: 'alice' });
    await settle(hub, [alice, alicePhone, bob]);

    expect(alice.notifications()).toEqual([['for alice', { n: 1 }]]);
    expect(alicePhone.notifications()).toEqual([['for alice', { n: 1 }]]);
    expect(bob.notifications()).toEqual([]);
  });

  it('delivers a connectionId-targeted message to that connection only, even when userId is also given', async () => {
    const hub = await startHub();
    const [alice, alicePhone] = await Promise.all([connect(hub, 'alice'), connect(hub, 'alice')]);

    hub.apply('chat', {
      target: 'notify',
      arguments: ['phone'],
      connectionId: alicePhone.connection.connectionId ?? '',
      userId: 'alice',
    });
    await settle(hub, [alice, alicePhone]);

    expect(alicePhone.notifications()).toEqual([['phone']]);
    expect(alice.notifications()).toEqual([]);
  });

  it('broadcasts to every client of the hub (hub names are case-insensitive) but not to other hubs', async () => {
    const hub = await startHub();
    const [alice, bob, anonymous, elsewhere] = await Promise.all([
      connect(hub, 'alice', 'Chat'),
      connect(hub, 'bob'),
      connect(hub),
      connect(hub, 'carol', 'other'),
    ]);

    hub.apply('CHAT', { target: 'notify', arguments: ['everyone'] });
    await settle(hub, [alice, bob, anonymous]);
    await settle(hub, [elsewhere], 'other');

    for (const client of [alice, bob, anonymous]) expect(client.notifications()).toEqual([['everyone']]);
    expect(elsewhere.notifications()).toEqual([]);
    expect(hub.connections('other')).toEqual([
      { hub: 'other', connectionId: elsewhere.connection.connectionId, userId: 'carol', groups: [] },
    ]);
  });

  it('adds a user to a group for current and future connections, and removing the user stops delivery', async () => {
    const hub = await startHub();
    const [alice, bob] = await Promise.all([connect(hub, 'alice'), connect(hub, 'bob')]);

    hub.apply('chat', { action: 'add', groupName: 'tenant-1', userId: 'alice' });
    hub.apply('chat', { target: 'notify', arguments: ['first'], groupName: 'tenant-1' });
    await settle(hub, [alice, bob]);
    expect(alice.notifications()).toEqual([['first']]);
    expect(bob.notifications()).toEqual([]);

    const aliceLater = await connect(hub, 'alice');
    expect(
      hub.connections('chat').find((c) => c.connectionId === aliceLater.connection.connectionId),
    ).toEqual(expect.objectContaining({ userId: 'alice', groups: ['tenant-1'] }));
    hub.apply('chat', { target: 'notify', arguments: ['second'], groupName: 'tenant-1' });
    await settle(hub, [alice, aliceLater, bob]);
    expect(aliceLater.notifications()).toEqual([['second']]);

    hub.apply('chat', { action: 'remove', groupName: 'tenant-1', userId: 'alice' });
    hub.apply('chat', { target: 'notify', arguments: ['third'], groupName: 'tenant-1' });
    await settle(hub, [alice, aliceLater, bob]);
    expect(alice.notifications()).toEqual([['first'], ['second']]);
    expect(aliceLater.notifications()).toEqual([['second']]);
    expect(bob.notifications()).toEqual([]);
  });

  it('applies a group action by connectionId to that connection only; removeAll by userId clears all', async () => {
    const hub = await startHub();
    const [alice, alicePhone] = await Promise.all([connect(hub, 'alice'), connect(hub, 'alice')]);

    hub.apply('chat', {
      action: 'add',
      groupName: 'g1',
      connectionId: alicePhone.connection.connectionId ?? '',
    });
    hub.apply('chat', { action: 'add', groupName: 'g2', userId: 'alice' });
    hub.apply('chat', { target: 'notify', arguments: ['g1'], groupName: 'g1' });
    await settle(hub, [alice, alicePhone]);
    expect(alice.notifications()).toEqual([]);
    expect(alicePhone.notifications()).toEqual([['g1']]);

    hub.apply('chat', { action: 'removeAll', userId: 'alice' });
    expect(hub.connections('chat').map((c) => c.groups)).toEqual([[], []]);
  });

  it('connects through a Functions-style negotiate redirect', async () => {
    const hub = await startHub();
    const functions = await startFunctionsNegotiate((request) =>
      hub.connectionInfo('chat', String(request.headers['x-ms-client-principal-id'])),
    );
    const client = await startClient(`${functions.baseUrl}/api`, {});

    expect(client.connection.state).toBe(HubConnectionState.Connected);
    expect(functions.calls).toEqual(['POST /api/negotiate?negotiateVersion=1']);
    expect(hub.connections()).toEqual([
      { hub: 'chat', connectionId: client.connection.connectionId, userId: 'dave', groups: [] },
    ]);
    hub.apply('chat', { target: 'notify', arguments: ['hi dave'], userId: 'dave' });
    await client.until(() => client.notifications().length === 1);
    expect(client.notifications()).toEqual([['hi dave']]);
  });

  it('acknowledges client invoke() with a null result and accepts send()', async () => {
    const hub = await startHub();
    const client = await connect(hub, 'alice');

    await expect(client.connection.invoke('echo', 'hello', 42)).resolves.toBeNull();
    await expect(client.connection.send('fireAndForget', 1)).resolves.toBeUndefined();
    await expect(client.connection.invoke('again')).resolves.toBeNull();
  });

  it('refuses bad, expired, foreign-hub and missing tokens at negotiate with a 401 JSON error', async () => {
    const hub = await startHub();
    const { url } = hub.connectionInfo('chat', 'alice');
    const now = Math.floor(Date.now() / 1000);
    const tokens = {
      wrongKey: signAccessToken({ aud: url, iat: now, nbf: now, exp: now + 60 }, 'another-key'),
      expired: hub.connectionInfo('chat', 'alice', -60).accessToken,
      otherHub: hub.connectionInfo('other', 'alice').accessToken,
      notJwt: 'not-a-token',
    };
    for (const token of [...Object.values(tokens), undefined]) {
      const response = await negotiate(hub, token);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: expect.any(String) });
    }

    const refused = startClient(url, { accessTokenFactory: () => tokens.expired });
    await expect(refused).rejects.toThrow(/401/);
    expect(hub.connections()).toEqual([]);
  });

  it('answers negotiate with version 1 and accepts a hub name in another case', async () => {
    const hub = await startHub();
    const response = await negotiate(hub, hub.connectionInfo('Chat', 'alice').accessToken, 'CHAT');

    expect(response.status).toBe(200);
    const body = (await response.json()) as NegotiateResponse;
    expect(body).toEqual({
      negotiateVersion: 1,
      connectionId: expect.any(String),
      connectionToken: expect.any(String),
      availableTransports: [{ transport: 'WebSockets', transferFormats: ['Text', 'Binary'] }],
    });
    expect(body.connectionToken).not.toBe(body.connectionId);
  });

  it('speaks the browser flow: access_token query, records batched in one frame, pings, single-use tokens', async () => {
    const hub = await startHub({ pingIntervalMs: 50 });
    const { url, accessToken } = hub.connectionInfo('chat', 'browser');
    const connectionToken = await connectionTokenFor(hub, accessToken);
    const socketUrl = `${url.replace('http', 'ws')}&id=${connectionToken}&access_token=${accessToken}`;

    const raw = await openRawSocket(socketUrl);
    raw.socket.send(
      `{"protocol":"json","version":1}${RS}{"type":1,"invocationId":"7","target":"x","arguments":[]}${RS}`,
    );
    const records = await raw.until(3);
    expect(records.slice(0, 2)).toEqual(['{}', '{"type":3,"invocationId":"7","result":null}']);
    expect(records.slice(2)).toContain('{"type":6}');
    expect(hub.connections()).toEqual([expect.objectContaining({ userId: 'browser' })]);

    expect(await upgradeStatus(socketUrl)).toBe(404); // the connection token was used
    expect(await upgradeStatus(`${url.replace('http', 'ws')}&id=unknown&access_token=${accessToken}`)).toBe(
      404,
    );
    const fresh = await connectionTokenFor(hub, accessToken);
    expect(await upgradeStatus(`${url.replace('http', 'ws')}&id=${fresh}`)).toBe(401); // no token at all
  });

  it('refuses a handshake for a protocol other than json', async () => {
    const hub = await startHub();
    const { url, accessToken } = hub.connectionInfo('chat');
    const connectionToken = await connectionTokenFor(hub, accessToken);
    const raw = await openRawSocket(`${url.replace('http', 'ws')}&id=${connectionToken}`, {
      Authorization: `Bearer ${accessToken}`,
    });

    raw.socket.send(`{"protocol":"messagepack","version":1}${RS}`);
    const [reply] = await raw.until(1);
    expect(JSON.parse(reply ?? '{}')).toEqual({ error: expect.stringContaining('messagepack') });
    expect(hub.connections()).toEqual([]);
  });

  it('answers CORS preflights and reflects the exact origin with credentials', async () => {
    const hub = await startHub();
    const origin = 'http://localhost:5173';
    const preflight = await fetch(`${hub.baseUrl}/client/negotiate?hub=chat&negotiateVersion=1`, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,x-requested-with,x-signalr-user-agent',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    const allowed = preflight.headers.get('access-control-allow-headers')?.toLowerCase().split(/,\s*/);
    expect(allowed).toEqual(
      expect.arrayContaining(['authorization', 'x-requested-with', 'x-signalr-user-agent', 'content-type']),
    );

    const response = await fetch(`${hub.baseUrl}/client/negotiate?hub=chat&negotiateVersion=1`, {
      method: 'POST',
      headers: { Origin: origin, Authorization: `Bearer ${hub.connectionInfo('chat').accessToken}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('stop() closes every client and the HTTP server', async () => {
    const hub = await startSignalRHub({ port: 0, accessKey: ACCESS_KEY });
    const clients = await Promise.all([connect(hub, 'alice'), connect(hub, 'bob')]);
    const closed = clients.map(
      (client) => new Promise<Error | undefined>((resolve) => client.connection.onclose(resolve)),
    );

    await hub.stop();

    expect(await Promise.all(closed)).toEqual([undefined, undefined]);
    for (const client of clients) expect(client.connection.state).toBe(HubConnectionState.Disconnected);
    expect(hub.connections()).toEqual([]);
    await expect(fetch(`${hub.baseUrl}/client/negotiate?hub=chat`, { method: 'POST' })).rejects.toThrow();
  });

  it('rejects output items that are neither a message nor a group action', async () => {
    const hub = await startHub();
    const invalid: unknown[] = [
      { target: 'notify' },
      { arguments: [] },
      { action: 'join', groupName: 'g', userId: 'u' },
      { action: 'add', groupName: 'g' },
      { action: 'add', userId: 'u' },
      { action: 'removeAll', connectionId: 'c' },
      { target: 'notify', arguments: [], userId: 42 },
      null,
    ];
    for (const item of invalid) {
      expect(() => hub.apply('chat', item as never), JSON.stringify(item)).toThrow(/signalR/);
    }
  });

  it('publishes an Azure-format connection string', async () => {
    const hub = await startHub();

    expect(hub.connectionString).toBe(
      `Endpoint=http://localhost:${hub.port};AccessKey=${ACCESS_KEY};Version=1.0;`,
    );
    expect(parseSignalRConnectionString(hub.connectionString)).toEqual({
      endpoint: hub.baseUrl,
      accessKey: ACCESS_KEY,
    });
    expect(
      parseSignalRConnectionString('endpoint=https://x.service.signalr.net/;accesskey=a=b=;Port=8443'),
    ).toEqual({ endpoint: 'https://x.service.signalr.net:8443', accessKey: 'a=b=' });
    expect(() => parseSignalRConnectionString('Endpoint=http://localhost')).toThrow(/AccessKey/);
  });
});

/** Stands in for the Functions app's `POST /api/negotiate`, which returns the signalRConnectionInfo binding value. */
async function startFunctionsNegotiate(
  info: (request: { headers: Record<string, string | string[] | undefined> }) => {
    url: string;
    accessToken: string;
  },
): Promise<{ baseUrl: string; calls: string[] }> {
  const calls: string[] = [];
  const server: Server = createServer((request, response) => {
    calls.push(`${request.method} ${request.url}`);
    request.resume();
    if (request.method !== 'POST' || !request.url?.startsWith('/api/negotiate')) {
      response.writeHead(404).end();
      return;
    }
    // The app's real negotiate reads the principal from Easy Auth headers; here it is always dave.
    const body = JSON.stringify(
      info({ headers: { ...request.headers, 'x-ms-client-principal-id': 'dave' } }),
    );
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { baseUrl: `http://localhost:${(server.address() as AddressInfo).port}`, calls };
}
