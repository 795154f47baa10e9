import type { Container } from '@azure/cosmos';
import type { Run } from '../operations/model';
import type { Schedule } from './model';

export interface LastRun {
  runId: string;
  type: string;
  status: string;
  outcome: string;
  scheduledFor: string | null;
  createdAt: string;
  completedAt: string | null;
  failures: Array<{ reasonCode: string; message: string }>;
}

/**
 * A schedule's latest run of any kind (scheduled, run-now, retry), read from the runs themselves: a run
 * failed by the stale sweeper, a cancel or a failed dispatch shows on the schedule as it is, with no
 * second copy of the status to keep in step.
 */
export class LastRuns {
  constructor(private readonly runs: Container) {}

  async of(schedule: Pick<Schedule, 'id' | 'workspaceId'>): Promise<LastRun | undefined> {
    const { resources } = await this.runs.items
      .query<Run>({
        query:
          'SELECT TOP 1 * FROM c WHERE c.workspaceId = @workspaceId AND c.context.scheduleId = @scheduleId ORDER BY c.createdAt DESC',
        parameters: [
          { name: '@workspaceId', value: schedule.workspaceId },
          { name: '@scheduleId', value: schedule.id },
        ],
      })
      .fetchAll();
    const run = resources[0];
    if (!run) return undefined;
    const scheduledFor = run.context.scheduledFor;
    return {
      runId: run.id,
      type: run.type,
      status: run.status,
      outcome: run.outcome,
      scheduledFor: typeof scheduledFor === 'string' ? scheduledFor : null,
      createdAt: run.createdAt,
      completedAt: run.completedAt,
      failures: run.failures.map(({ reasonCode, message }) => ({ reasonCode, message })),
    };
  }
}
