import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { leaveIdleConnectionsToClients } from '../idle-connections';
import { ClientConnection } from './client-connection';
import { ClientGate } from './client-gate';
import { formatSignalRConnectionString } from './connection-string';
import { createRequestHandler } from './http-handler';
import { parseOutputItem } from './output-item';
import { PING } from './protocol';
import { ConnectionRegistry } from './registry';
import { createAccessToken } from './token';
import type { SignalRHub, SignalRHubOptions } from './types';
import { decideUpgrade, refuseUpgrade, type UpgradeDecision } from './upgrade';

const DEFAULT_PING_INTERVAL_MS = 15_000;
/** The Functions extension's default lifetime for signalRConnectionInfo tokens. */
const DEFAULT_TOKEN_TTL_SECONDS = 3600;

/** A local Azure SignalR Service in serverless mode: negotiate, WebSocket clients, output-binding delivery. */
export async function startSignalRHub(options: SignalRHubOptions): Promise<SignalRHub> {
  const { accessKey } = options;
  if (!accessKey) throw new Error('startSignalRHub needs an accessKey.');
  let baseUrl = '';
  const clientUrl = (hub: string) => `${baseUrl}/client/?hub=${hub}`;
  const gate = new ClientGate(accessKey, clientUrl);
  const registry = new ConnectionRegistry();
  const open = new Set<ClientConnection>();
  const events = {
    handshaken: (connection: ClientConnection) => registry.add(connection),
    closed: (connection: ClientConnection) => {
      registry.remove(connection);
      open.delete(connection);
    },
  };
  let stopping: Promise<void> | undefined;

  const server = createServer(
    createRequestHandler(gate, { accessKey, baseUrl: () => baseUrl, clientUrl, registry }),
  );
  leaveIdleConnectionsToClients(server);
  const webSockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    if (stopping) return refuseUpgrade(socket, 503, 'The local SignalR Service is stopping.');
    let decision: UpgradeDecision;
    try {
      decision = decideUpgrade(gate, request);
    } catch (error) {
      decision = { status: 500, error: error instanceof Error ? error.message : String(error) };
    }
    if ('status' in decision) return refuseUpgrade(socket, decision.status, decision.error);
    webSockets.handleUpgrade(request, socket, head, (webSocket) => {
      open.add(new ClientConnection(decision.identity, webSocket, events));
    });
  });
  await listen(server, options.port, options.host ?? '127.0.0.1');
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://localhost:${port}`;

  const pinger = setInterval(() => {
    for (const connection of registry.all()) connection.send(PING);
  }, options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS);

  return {
    baseUrl,
    port,
    connectionString: formatSignalRConnectionString(baseUrl, accessKey),
    connectionInfo(hubName, userId, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS) {
      const url = clientUrl(normalizeHub(hubName));
      return { url, accessToken: createAccessToken({ audience: url, accessKey, userId, ttlSeconds }) };
    },
    apply(hubName, item) {
      const hub = normalizeHub(hubName);
      const parsed = parseOutputItem(item);
      if (parsed.kind === 'message') registry.send(hub, parsed.message);
      else registry.applyGroupAction(hub, parsed.groupAction);
    },
    connections: (hubName) => registry.list(hubName === undefined ? undefined : normalizeHub(hubName)),
    stop() {
      stopping ??= (async () => {
        clearInterval(pinger);
        gate.clear();
        const closing = [...open];
        for (const connection of closing) connection.close();
        await Promise.all(closing.map((connection) => connection.closed));
        webSockets.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections(); // idle keep-alive sockets would otherwise delay close by seconds
        });
      })();
      return stopping;
    },
  };
}

function normalizeHub(hubName: string): string {
  if (!hubName) throw new Error('A SignalR hub name must not be empty.');
  return hubName.toLowerCase();
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
