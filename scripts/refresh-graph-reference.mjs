// `node scripts/refresh-graph-reference.mjs --from DIR`: refreshes graph-reference/ (the Microsoft Graph
// reference data the simulated Microsoft cloud, the contract generator and the tests read) from a fuller
// extract of Microsoft Graph's published metadata and documentation samples (see graph-reference/README.md
// for what that extract is and how it is derived). Only what the project reads is copied: the CSDL
// extracts, the read-only properties, the SDK paths and actions, the contracts index, the published
// real-world payloads (tests/microsoft/real-payloads.test.ts) and the payload samples of every type inside
// the CSDL extracts. Run `npx tsx scripts/generate-graph-contracts.ts`
// afterwards: the committed contract data must follow the new reference.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(root, 'graph-reference');

/** Files read as they are (by emulators/microsoft/reference, scripts/generate-graph-contracts.ts, tests/graph). */
export const COPIED_FILES = [
  'contracts-index.json',
  'csdl-intune-v1.0.json',
  'csdl-intune-beta.json',
  'readonly-properties.json',
  'actions-v1.0.json',
  'actions-beta.json',
  'paths-v1.0.txt',
  'paths-beta.txt',
  'sdk-url-paths-v1.0.txt',
  'sdk-url-paths-beta.txt',
  'real-payloads/payloads.json',
];

function main() {
  const fromIndex = process.argv.indexOf('--from');
  if (fromIndex < 0 || !process.argv[fromIndex + 1]) {
    console.error('usage: node scripts/refresh-graph-reference.mjs --from DIR');
    process.exit(2);
  }
  const source = path.resolve(process.argv[fromIndex + 1]);
  for (const file of [...COPIED_FILES, 'samples/index.json']) {
    if (!existsSync(path.join(source, file))) {
      console.error(`refresh-graph-reference: ${file} is missing in ${source}`);
      process.exit(1);
    }
  }
  for (const file of COPIED_FILES) {
    mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    copyFileSync(path.join(source, file), path.join(target, file));
  }

  // Samples: only types the CSDL extracts describe (the simulator can realize nothing else).
  const csdlTypes = new Set();
  for (const version of ['v1.0', 'beta']) {
    const csdl = JSON.parse(readFileSync(path.join(source, `csdl-intune-${version}.json`), 'utf8'));
    for (const name of [...Object.keys(csdl.entityTypes), ...Object.keys(csdl.complexTypes)])
      csdlTypes.add(name);
  }
  const index = JSON.parse(readFileSync(path.join(source, 'samples/index.json'), 'utf8'));
  const kept = index.filter((entry) => entry.typeInCsdlExtract !== false && csdlTypes.has(entry.type));
  rmSync(path.join(target, 'samples'), { recursive: true, force: true });
  for (const entry of kept) {
    const file = path.join('samples', entry.apiVersion, `${entry.type}.json`);
    mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
    copyFileSync(path.join(source, file), path.join(target, file));
  }
  writeFileSync(path.join(target, 'samples/index.json'), `${JSON.stringify(kept, null, 2)}\n`);
  console.log(
    `graph-reference/: ${COPIED_FILES.length} files and ${kept.length} of ${index.length} samples from ${source}`,
  );
}

main();
