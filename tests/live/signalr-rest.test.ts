import { HubConnectionBuilder, LogLevel } from '@microsoft/signalr';
import { afterEach, describe, expect, it } from 'vitest';
import { startSignalRHub, type SignalRHub } from '../../emulators/signalr';
import { signAccessToken } from '../../emulators/signalr/token';
import { SignalRRestClient } from '../../shared/live/signalr-rest';

// The app's SignalR REST client against the emulator's data-plane REST API, with the official client
// on the receiving end: what /api/negotiate and the subscribe route are built on.

const ACCESS_KEY = 'local-signalr-rest-test-key-0123456789';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const hub = await startSignalRHub({ port: 0, accessKey: ACCESS_KEY });
  cleanups.push(() => hub.stop());
  const rest = new SignalRRestClient({ endpoint: hub.baseUrl, hub: 'Operations', accessKey: ACCESS_KEY });
  return { hub, rest };
}

async function connect(rest: SignalRRestClient, userId: string) {
  const info = await rest.clientConnection(userId);
  const connection = new HubConnectionBuilder()
    .withUrl(info.url, { accessTokenFactory: () => info.accessToken })
    .configureLogging(LogLevel.None)
    .build();
  cleanups.push(() => connection.stop());
  const received: string[] = [];
  connection.on('note', (text: string) => {
    received.push(text);
  });
  await connection.start();
  return { connection, received };
}

/** Pushes on one socket arrive in order: once the marker is there, anything sent before it would be too. */
async function settle(hub: SignalRHub, clients: Array<{ received: string[] }>) {
  const marker = `marker-${Math.random()}`;
  hub.apply('operations', { target: 'note', arguments: [marker] });
  const deadline = Date.now() + 3000;
  while (!clients.every((c) => c.received.includes(marker))) {
    if (Date.now() > deadline) throw new Error('marker not delivered');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  for (const client of clients) client.received.splice(client.received.indexOf(marker), 1);
}

function sendToGroup(hub: SignalRHub, group: string, text: string) {
  hub.apply('operations', { target: 'note', arguments: [text], groupName: group });
}

describe('SignalR data-plane REST API (emulator) through the app client', () => {
  it('generates user-bound client tokens: user pushes reach only that user', async () => {
    const { hub, rest } = await setup();
    const alice = await connect(rest, 'alice-oid');
    const bob = await connect(rest, 'bob-oid');
    expect(
      hub
        .connections('operations')
        .map((c) => c.userId)
        .sort(),
    ).toEqual(['alice-oid', 'bob-oid']);
    hub.apply('operations', { target: 'note', arguments: ['for alice'], userId: 'alice-oid' });
    await settle(hub, [alice, bob]);
    expect(alice.received).toEqual(['for alice']);
    expect(bob.received).toEqual([]);
  });

  it('adds a user to groups for their current and later connections, until the TTL passes', async () => {
    const { hub, rest } = await setup();
    const early = await connect(rest, 'carol-oid');
    await rest.addUserToGroups('carol-oid', ['tenant.a', 'tenant.b'], 1);
    const late = await connect(rest, 'carol-oid');
    const other = await connect(rest, 'dave-oid');
    sendToGroup(hub, 'tenant.a', 'a');
    sendToGroup(hub, 'tenant.c', 'c');
    await settle(hub, [early, late, other]);
    expect(early.received).toEqual(['a']);
    expect(late.received).toEqual(['a']);
    expect(other.received).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    sendToGroup(hub, 'tenant.a', 'after expiry');
    await settle(hub, [early, late]);
    expect(early.received).toEqual(['a']);
  });

  it('refuses requests without a valid AccessKey token, with another audience, or without api-version', async () => {
    const { hub } = await setup();
    const url = `${hub.baseUrl}/api/hubs/operations/:generateToken`;
    const now = Math.floor(Date.now() / 1000);
    const token = (aud: string, key = ACCESS_KEY) =>
      signAccessToken({ aud, iat: now, nbf: now, exp: now + 60 }, key);
    const post = (query: string, authorization?: string) =>
      fetch(`${url}${query}`, { method: 'POST', headers: authorization ? { authorization } : {} });
    expect((await post('?api-version=2022-11-01')).status).toBe(401);
    expect((await post('?api-version=2022-11-01', `Bearer ${token(url, 'another-key')}`)).status).toBe(401);
    expect(
      (await post('?api-version=2022-11-01', `Bearer ${token(`${hub.baseUrl}/api/hubs/x`)}`)).status,
    ).toBe(401);
    expect((await post('', `Bearer ${token(url)}`)).status).toBe(400);
    const ok = await post('?api-version=2022-11-01&userId=u1', `Bearer ${token(url)}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ token: expect.any(String) });
  });

  it('sends to a hub, a user and a group over REST', async () => {
    const { hub, rest } = await setup();
    const erin = await connect(rest, 'erin-oid');
    const now = Math.floor(Date.now() / 1000);
    const send = async (path: string, text: string) => {
      const url = `${hub.baseUrl}/api/hubs/operations${path}`;
      const token = signAccessToken({ aud: url, iat: now, nbf: now, exp: now + 60 }, ACCESS_KEY);
      const response = await fetch(`${url}?api-version=2022-11-01`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ target: 'note', arguments: [text] }),
      });
      expect(response.status).toBe(202);
    };
    await send('/:send', 'everyone');
    await send('/users/erin-oid/:send', 'erin');
    await send('/users/someone-else/:send', 'not erin');
    await send('/groups/none/:send', 'nobody');
    await settle(hub, [erin]);
    expect(erin.received).toEqual(['everyone', 'erin']);
    expect(erin.connection.state).toBe('Connected');
  });
});
