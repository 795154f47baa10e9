import { createHash } from 'node:crypto';

/** A GUID derived from its inputs (SHA-256, shaped like a version-4 UUID): stable across restarts. */
export function stableGuid(...parts: Array<string | number>): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest();
  h[6] = (h[6]! & 0x0f) | 0x40;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A client secret in the shape Entra issues (`xxx8Q~` + 37 characters), derived from its inputs. */
export function stableSecret(...parts: Array<string | number>): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('base64url');
  return `${h.slice(0, 3)}8Q~${h.slice(3, 40).replace(/-/g, '.')}`;
}

/** A random GUID for request ids and correlation ids (not part of any seeded state). */
export { randomUUID as randomGuid } from 'node:crypto';
