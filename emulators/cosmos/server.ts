import { existsSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { leaveIdleConnectionsToClients } from '../idle-connections';
import { createRequestHandler } from './request-handler';
import { CosmosJournal } from './journal';
import { captureAccount, readSnapshotFile, restoreAccount, writeSnapshotFile } from './snapshot';
import { Account, linearizeResults } from './vercel-internals';

/** The official emulator's well-known key: tools and docs that assume the emulator work unchanged. */
export const LOCAL_COSMOS_KEY =
  'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

export interface LocalCosmosOptions {
  /** 0 = an ephemeral port. */
  port: number;
  /** Default '127.0.0.1'. */
  host?: string;
  tls: { certPem: string; keyPem: string };
  /** Where `cosmos.json` is persisted; undefined = memory only. */
  dataDir?: string;
  /**
   * How often a changed state is compacted into `cosmos.json`; default 5000. Answered writes are durable
   * at once through the journal (journal.ts); the snapshot only bounds how much of it a start replays.
   */
  snapshotIntervalMs?: number;
}

export interface LocalCosmos {
  /** https://localhost:PORT */
  endpoint: string;
  key: string;
  port: number;
  /** Writes the current state now (no-op without a dataDir). */
  snapshot(): Promise<void>;
  /** Closes every connection, writes a final snapshot, and resolves once the server is closed. */
  stop(): Promise<void>;
}

const SNAPSHOT_FILE = 'cosmos.json';
/** The local account's name (its `id`), as an Azure account is named. */
export const LOCAL_ACCOUNT_NAME = 'tenantatlas-local';

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
/** Ports of the servers running in this process: what isLocalCosmosEndpoint recognises. */
const runningPorts = new Set<number>();

/** True when the endpoint is served by startLocalCosmos in this process (whose change feed is a stub). */
export function isLocalCosmosEndpoint(endpoint: string): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return url.protocol === 'https:' && LOOPBACK_HOSTNAMES.has(url.hostname) && runningPorts.has(port);
}

export async function startLocalCosmos(options: LocalCosmosOptions): Promise<LocalCosmos> {
  const host = options.host ?? '127.0.0.1';
  linearizeResults();
  const snapshotFile = options.dataDir ? path.join(options.dataDir, SNAPSHOT_FILE) : undefined;
  const saved = snapshotFile ? await readSnapshotFile(snapshotFile) : undefined;

  let dirty = false;
  const server = https.createServer({ cert: options.tls.certPem, key: options.tls.keyPem, keepAlive: true });
  leaveIdleConnectionsToClients(server);
  const port = await listen(server, options.port, host);
  // Everything from here to attaching the handler is synchronous: no request is read before the account
  // exists and the snapshot is restored. Its metadata advertises this endpoint (the SDK's endpoint
  // discovery then stays on it).
  const account = new Account('localhost', port);
  // Named like an Azure account, not "localhost": the SDK ignores the locations of an account with that
  // id (its special case for the Cosmos DB emulator) and then reads the account again before every
  // request, which doubled every round trip the app made here and that Azure never sees.
  Object.assign(account.read(), { id: LOCAL_ACCOUNT_NAME });
  if (saved) restoreAccount(account, saved);
  const opened = options.dataDir
    ? CosmosJournal.open(options.dataDir, account, saved?.journalGeneration ?? 0)
    : undefined;
  const journal = opened?.journal;
  dirty = (opened?.replayed ?? 0) > 0;

  // Snapshots are serialised so an older state can never overwrite a newer one.
  let writes = Promise.resolve();
  const snapshot = (): Promise<void> => {
    if (!snapshotFile || !journal) return Promise.resolve();
    dirty = false;
    // The data folder was removed (a benchmark's or a test's temporary folder cleaned up): the state was thrown
    // away on purpose, so it is neither written nor the folder recreated, at shutdown or before.
    if (!existsSync(path.dirname(snapshotFile))) return Promise.resolve();
    // Capture and rotation happen in one synchronous step: every journal line before it is in the capture.
    let journalGeneration: number;
    try {
      journalGeneration = journal.rotate();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Promise.resolve();
      throw error;
    }
    const json = JSON.stringify({ ...captureAccount(account), journalGeneration });
    const written = writes
      .then(() => writeSnapshotFile(snapshotFile, json))
      .then((kept) => {
        if (kept) journal.discardBefore(journalGeneration);
      });
    // A failed write is reported to its caller only; the next snapshot still runs.
    writes = written.catch(() => undefined);
    return written;
  };
  server.on(
    'request',
    createRequestHandler(account, {
      beforeDocumentWrite(dbId, collId) {
        const database = account.database(dbId).read();
        const collection = account.database(dbId).collection(collId);
        const definition = collection.read();
        if (journal && database && definition)
          journal.watch(collection.documents, database.id, definition.id);
      },
      afterSchemaWrite: snapshot,
      onMutation: () => (dirty = true),
    }),
  );
  runningPorts.add(port);
  const timer = snapshotFile
    ? setInterval(() => {
        if (!dirty) return;
        snapshot().catch((error: unknown) => {
          dirty = true;
          console.error(`[cosmos] could not write ${snapshotFile}`, error);
        });
      }, options.snapshotIntervalMs ?? 5000)
    : undefined;
  // The server's sockets keep the process alive, not its snapshot timer.
  timer?.unref();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      clearInterval(timer);
      runningPorts.delete(port);
      // Connections go first, so no write can land after the final snapshot.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await snapshot();
      await closed;
      journal?.close();
    })());

  return { endpoint: `https://localhost:${port}`, key: LOCAL_COSMOS_KEY, port, snapshot, stop };
}

function listen(server: https.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Local Cosmos DB: port ${port} on ${host} is already in use`, { cause: error })
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
