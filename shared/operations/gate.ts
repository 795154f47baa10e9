import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit';
import { ConcurrencyError, ServiceUnavailableError } from '../errors';
import { isConflict } from '../store/documents';
import type { Dispatcher } from './dispatcher';
import { isStale, type RunLifecycle } from './lifecycle';
import { EMPTY_COUNTS, isActive, type Initiator, type Run } from './model';
import type { OperationCatalog } from './catalog';
import { defaultInstanceId, identityKeyOf, stableRunIdOf, type RunType } from './run-type';
import { scopeLockId, type RunStore } from './run-store';
import type { ScopeClaim, ScopeClaims } from './scope-claims';
import type { Clock } from '../clock';

export interface StartRequest {
  runType: RunType;
  workspaceId: string;
  tenantId: string;
  /**
   * The tenant's display name, kept on the run for the summary line people read. A function when the
   * caller has not read the tenant yet (the start route): called only when a run is to be created, and
   * it throws (404) for a tenant that is not the workspace's, so a deduplicated or refused start is
   * answered without reading the tenant.
   */
  tenantName: string | (() => Promise<string>);
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
  /** Where the stale threshold of a holder's type comes from. */
  catalog: OperationCatalog;
  clock: Clock;
  /** This process's starts taking a scope lock right now (the others of a burst wait for them). */
  claims: ScopeClaims;
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
 * stale holder is failed (`stale_run`) and the start proceeds. No read-then-write decides anything: the
 * lock is read first only so that a deduplicated or refused start costs two point reads (lock, holder)
 * instead of a failed create and the same two reads.
 */
export async function startRun(deps: GateDeps, request: StartRequest): Promise<StartOutcome> {
  const { runType, tenantId } = request;
  const identityKey = identityKeyOf(runType, tenantId, request.input);
  const runId = runType.stableRunId ? stableRunIdOf(identityKey) : randomUUID();
  const tenantName = once(request.tenantName);
  if (runType.stableRunId) {
    // This identity has run before (it may have ended): it never runs twice.
    const existing = await deps.runs.get(runId);
    if (existing) return deduplicated(deps, request, await ofThisWorkspace(request, existing, tenantName));
  }
  const contention = await contend(deps, {
    tenantId,
    runId,
    identityKey,
    type: runType.type,
    // A start confirms the tenant before it takes the scope, never after (nothing to undo on a 404).
    beforeLock: tenantName,
  });
  if (contention.kind === 'locked')
    return createAndDispatch(deps, request, runId, identityKey, tenantName, contention.claim);
  const holder = await ofThisWorkspace(request, contention.holder, tenantName);
  if (contention.kind === 'same') return deduplicated(deps, request, holder);
  await audit(deps, request, 'operation.scope_busy', holder, 'denied');
  return { kind: 'busy', activeRun: holder };
}

/**
 * A run found by the tenant id of the path answers the caller only when it is of the path's workspace;
 * otherwise the tenant is read, which refuses the start (404) for a tenant that is not the workspace's.
 */
async function ofThisWorkspace(request: StartRequest, run: Run, tenantName: () => Promise<string>) {
  if (run.workspaceId !== request.workspaceId) await tenantName();
  return run;
}

/** The tenant's name, read at most once per start. */
function once(tenantName: StartRequest['tenantName']): () => Promise<string> {
  if (typeof tenantName === 'string') return () => Promise.resolve(tenantName);
  let read: Promise<string> | undefined;
  return () => (read ??= tenantName());
}

type Contention =
  /** `claim`: this process's claim on the lock, to settle once the run document is written. */
  { kind: 'locked'; claim?: ScopeClaim } | { kind: 'same' | 'other'; holder: Run };

/**
 * Takes the tenant's scope lock for a run, or names the active run holding it. A lock left by an ended
 * or vanished run is released; a stale holder is failed first. The lock is read before it is created:
 * when the tenant is busy (the common case of a burst of starts) that read is the answer. When another
 * start of this process is taking the lock (or writing the run it took it for), this one waits for it
 * and reads again, rather than racing it (`ScopeClaims`).
 */
async function contend(
  deps: GateDeps,
  claim: {
    tenantId: string;
    runId: string;
    identityKey: string;
    type: string;
    resume?: boolean;
    beforeLock?: () => Promise<unknown>;
  },
): Promise<Contention> {
  const lockId = scopeLockId(claim.tenantId);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const { runId, identityKey, type } = claim;
    const lock = await deps.runs.readLock(lockId);
    if (!lock) {
      const inFlight = deps.claims.pending(lockId);
      if (inFlight) {
        await inFlight.settled;
        continue;
      }
      const mine = deps.claims.take(lockId, runId);
      try {
        await claim.beforeLock?.();
        const createdAt = deps.clock.now().toISOString();
        if (await deps.runs.tryLock({ id: lockId, runId, identityKey, type, createdAt }))
          return { kind: 'locked', claim: mine };
      } catch (error) {
        mine.settle();
        throw error;
      }
      mine.settle();
      continue; // taken in between: read who holds it
    }
    if (claim.resume && lock.runId === runId) return { kind: 'locked' }; // ours already (a retried acquire)
    const holder = await deps.runs.get(lock.runId);
    if (!holder || !isActive(holder)) {
      const creating = deps.claims.pending(lockId);
      if (!holder && creating?.runId === lock.runId) {
        await creating.settled; // its run document is being written in this process
        continue;
      }
      if (holder || deps.clock.now().getTime() - Date.parse(lock.createdAt) > IN_FLIGHT_GRACE_MS)
        await deps.runs.releaseLock(lock);
      else await pause(attempt);
      continue;
    }
    if (isStale(holder, deps.catalog.find(holder.type)?.staleAfterMs ?? 0, deps.clock.now().getTime())) {
      await failStale(deps, holder);
      continue;
    }
    const yields = deps.catalog.find(holder.type)?.yieldsToStarts && !deps.catalog.find(type)?.internal;
    if (yields && lock.identityKey !== identityKey) {
      await supersede(deps, holder, type);
      continue;
    }
    return { kind: lock.identityKey === identityKey ? 'same' : 'other', holder };
  }
  throw new ConcurrencyError('The tenant');
}

