import { z } from 'zod';

/**
 * A name people type and others read (workspace, tenant, member, schedule, connection, backup):
 * NFC-normalized, trimmed, 1..max characters, and free of control characters (which could rewrite a
 * terminal or a log line) and unpaired surrogates (which are not text and break UTF-8 encoders).
 */
export function nameText(max: number) {
  return z
    .string()
    .max(max * 4) // bound the work before normalizing; the real limit is checked after
    .normalize('NFC')
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}\p{Cs}]*$/u, 'must not contain control characters or unpaired surrogates');
}

/**
 * An integer in a query string: plain decimal digits only (`0x10`, ` 5`, `1e2`, `5.0` are rejected,
 * where `Number()` would read them), within bounds.
 */
export function queryInteger(bounds: { min: number; max: number }) {
  return z
    .string()
    .regex(/^(0|[1-9][0-9]{0,15})$/, 'must be a decimal integer')
    .transform(Number)
    .pipe(z.number().int().min(bounds.min).max(bounds.max));
}
