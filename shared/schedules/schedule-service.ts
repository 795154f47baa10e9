import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit';
import type { Principal } from '../auth/token-verifier';
import { canonicalBackupSelection } from '../backup/selection';
import { ConflictError, NotFoundError } from '../errors';
import type { ManagedTenant } from '../workspaces/models';
import { actorOf } from '../workspaces/workspace-service';
import { nextFireAfter, type Cadence } from './cadence';
import type { Clock } from '../clock';
import type { LastRuns } from './last-runs';
import type { CreateScheduleInput, Schedule, ScheduleView, UpdateScheduleInput } from './model';
import type { ScheduleStore } from './schedule-store';

export interface ScheduleServiceDeps {
  store: ScheduleStore;
  lastRuns: LastRuns;
  audit: AuditLog;
  clock: Clock;
}

/** Backup schedules of a managed tenant: CRUD (authorization happens in the route) and their views. */
export class ScheduleService {
  constructor(private readonly deps: ScheduleServiceDeps) {}

  async list(tenant: ManagedTenant): Promise<ScheduleView[]> {
    const schedules = await this.deps.store.list(tenant.workspaceId, tenant.id);
    return Promise.all(schedules.map((schedule) => this.view(schedule)));
  }

  /** The schedule, or 404: an id of another tenant "does not exist" here. */
  async require(tenant: ManagedTenant, id: string): Promise<Schedule> {
    const schedule = await this.deps.store.get(tenant.id, id);
    if (!schedule || schedule.workspaceId !== tenant.workspaceId)
      throw new NotFoundError('The backup schedule');
    return schedule;
  }

  async get(tenant: ManagedTenant, id: string): Promise<ScheduleView> {
    return this.view(await this.require(tenant, id));
  }

  async create(
    principal: Principal,
    tenant: ManagedTenant,
    input: CreateScheduleInput,
  ): Promise<ScheduleView> {
    const now = this.deps.clock.now();
    const schedule: Schedule = {
      id: randomUUID(),
      kind: 'schedule',
      workspaceId: tenant.workspaceId,
      tenantId: tenant.id,
      name: input.name,
      selection: canonicalBackupSelection(input.selection ?? {}),
      cadence: input.cadence,
      retention: input.retention,
      enabled: input.enabled,
      nextRunAt: nextRunAt(input.cadence, input.enabled, now),
      owner: { userId: principal.userId, displayName: principal.displayName },
      createdAt: now.toISOString(),
      createdBy: principal.userId,
      updatedAt: now.toISOString(),
    };
    await this.deps.store.create(schedule);
    await this.record(principal, schedule, 'backup_schedule.create', {
      name: schedule.name,
      cadence: schedule.cadence,
      retention: schedule.retention,
      enabled: schedule.enabled,
    });
    return { ...schedule, lastRun: null } as ScheduleView;
  }

  /**
   * Saves a change; the saver becomes the owner (scheduled runs notify them). `nextRunAt` is recomputed
   * from now when the cadence or the enabled flag changes, so an edit never triggers a missed slot.
   */
  async update(
    principal: Principal,
    tenant: ManagedTenant,
    id: string,
    input: UpdateScheduleInput,
  ): Promise<ScheduleView> {
    await this.require(tenant, id);
    const now = this.deps.clock.now();
    const updated = await this.deps.store.update(tenant.id, id, (current) => {
      const cadence = input.cadence ?? current.cadence;
      const enabled = input.enabled ?? current.enabled;
      const timingChanged = input.cadence !== undefined || input.enabled !== undefined;
      return {
        ...current,
        ...(input.name !== undefined && { name: input.name }),
        ...(input.selection !== undefined && { selection: canonicalBackupSelection(input.selection) }),
        ...(input.retention !== undefined && { retention: input.retention }),
        cadence,
        enabled,
        nextRunAt: timingChanged ? nextRunAt(cadence, enabled, now) : current.nextRunAt,
        owner: { userId: principal.userId, displayName: principal.displayName },
        updatedAt: now.toISOString(),
      };
    });
    await this.record(principal, updated, 'backup_schedule.update', { changed: Object.keys(input) });
    return this.view(updated);
  }

  /** Removes the schedule; its backup sets stay (retention no longer applies to them). */
  async delete(principal: Principal, tenant: ManagedTenant, id: string): Promise<void> {
    const schedule = await this.require(tenant, id);
    await this.deps.store.delete(tenant.id, id);
    await this.record(principal, schedule, 'backup_schedule.delete', { name: schedule.name });
  }

  /** The run a retry repeats: the schedule's latest run, when it ended without full success. */
  async retryTarget(tenant: ManagedTenant, id: string): Promise<string> {
    const schedule = await this.require(tenant, id);
    const last = await this.deps.lastRuns.of(schedule);
    if (!last || last.status !== 'completed' || last.outcome === 'succeeded') {
      throw new ConflictError(
        'nothing_to_retry',
        "The schedule's latest run did not fail; there is nothing to retry.",
        { lastRun: last ? { runId: last.runId, status: last.status, outcome: last.outcome } : null },
      );
    }
    return last.runId;
  }

  private async view(schedule: Schedule): Promise<ScheduleView> {
    const { kind: _kind, ...rest } = schedule;
    return { ...rest, lastRun: (await this.deps.lastRuns.of(schedule)) ?? null };
  }

  private record(
    principal: Principal,
    schedule: Schedule,
    action: string,
    metadata: Record<string, unknown>,
  ) {
    return this.deps.audit.record({
      workspaceId: schedule.workspaceId,
      tenantId: schedule.tenantId,
      actor: actorOf(principal),
      action,
      target: { type: 'backup_schedule', id: schedule.id },
      outcome: 'success',
      metadata,
    });
  }
}

/** The first slot after now, or null for a disabled schedule (the due query then never sees it). */
export function nextRunAt(cadence: Cadence, enabled: boolean, now: Date): string | null {
  return enabled ? nextFireAfter(cadence, now).toISOString() : null;
}
