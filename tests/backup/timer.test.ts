import { describe, expect, it } from 'vitest';
import { fireTimeText } from '../../shared/schedules/cadence';
import { api, freshWorkspace } from '../support/api';
import { eventually } from '../support/http';
import { runsOfSchedule } from './support';

// Its own file: it waits for the next minute boundary, so it runs beside the other files.
describe('backup schedules: the timer', () => {
  it("fires by itself at its slot: the host's every-minute timer, no admin call", async () => {
    const { workspaceId, tenantId } = await freshWorkspace('Scheduler on time');
    const base = `/workspaces/${workspaceId}/tenants/${tenantId}`;
    // The next minute boundary (the timer's schedule is second 0 of every minute), at least 3 s away.
    const slot = new Date(Math.ceil((Date.now() + 3000) / 60_000) * 60_000);
    const cadence = { frequency: 'daily', timeOfDay: slot.toISOString().slice(11, 16), timeZone: 'UTC' };
    const created = await api('POST', `${base}/backup-schedules`, {
      as: 'mike',
      body: { name: 'On time', cadence, retention: { keepLast: 1 } },
    });
    expect(created.status, created.text).toBe(201);
    const schedule = created.body;
    expect(schedule.nextRunAt).toBe(slot.toISOString());
    const run = await eventually(
      async () => (await runsOfSchedule(workspaceId, schedule.id))[0],
      90_000,
      500,
    );
    expect(run.context.scheduledFor).toBe(fireTimeText(slot));
    expect(Date.parse(run.createdAt) - slot.getTime()).toBeLessThan(15_000);
  }, 120_000);
});