async function deduplicated(deps: GateDeps, request: StartRequest, run: Run): Promise<StartOutcome> {
  await audit(deps, request, 'operation.deduplicated', run);
  return { kind: 'deduplicated', run };
}

async function createAndDispatch(
  deps: GateDeps,
  request: StartRequest,
  runId: string,
  identityKey: string,
  tenantName: () => Promise<string>,
  claim: ScopeClaim | undefined,
): Promise<StartOutcome> {
  let run: Run;
  try {
    run = newRun(deps, request, runId, identityKey, await tenantName());
    await deps.runs.create(run);
  } catch (error) {
    const lock = await deps.runs.readLock(scopeLockId(request.tenantId));
    if (lock?.runId === runId) await deps.runs.releaseLock(lock);
    // A stable id taken in the meantime: the same identity started between our read and our create.
    const existing = isConflict(error) && request.runType.stableRunId && (await deps.runs.get(runId));
    if (existing) return deduplicated(deps, request, existing);
    throw error;
  } finally {
    // The run is written, or the lock given back: starts of this tenant waiting in this process go on.
    claim?.settle();
  }
  await audit(deps, request, 'operation.start', run);
  try {
    await deps.dispatcher.start(request.runType.orchestrator, run.instanceId, { runId });
  } catch (error) {
    const failed = await failDispatch(deps, runId);
    throw new DispatchFailedError(failed, error);
  }
  return { kind: 'started', run };
}

