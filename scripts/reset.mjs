// `npm run reset`: wipes the local cloud's state (Cosmos data, Durable instances, timer status, keys,
// cloud.json). The local CA in .local/ca is kept, since processes and browsers may trust it; pass
// --all to remove it too. Stop `npm start` first: it writes a final snapshot when it stops.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.env.LOCAL_CLOUD_DIR
  ? path.resolve(process.env.LOCAL_CLOUD_DIR)
  : path.join(root, '.local');
const all = process.argv.includes('--all');
if (!existsSync(dir)) {
  console.log(`Nothing to reset: ${dir} does not exist.`);
  process.exit(0);
}
for (const entry of readdirSync(dir)) {
  if (entry === 'ca' && !all) continue;
  rmSync(path.join(dir, entry), { recursive: true, force: true });
}
console.log(`Reset ${dir}${all ? '' : ' (kept the local CA in ca/)'}.`);
