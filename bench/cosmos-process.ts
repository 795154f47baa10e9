import { LOCAL_COSMOS_KEY, startLocalCosmos } from '../emulators/cosmos';
import { localCaDir } from '../emulators/paths';
import { ensureLocalCa } from '../emulators/tls/local-ca';

/**
 * The local Cosmos DB in a process of its own, for the inventory benchmark: the benchmark then measures
 * the app's memory and CPU without the database's (in Azure, Cosmos DB is not in the app's process
 * either). Prints `{endpoint, key}` as one JSON line once it listens; stops on SIGTERM or SIGINT.
 * In memory only: a benchmark's data is thrown away, and snapshotting 100,000 documents to disk every
 * second would measure the local server's persistence instead of the app.
 */
async function main(): Promise<void> {
  const cosmos = await startLocalCosmos({ port: 0, tls: ensureLocalCa(localCaDir()).server });
  console.log(JSON.stringify({ endpoint: cosmos.endpoint, key: LOCAL_COSMOS_KEY }));
  const stop = () => void cosmos.stop().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
