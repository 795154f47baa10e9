import { spawn } from 'node:child_process';
import path from 'node:path';
import { localCaDir, repoRoot } from '../paths';
import { ensureLocalCa } from '../tls/local-ca';

/**
 * Runs a command that trusts the local cloud's CA: `with-local-ca vitest run`. Node reads
 * NODE_EXTRA_CA_CERTS only at start-up, so the CA must exist before the process is spawned.
 */
function main(): void {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    console.error('usage: with-local-ca <command> [args...]');
    process.exit(2);
  }
  const ca = ensureLocalCa(localCaDir());
  const binDir = path.join(repoRoot(), 'node_modules', '.bin');
  const child = spawn(command, args, {
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: ca.caCertPath,
      PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
    },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main();
