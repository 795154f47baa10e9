import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { Capability } from '../authz/capabilities';
import type { Run, RunOutcome, RunStatus } from './model';
import { cancelDetail, describeRun, failureDetail, type RunDescription, type RunText } from './run-text';

/**
 * One kind of operation: everything the gate, the lifecycle and the API need to know about it, in one
 * registry (health check and verification now; inventory, backup and restore add theirs).
 */
export interface RunType<Input extends Record<string, unknown> = Record<string, unknown>> {
  type: string;
  /** Capability needed to start it (checked on top of the route's `operations.start`). */
  capability: Capability;
  /** The validated start input that becomes the run's `context`. */
  input: z.ZodType<Input>;
  /** What makes two starts "the same operation", beyond type and tenant (canonicalized by the gate). */
  identity(input: Input): unknown;
  /** The orchestrator function that runs it. */
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
}

const registry = new Map<string, RunType>();

export function registerRunType<Input extends Record<string, unknown>>(
  runType: RunType<Input>,
): RunType<Input> {
  if (registry.has(runType.type)) throw new Error(`Run type ${runType.type} is registered twice.`);
  registry.set(runType.type, runType as unknown as RunType);
  return runType;
}

export function findRunType(type: string): RunType | undefined {
  return registry.get(type);
}

export function runTypes(): RunType[] {
  return [...registry.values()];
}

/** A run whose type is no longer registered still reads as something. */
function fallbackText(type: string): RunText {
  return {
    label: type,
    ended: {
      succeeded: () => '',
      partially_succeeded: failureDetail,
      failed: failureDetail,
      cancelled: cancelDetail,
    },
  };
}

/** The run's label and summary line (as of a state it passed through, for live updates). */
export function runDescription(run: Run, as?: { status: RunStatus; outcome: RunOutcome }): RunDescription {
  return describeRun(registry.get(run.type)?.text ?? fallbackText(run.type), run, as);
}

/** The run as the API shows it, with its label and summary line. */
export function describedRun(run: Run): Run & RunDescription {
  return { ...run, ...runDescription(run) };
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
