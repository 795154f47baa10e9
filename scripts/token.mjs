// `npm run token -- <user>`: prints the bearer token of a demo user of the running local cloud (read from
// its cloud.json, where `npm start` keeps them), so a shell can do TOKEN=$(npm run -s token -- olga).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.env.LOCAL_CLOUD_DIR
  ? path.resolve(process.env.LOCAL_CLOUD_DIR)
  : path.join(root, '.local');
const file = path.join(dir, 'cloud.json');
if (!existsSync(file)) {
  console.error(`No ${file}: start the local cloud first (npm start).`);
  process.exit(1);
}
const users = JSON.parse(readFileSync(file, 'utf8')).demo?.users ?? [];
const name = process.argv[2];
const user = users.find((u) => u.name === name);
if (!user) {
  console.error(
    `Usage: npm run -s token -- <user>, one of: ${users.map((u) => `${u.name} (${u.role})`).join(', ')}`,
  );
  process.exit(name ? 1 : 2);
}
process.stdout.write(`${user.token}\n`);
