import { spawn } from 'node:child_process';
import { localCaDir, localDir, repoRoot } from '../paths';
import { applyLocalSettingsFile } from '../settings';
import { ensureLocalCa } from '../tls/local-ca';
import { startLocalCloud, writeCloudDescription } from '../cloud';

/**
 * `npm start`: the whole local cloud in one process tree. Node reads NODE_EXTRA_CA_CERTS only at
 * start-up, so when the local CA is not trusted yet this process re-launches itself with it.
 */
async function main(): Promise<void> {
  const startedAt = Date.now();
  const ca = ensureLocalCa(localCaDir());
  if (process.env.NODE_EXTRA_CA_CERTS !== ca.caCertPath) {
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, NODE_EXTRA_CA_CERTS: ca.caCertPath, LOCAL_CLOUD_STARTED_AT: String(startedAt) },
    });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
    return;
  }
  const since = Number(process.env.LOCAL_CLOUD_STARTED_AT ?? startedAt);
  applyLocalSettingsFile(repoRoot(), process.env);
  const dataDir = localDir();
  const cloud = await startLocalCloud({ dataDir, log: (message) => console.log(message) });
  for (const line of cloud.host.describeFunctions()) console.log(`  ${line}`);
  const file = writeCloudDescription(dataDir, cloud.description);
  console.log(`\nLocal cloud ready in ${((Date.now() - since) / 1000).toFixed(1)} s`);
  console.log(`  API        ${cloud.description.functions.apiBaseUrl}`);
  console.log(`  Durable    ${cloud.description.functions.durableBaseUrl}`);
  console.log(`  Cosmos DB  ${cloud.description.cosmos.endpoint}`);
  console.log(`  SignalR    ${cloud.description.signalr.hubUrl}`);
  const { demo, microsoft } = cloud.description;
  if (microsoft)
    console.log(
      `  Microsoft  ${String(microsoft.authorityHost)} (Entra ID, Graph at ${String(microsoft.graphBaseUrl)})`,
    );
  for (const workspace of demo?.workspaces ?? []) {
    console.log(`\nDemo workspace "${workspace.name}" ${workspace.id}`);
    for (const tenant of workspace.tenants) console.log(`  tenant ${tenant.name} ${tenant.id}`);
  }
  if (demo) {
    // The tokens stay in cloud.json (about 1 KB each): the console names who is who and how to get one.
    console.log('\nDemo users (bearer tokens valid 12 h, in cloud.json; restart to renew):');
    const workspaceNames = new Map(demo.workspaces.map((w) => [w.id, w.name]));
    for (const user of demo.users) {
      const workspace = workspaceNames.get(user.workspaceId) ?? user.workspaceId;
      console.log(`  ${user.name.padEnd(6)} ${user.role.padEnd(9)} ${user.displayName}, in "${workspace}"`);
    }
    console.log('  A token for the API:  TOKEN=$(npm run -s token -- olga)');
  }
  console.log(`\nDescribed in ${file}  (Ctrl-C stops)`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local cloud…`);
    await cloud.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`Local cloud failed to start: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.DEBUG) console.error(error);
  process.exit(1);
});
