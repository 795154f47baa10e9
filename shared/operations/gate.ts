import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit';
import { ConcurrencyError, ServiceUnavailableError } from '../errors';
import type { Dispatcher } from './dispatcher';
import { isStale, type RunLifecycle } from './lifecycle';
import { EMPTY_COUNTS, isActive, type Initiator, type Run } from './model';
import { canonicalJson, defaultInstanceId, findRunType, type RunType } from './run-types';
import { scopeLockId, type RunStore } from './run-store';

export interface StartRequest {
  runType: RunType;
  workspaceId: string;
  tenantId: string;
  /** Already validated by `runType.input`. */
  input: Record<string, unknown>;
  initiator: Initiator;
}

export type StartOutcome =
  { kind: 'started'; run: Run } | { kind: 'deduplicated'; run: Run } | { kind: 'busy'; activeRun: Run };

export interface GateDeps {
  runs: RunStore;
  lifecycle: RunLifecycle;
  dispatcher: Dispatcher;
  audit: AuditLog;
}

/** A lock whose run document is not there yet is a start in progress, unless it is older than this. */
const IN_FLIGHT_GRACE_MS = 30_000;
const MAX_ATTEMPTS = 50;

export class DispatchFailedError extends ServiceUnavailableError {
  constructor(
    readonly run: Run,
    cause: unknown,
  ) {
    super('dispatch_failed', 'The operation could not be started; it was recorded as failed. Try again.', {
      cause,
    });
    Object.assign(this.extensions, { run: { id: run.id, links: run.links } });
  }
}

/**
 * The start gate. One scope lock document per tenant, taken with a conditional create, decides who
 * runs: the same identity already active → that run (deduplicated); another run active → busy; a
 * stale holder is failed (`stale_run`) and the start proceeds. No read-then-write decides anything.
 */
export async function startRun(deps: GateDeps, request: StartRequest): Promise<StartOutcome> {
  const { runType, tenantId } = request;
  const identityKey = `${runType.type}|${tenantId}|${canonicalJson(runType.identity(request.input))}`;
  const runId = randomUUID();
  const lockId = scopeLockId(tenantId);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const now = new Date().toISOString();
    if (await deps.runs.tryLock({ id: lockId, runId, identityKey, type: runType.type, createdAt: now })) {
      return { kind: 'started', run: await createAndDispatch(deps, request, runId, identityKey) };
    }
    const lock = await deps.runs.readLock(lockId);
    if (!lock) continue;
    const holder = await deps.runs.get(lock.runId);
    if (!holder || !isActive(holder)) {
      if (holder || Date.now() - Date.parse(lock.createdAt) > IN_FLIGHT_GRACE_MS)
        await deps.runs.releaseLock(lock);
      else await pause(attempt);
      continue;
    }
    if (isStale(holder, findRunType(holder.type)?.staleAfterMs ?? 0)) {
      await failStale(deps, holder);
      continue;
    }
    if (lock.identityKey === identityKey) {
      await audit(deps, request, 'operation.deduplicated', holder);
      return { kind: 'deduplicated', run: holder };
    }
    await audit(deps, request, 'operation.scope_busy', holder, 'denied');
    return { kind: 'busy', activeRun: holder };
  }
  throw new ConcurrencyError('The tenant');
}

async function createAndDispatch(
  deps: GateDeps,
  request: StartRequest,
  runId: string,
  identityKey: string,
): Promise<Run> {
  const { runType } = request;
  const now = new Date().toISOString();
  const instanceId =
    runType.instanceId?.({ id: runId, tenantId: request.tenantId, context: request.input }) ??
    defaultInstanceId({ id: runId, tenantId: request.tenantId, type: runType.type });
  const run: Run = {
    id: runId,
    type: runType.type,
    workspaceId: request.workspaceId,
    tenantId: request.tenantId,
    status: 'queued',
    outcome: 'pending',
    identityKey,
    context: request.input,
    initiator: request.initiator,
    counts: EMPTY_COUNTS,
    failures: [],
    progress: null,
    result: null,
    instanceId,
    createdAt: now,
    startedAt: null,
    completedAt: null,
    heartbeatAt: now,
    links: {
      self: `/api/operations/${runId}`,
      durableStatus: `/runtime/webhooks/durabletask/instances/${encodeURIComponent(instanceId)}`,
    },
  };
  try {
    await deps.runs.create(run);
  } catch (error) {
    const lock = await deps.runs.readLock(scopeLockId(request.tenantId));
    if (lock?.runId === runId) await deps.runs.releaseLock(lock);
    throw error;
  }
  await audit(deps, request, 'operation.start', run);
  try {
    await deps.dispatcher.start(runType.orchestrator, instanceId, { runId });
  } catch (error) {
    const failed = await deps.lifecycle.complete(runId, {
      outcome: 'failed',
      failures: [{ reasonCode: 'dispatch_failed', message: 'The orchestration could not be started.' }],
    });
    throw new DispatchFailedError(failed, error);
  }
  return run;
}

/** Completing the run releases its scope; the orchestration, if it still exists somewhere, is ended. */
async function failStale(deps: GateDeps, run: Run): Promise<void> {
  await deps.lifecycle.complete(run.id, {
    outcome: 'failed',
    failures: [
      { reasonCode: 'stale_run', message: 'The operation stopped reporting progress and was ended.' },
    ],
  });
  await deps.dispatcher.terminate(run.instanceId, 'stale_run').catch(() => undefined);
}

function audit(
  deps: GateDeps,
  request: StartRequest,
  action: string,
  run: Run,
  outcome: 'success' | 'denied' = 'success',
) {
  return deps.audit.record({
    workspaceId: request.workspaceId,
    tenantId: request.tenantId,
    actor:
      request.initiator.kind === 'user'
        ? { kind: 'user', userId: request.initiator.userId, displayName: request.initiator.displayName }
        : { kind: 'schedule', scheduleId: request.initiator.scheduleId },
    action,
    target: { type: 'operation', id: run.id },
    outcome,
    metadata: {
      type: request.runType.type,
      ...(run.type !== request.runType.type && { activeType: run.type }),
    },
  });
}

function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(20 + attempt * 10, 200)));
}

/** The sweeper's half of the stale rule: ends stale runs even when nobody starts another. */
export async function sweepStaleRuns(deps: GateDeps): Promise<Run[]> {
  const swept: Run[] = [];
  for (const run of await deps.runs.active()) {
    if (!isStale(run, findRunType(run.type)?.staleAfterMs ?? Number.POSITIVE_INFINITY)) continue;
    await failStale(deps, run);
    swept.push(run);
  }
  return swept;
}
