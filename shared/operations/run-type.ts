import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Capability } from '../authz/capabilities';
import type { RunText } from './run-text';

/**
 * One kind of operation: everything the gate, the lifecycle and the API need to know about it. Each
 * feature defines its own (`shared/<feature>/run-types.ts`) and the composition root lists them all in
 * the operation catalog (`shared/app/catalog.ts`).
 */
export interface RunType<Input extends Record<string, unknown> = Record<string, unknown>> {
  type: string;
  /** Capability needed to start it (checked on top of the route's `operations.start`). */
  capability: Capability;
  /** The validated start input that becomes the run's `context`. */
  input: z.ZodType<Input>;
  /** What makes two starts "the same operation", beyond type and tenant (canonicalized by the gate). */
  identity(input: Input): unknown;
  /** The orchestrator function that runs it (a name from `ORCHESTRATORS`, or a test fixture's). */
  orchestrator: string;
  /** Durable instance id; the default is `{type}:{tenantId}:{runId}`. */
  instanceId?(run: { id: string; tenantId: string; context: Input }): string;
  /** A run without a heartbeat for this long is stale: failed with `stale_run`, no longer blocking. */
  staleAfterMs: number;
  touchesGraph: boolean;
  summary: string;
  /** How people read its runs: label and summary line per outcome (notifications, views, live updates). */
  text: RunText;
  /**
   * Derive the run id from the identity key, so the same identity can never make a second run — not
   * only while the first is active (a click token submitted twice, a schedule's fire time).
   */
  stableRunId?: boolean;
  /** Started by the app itself (the backup scheduler), never through the start route. */
  internal?: boolean;
  /**
   * A background run that gives way: a start by a user on its tenant ends it (cancelled) instead of
   * being refused with `scope_busy`. Only for runs whose every step may be cut short and redone by a
   * later run (the change watch: its watermark moves only at its end).
   */
  yieldsToStarts?: boolean;
}

/** Declares a run type (types its `input` for `identity` and `instanceId`); registers nothing. */
export function defineRunType<Input extends Record<string, unknown>>(
  runType: RunType<Input>,
): RunType<Input> {
  return runType;
}

/**
 * Run types of different inputs as one list of catalog entries. Safe: the gate hands `identity` and
 * `instanceId` only what the entry's own `input` schema parsed.
 */
export function runTypeList<Inputs extends Array<Record<string, unknown>>>(
  ...runTypes: { [K in keyof Inputs]: RunType<Inputs[K]> }
): RunType[] {
  return runTypes as unknown as RunType[];
}

/** What makes two starts "the same operation": type, tenant and the canonical identity of the input. */
export function identityKeyOf(runType: RunType, tenantId: string, input: Record<string, unknown>): string {
  return `${runType.type}|${tenantId}|${canonicalJson(runType.identity(input))}`;
}

/** A run id that is a pure function of the identity key (UUID-shaped, like random run ids). */
export function stableRunIdOf(identityKey: string): string {
  const hex = createHash('sha256').update(identityKey).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function defaultInstanceId(run: { id: string; tenantId: string; type: string }): string {
  return `${run.type}:${run.tenantId}:${run.id}`;
}

/** JSON with sorted keys and sorted arrays of scalars: equal selections give equal identities. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    const items = value.map(canonicalJson);
    return `[${(value.every((v) => typeof v !== 'object' || v === null) ? items.sort() : items).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
