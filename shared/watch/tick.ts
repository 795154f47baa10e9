import type { Container } from '@azure/cosmos';
import type { Clock } from '../clock';
import { startRun, type GateDeps } from '../operations/gate';
import type { TenantStatuses } from '../schedules/tenant-status';
import { updateWithEtag, withoutSystemFields } from '../store/documents';
import { WATCH_STATE_ID, watchStateSchema, type WatchState } from './model';
import { inventoryWatchRunType } from './run-types';

/** How often a tenant whose last watch lacked the audit permissions is tried again. */
export const PERMISSION_RETRY_MINUTES = 60;

export interface WatchTickDeps {
  /** The inventory container (watch states). */
  container: Container;
  gate: GateDeps;
  tenants: Pick<TenantStatuses, 'active'>;
  clock: Clock;
  log: (message: string) => void;
}

export interface WatchTickSummary {
  due: number;
  started: number;
  /** The slot's run existed already (another tick or host started it): nothing done here. */
  deduplicated: number;
  /** Another run (a full sync, a backup) held the tenant: the slot is skipped, the watermark waits. */
  busy: number;
  /** Archived or removed tenants. */
  skipped: number;
  errors: number;
  runIds: string[];
}

/** The start of the interval `now` falls in: a pure function of time, so racing ticks agree on it. */
export function watchSlot(now: Date, intervalMinutes: number): Date {
  const interval = intervalMinutes * 60_000;
  return new Date(Math.floor(now.getTime() / interval) * interval);
}

/**
 * One watch tick: every tenant whose watch is due gets at most one `inventory.watch` run for the
 * current slot. The run id derives from tenant and slot (stable run id, the backup scheduler's
 * exactly-once claim), and the run takes the tenant's scope through the same gate as any start, so
 * it never overlaps a full sync. `force` (tests, operators) starts one tenant's watch now, due or not.
 */
export async function runWatchTick(
  deps: WatchTickDeps,
  options: { force?: { tenantId: string } } = {},
): Promise<WatchTickSummary> {
  const now = deps.clock.now();
  const summary: WatchTickSummary = {
    due: 0,
    started: 0,
    deduplicated: 0,
    busy: 0,
    skipped: 0,
    errors: 0,
    runIds: [],
  };
  const query = options.force
    ? {
        query: "SELECT * FROM c WHERE c.tenantId = @tenantId AND c.docType = 'watchState'",
        parameters: [{ name: '@tenantId', value: options.force.tenantId }],
      }
    : {
        query: "SELECT * FROM c WHERE c.docType = 'watchState' AND c.enabled = true AND c.nextDueAt <= @now",
        parameters: [{ name: '@now', value: now.toISOString() }],
      };
  const { resources } = await deps.container.items.query<WatchState>(query).fetchAll();
  const due = resources.map((doc) => watchStateSchema.parse(withoutSystemFields(doc)));
  summary.due = due.length;
  const active = await deps.tenants.active(due.map((state) => state.tenantId));
  for (const state of due) {
    try {
      const slot = options.force ? now : watchSlot(now, state.intervalMinutes);
      // Without the audit permissions a watch fails at its first request: try again hourly, not every slot.
      const waitMinutes =
        state.lastFailure === 'provider_permission_denied'
          ? Math.max(state.intervalMinutes, PERMISSION_RETRY_MINUTES)
          : state.intervalMinutes;
      const next = new Date(watchSlot(now, state.intervalMinutes).getTime() + waitMinutes * 60_000);
      const tenantName = active.get(state.tenantId);
      if (tenantName !== undefined) {
        const outcome = await startRun(deps.gate, {
          runType: inventoryWatchRunType,
          workspaceId: state.workspaceId,
          tenantId: state.tenantId,
          tenantName,
          input: { slot: slot.toISOString() },
          initiator: { kind: 'system', name: 'watchScheduler' },
        });
        if (outcome.kind === 'started') summary.started++;
        else if (outcome.kind === 'deduplicated') summary.deduplicated++;
        else summary.busy++;
        if (outcome.kind !== 'busy') summary.runIds.push(outcome.run.id);
      } else summary.skipped++;
      if (!options.force)
        await updateWithEtag<WatchState>(deps.container, WATCH_STATE_ID, state.tenantId, (current) =>
          current.nextDueAt < next.toISOString() ? { ...current, nextDueAt: next.toISOString() } : undefined,
        );
    } catch (error) {
      summary.errors++;
      deps.log(
        `Watch of tenant ${state.tenantId}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return summary;
}