function newRun(
  deps: GateDeps,
  request: StartRequest,
  runId: string,
  identityKey: string,
  tenantName: string,
): Run {
  const { runType } = request;
  const now = deps.clock.now().toISOString();
  const instanceId =
    runType.instanceId?.({ id: runId, tenantId: request.tenantId, context: request.input }) ??
    defaultInstanceId({ id: runId, tenantId: request.tenantId, type: runType.type });
  return {
    id: runId,
    type: runType.type,
    workspaceId: request.workspaceId,
    tenantId: request.tenantId,
    tenantName,
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
}

async function failDispatch(
  deps: GateDeps,
  runId: string,
  message = 'The orchestration could not be started.',
): Promise<Run> {
  const failed = await deps.lifecycle.complete(runId, {
    outcome: 'failed',
    failures: [{ reasonCode: 'dispatch_failed', message }],
  });
  await auditSystem(deps, failed, 'operation.dispatch_failed');
  return failed;
}

export type ScheduledStartOutcome =
  | { kind: 'started'; run: Run }
  /** This identity (schedule and fire time) was claimed before, by this or another host: nothing to do. */
  | { kind: 'claimed'; runId: string }
  | { kind: 'dispatch_failed'; run: Run };

/**
 * The gate for starts nobody is waiting on (the backup scheduler), where "the tenant is busy" must not
 * lose the start. The run is created without the scope lock, under its stable id: that conditional
 * create is the claim, so racing timers or hosts make one run per identity, ever. Then the instance is
 * checked before it is started, because starting the id of a finished instance would silently run it
 * again. The run takes the tenant's scope later, from its orchestration (`acquireScope`), waiting
 * while another run holds it.
 */
export async function startScheduledRun(
  deps: GateDeps,
  request: StartRequest,
  options: {
    /**
     * Work that may start once this call made the claim, alongside the audit record and the dispatch
     * instead of after them: the scheduler advances the schedule. A slot claimed before is answered
     * `claimed`, and the caller decides.
     */
    whenClaimed?: () => Promise<unknown>;
  } = {},
): Promise<ScheduledStartOutcome> {
  const identityKey = identityKeyOf(request.runType, request.tenantId, request.input);
  const tenantName = await once(request.tenantName)();
  const run = newRun(deps, request, stableRunIdOf(identityKey), identityKey, tenantName);
  try {
    await deps.runs.create(run);
  } catch (error) {
    if (!isConflict(error)) throw error;
    return { kind: 'claimed', runId: run.id };
  }
  // The claim is ours: the audit record, the dispatch and the caller's work do not depend on each
  // other, so they go out together (a tick's slot costs one round trip of latency less per step).
  const [outcome] = await Promise.all([
    dispatchClaimed(deps, request, run),
    audit(deps, request, 'operation.start', run),
    options.whenClaimed?.(),
  ]);
  return outcome;
}

/** Starts the instance of a run this caller claimed, unless that instance exists already. */
async function dispatchClaimed(
  deps: GateDeps,
  request: StartRequest,
  run: Run,
): Promise<ScheduledStartOutcome> {
  try {
    if (await deps.dispatcher.exists(run.instanceId)) {
      // Only possible if an earlier run document of this identity was removed: the work was done.
      const failed = await failDispatch(deps, run.id, 'This start already ran; it is not run again.');
      return { kind: 'dispatch_failed', run: failed };
    }
    await deps.dispatcher.start(request.runType.orchestrator, run.instanceId, { runId: run.id });
  } catch {
    return { kind: 'dispatch_failed', run: await failDispatch(deps, run.id) };
  }
  return { kind: 'started', run };
}

export type ScopeOutcome = { kind: 'acquired' } | { kind: 'busy'; activeRun: Run } | { kind: 'ended' };

/**
 * Takes the tenant's scope for a run created by `startScheduledRun`, from its orchestration. Idempotent
 * (a retried activity finds the lock already its own); `ended` when the run was completed meanwhile
 * (cancelled, or failed as stale).
 */
export async function acquireScope(deps: GateDeps, runId: string): Promise<ScopeOutcome> {
  const run = await deps.runs.get(runId);
  if (!run || !isActive(run)) return { kind: 'ended' };
  const contention = await contend(deps, {
    tenantId: run.tenantId,
    runId: run.id,
    identityKey: run.identityKey,
    type: run.type,
    resume: true,
  });
  if (contention.kind === 'locked') {
    contention.claim?.settle(); // the run document exists already
    // Completed between our read and the lock (cancel): give the scope back at once.
    const current = await deps.runs.get(runId);
    if (current && isActive(current)) return { kind: 'acquired' };
    if (current) await deps.lifecycle.releaseScope(current);
    return { kind: 'ended' };
  }
  return { kind: 'busy', activeRun: contention.holder };
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
  await auditSystem(deps, run, 'operation.stale');
}

/** A background run that gives way to a user's start (`yieldsToStarts`): ended as cancelled, on record. */
async function supersede(deps: GateDeps, run: Run, by: string): Promise<void> {
  await deps.lifecycle.complete(run.id, {
    outcome: 'cancelled',
    failures: [
      {
        reasonCode: 'cancelled',
        message: `Ended so that ${by} could start on the tenant; a later run picks up.`,
      },
    ],
  });
  await deps.dispatcher.terminate(run.instanceId, 'superseded').catch(() => undefined);
  await auditSystem(deps, run, 'operation.superseded');
}

/** What the system did to a run (nobody asked): on record too, once per run even when a step is retried. */
function auditSystem(deps: GateDeps, run: Run, action: string, outcome: 'success' | 'failure' = 'failure') {
  return deps.audit.record({
    workspaceId: run.workspaceId,
    tenantId: run.tenantId,
    actor: { kind: 'system' },
    action,
    target: { type: 'operation', id: run.id },
    outcome,
    metadata: { type: run.type },
    idempotencyKey: `${run.id}:${action}`,
  });
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
    actor: auditActorOf(request.initiator),
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

export interface SweepOutcome {
  /** Stale runs ended with `stale_run`. */
  failed: Run[];
  /** Runs still queued whose orchestration was never started (their dispatch was lost): started now. */
  redispatched: Run[];
}

/**
 * The sweeper's half of the stale rule: ends stale runs even when nobody starts another — except a run
 * that is stale because its orchestration was never started. A host that dies between creating a run
 * and starting its instance (the start route, a scheduler tick) leaves it queued with no instance:
 * that run is started now instead of failed, so a scheduled backup or a user's start is late, not lost.
 */
export async function sweepStaleRuns(deps: GateDeps): Promise<SweepOutcome> {
  const outcome: SweepOutcome = { failed: [], redispatched: [] };
  for (const run of await deps.runs.active()) {
    const runType = deps.catalog.find(run.type);
    if (!isStale(run, runType?.staleAfterMs ?? Number.POSITIVE_INFINITY, deps.clock.now().getTime()))
      continue;
    if (runType && run.status === 'queued' && !(await deps.dispatcher.exists(run.instanceId))) {
      if (await redispatch(deps, run, runType.orchestrator)) outcome.redispatched.push(run);
      continue;
    }
    await failStale(deps, run);
    outcome.failed.push(run);
  }
  return outcome;
}

/**
 * Starts a queued run's lost orchestration. The run's heartbeat is moved first with its ETag, and only
 * the sweeper whose write lands starts the instance: sweepers on two hosts start it once, and if this
 * one dies before the start, the run turns stale again and a later sweep starts it.
 */
async function redispatch(deps: GateDeps, run: Run, orchestrator: string): Promise<boolean> {
  let claimed = false;
  await deps.runs.update(run.id, (current) => {
    claimed = current.status === 'queued' && current.heartbeatAt === run.heartbeatAt;
    return claimed ? { ...current, heartbeatAt: deps.clock.now().toISOString() } : undefined;
  });
  if (!claimed) return false;
  try {
    await deps.dispatcher.start(orchestrator, run.instanceId, { runId: run.id });
  } catch (error) {
    // Started meanwhile after all (a slow original dispatch): nothing is lost.
    if (await deps.dispatcher.exists(run.instanceId)) return false;
    throw error;
  }
  await auditSystem(deps, run, 'operation.redispatched', 'success');
  return true;
}

function auditActorOf(initiator: Initiator) {
  switch (initiator.kind) {
    case 'user':
      return { kind: 'user' as const, userId: initiator.userId, displayName: initiator.displayName };
    case 'schedule':
      return { kind: 'schedule' as const, scheduleId: initiator.scheduleId };
    case 'system':
      return { kind: 'system' as const };
  }
}
