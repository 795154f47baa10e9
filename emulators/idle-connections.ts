import type { Server } from 'node:http';

/**
 * A local server leaves closing an idle keep-alive connection to its client.
 *
 * With Node's default (`keepAliveTimeout` 5 s) a server drops a connection idle for about six seconds,
 * while the client's agent (the Cosmos SDK's, with no idle timeout of its own) keeps it pooled: the
 * next request sent on it as it is dropped fails with `ECONNRESET`. In CI that answered two starts 500,
 * their Cosmos connections idle exactly as long as the test's slow Graph (6 s). With the timeout off the
 * server closes nothing and the clients (the app's Cosmos and Graph agents, the tests' fetch) keep or
 * drop their pooled connections as they decide; every local server closes all of them when it stops.
 */
export function leaveIdleConnectionsToClients(server: Server): void {
  server.keepAliveTimeout = 0;
}
