import { createHash } from 'node:crypto';

/** A GUID derived from a name: demo ids stay the same across restarts and machines. */
export function stableGuid(name: string): string {
  const hex = createHash('sha256').update(`tenantatlas-demo:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
