import type { AuditLog } from '../audit/audit';
import type { Principal } from '../auth/token-verifier';
import { requireCapability } from '../authz/authorize';
import type { Membership } from '../workspaces/models';
import { ConflictError, ValidationError } from '../errors';
import type { WorkspaceService } from '../workspaces/workspace-service';
import type { OperationCatalog } from './catalog';
import type { Dispatcher } from './dispatcher';
import { startRun, sweepStaleRuns, type StartOutcome, type StartRequest, type SweepOutcome } from './gate';
import type { RunLifecycle } from './lifecycle';
import { isActive, type Run } from './model';
import type { RunQuery, RunStore } from './run-store';
import type { ScopeClaims } from './scope-claims';
import type { Clock } from '../clock';

/**
 * A check a run type needs at its start, beyond its input schema: references resolved, nothing written
 * when they are wrong (an unknown backup set, a restore token that does not match). It throws an
 * AppError (404, 400, 409) to refuse the start.
 */
export type StartCheck = (start: {
  principal: Principal;
  membership: Membership;
  workspaceId: string;
  tenantId: string;
  input: Record<string, unknown>;
}) => Promise<void>;

export interface OperationsDeps {
  runs: RunStore;
  lifecycle: RunLifecycle;
  audit: AuditLog;
  workspaces: WorkspaceService;
  catalog: OperationCatalog;
  clock: Clock;
  /** The gate's claims of this process, shared by every caller of the gate (`ScopeClaims`). */
  claims: ScopeClaims;
  /** By run type: what must hold before a run of that type may start. */
  startChecks?: Readonly<Record<string, StartCheck>>;
}

/** Starting, reading and cancelling operation runs. Reads never touch Graph. */
export class OperationsService {
  constructor(private readonly deps: OperationsDeps) {}

  /** `membership` is the caller's, resolved by the route; the run type may need more than the route did. */
  async start(
    principal: Principal,
    membership: Membership,
    scope: Pick<StartRequest, 'workspaceId' | 'tenantId' | 'tenantName'>,
    body: { type: string } & Record<string, unknown>,
    dispatcher: Dispatcher,
  ): Promise<StartOutcome> {
    const found = this.deps.catalog.find(body.type);
    // Internal types (scheduled backups) exist only for the app itself: unknown to callers.
    const runType = found?.internal ? undefined : found;
    if (!runType) {
      throw new ValidationError(`Unknown operation type '${body.type}'.`, [
        {
          path: 'body.type',
          message: `one of: ${this.deps.catalog
            .startable()
            .map((t) => t.type)
            .join(', ')}`,
        },
      ]);
    }
    await requireCapability(this.deps, principal, membership, runType.capability, {
      route: `start:${runType.type}`,
      tenantId: scope.tenantId,
    });
    const { type: _type, ...rest } = body;
    const parsed = runType.input.safeParse(rest);
    if (!parsed.success) {
      throw new ValidationError(
        'The operation input is invalid.',
        parsed.error.issues.map((i) => ({
          path: ['body', ...i.path.map(String)].join('.'),
          message: i.message,
        })),
      );
    }
    await this.deps.startChecks?.[runType.type]?.({
      principal,
      membership,
      workspaceId: scope.workspaceId,
      tenantId: scope.tenantId,
      input: parsed.data,
    });
    return startRun(
      { ...this.deps, dispatcher },
      {
        runType,
        workspaceId: scope.workspaceId,
        tenantId: scope.tenantId,
        tenantName: scope.tenantName,
        input: parsed.data,
        initiator: { kind: 'user', userId: principal.userId, displayName: principal.displayName },
      },
    );
  }

  get(runId: string): Promise<Run | undefined> {
    return this.deps.runs.get(runId);
  }

  list(query: RunQuery) {
    return this.deps.runs.list(query);
  }

  async cancel(principal: Principal, run: Run, dispatcher: Dispatcher): Promise<Run> {
    if (!isActive(run))
      throw new ConflictError('not_active', 'The operation has already ended.', { outcome: run.outcome });
    await dispatcher.terminate(run.instanceId, `cancelled by ${principal.userId}`).catch(() => undefined);
    const cancelled = await this.deps.lifecycle.complete(run.id, {
      outcome: 'cancelled',
      failures: [{ reasonCode: 'cancelled', message: `Cancelled by ${principal.displayName}.` }],
    });
    await this.deps.audit.record({
      workspaceId: run.workspaceId,
      tenantId: run.tenantId,
      actor: { kind: 'user', userId: principal.userId, displayName: principal.displayName },
      action: 'operation.cancel',
      target: { type: 'operation', id: run.id },
      outcome: 'success',
      metadata: { type: run.type },
    });
    return cancelled;
  }

  sweepStale(dispatcher: Dispatcher): Promise<SweepOutcome> {
    return sweepStaleRuns({ ...this.deps, dispatcher });
  }
}
