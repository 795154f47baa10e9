import { readFileSync } from 'node:fs';
import path from 'node:path';

let version: string | undefined;

/** The deployed package's version (package.json in the app root, which is the working directory in Azure). */
export function appVersion(): string {
  if (version === undefined) {
    try {
      version =
        (JSON.parse(readFileSync(path.join(process.cwd(), 'package.json'), 'utf8')) as { version?: string })
          .version ?? 'unknown';
    } catch {
      version = 'unknown';
    }
  }
  return version;
}
