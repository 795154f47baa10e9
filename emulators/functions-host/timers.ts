import { Cron } from 'croner';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveAppSettings } from './expressions';
import { triggerOf, type RegisteredFunction } from './registry';

export interface TimerInfo {
  isPastDue: boolean;
  schedule: { adjustForDST: boolean };
  scheduleStatus?: { last: string; next: string; lastUpdated: string };
}

interface ScheduleStatus {
  last: string;
  next: string;
  lastUpdated: string;
}

/**
 * Parses a 6-field NCRONTAB expression (`{second} {minute} {hour} {day} {month} {day-of-week}`).
 * Like NCrontab, day-of-month and day-of-week must both match.
 */
export function parseNcrontab(expression: string, timezone?: string): Cron {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new Error(
      `"${expression}" is not a 6-field NCRONTAB expression ({second} {minute} {hour} {day} {month} {day-of-week}).`,
    );
  }
  return new Cron(expression, { paused: true, legacyMode: false, ...(timezone && { timezone }) });
}

/**
 * Fires timer triggers on their schedules. Schedule status (last/next) is kept in a file, so a
 * restart after a missed occurrence fires once with `isPastDue: true`, as the host's schedule
 * monitor does; `runOnStartup` is honoured.
 */
export class TimerScheduler {
  private readonly handles = new Map<string, NodeJS.Timeout>();
  private status: Record<string, ScheduleStatus>;
  private stopped = false;

  constructor(
    private readonly fire: (fn: RegisteredFunction, info: TimerInfo) => Promise<void>,
    private readonly env: Record<string, string | undefined>,
    private readonly statusFile: string | undefined,
  ) {
    this.status = statusFile && existsSync(statusFile) ? JSON.parse(readFileSync(statusFile, 'utf8')) : {};
  }

  scheduleOf(fn: RegisteredFunction): Cron {
    return parseNcrontab(
      resolveAppSettings(String(triggerOf(fn).schedule), this.env),
      this.env.WEBSITE_TIME_ZONE,
    );
  }

  start(functions: RegisteredFunction[]): void {
    const now = new Date();
    for (const fn of functions) {
      const cron = this.scheduleOf(fn);
      const known = this.status[fn.name];
      const missed = known && new Date(known.next) < now;
      if (missed || triggerOf(fn).runOnStartup === true) void this.run(fn, cron, Boolean(missed));
      else this.arm(fn, cron);
    }
  }

  /** The info a manual run (admin endpoint) passes. */
  manualInfo(fn: RegisteredFunction): TimerInfo {
    return this.info(fn, false);
  }

  stop(): void {
    this.stopped = true;
    for (const handle of this.handles.values()) clearTimeout(handle);
    this.handles.clear();
  }

  private arm(fn: RegisteredFunction, cron: Cron): void {
    if (this.stopped) return;
    const next = cron.nextRun();
    if (!next) return;
    this.record(fn, { next: next.toISOString() });
    const wait = () => {
      const delay = next.getTime() - Date.now();
      if (delay > 0) this.handles.set(fn.name, setTimeout(wait, Math.min(delay, 2 ** 31 - 1)));
      else void this.run(fn, cron, false);
    };
    wait();
  }

  private async run(fn: RegisteredFunction, cron: Cron, isPastDue: boolean): Promise<void> {
    if (this.stopped) return;
    const info = this.info(fn, isPastDue);
    const next = cron.nextRun(new Date(Date.now() + 1));
    this.record(fn, { last: new Date().toISOString(), ...(next && { next: next.toISOString() }) });
    try {
      await this.fire(fn, info);
    } finally {
      this.arm(fn, cron);
    }
  }

  private info(fn: RegisteredFunction, isPastDue: boolean): TimerInfo {
    const status = this.status[fn.name];
    return {
      isPastDue,
      schedule: { adjustForDST: true },
      ...(status && { scheduleStatus: { ...status } }),
    };
  }

  private record(fn: RegisteredFunction, change: Partial<ScheduleStatus>): void {
    const previous = this.status[fn.name] ?? { last: '0001-01-01T00:00:00.000Z', next: '', lastUpdated: '' };
    this.status[fn.name] = { ...previous, ...change, lastUpdated: new Date().toISOString() };
    if (!this.statusFile) return;
    mkdirSync(path.dirname(this.statusFile), { recursive: true });
    writeFileSync(`${this.statusFile}.tmp`, JSON.stringify(this.status, null, 2));
    renameSync(`${this.statusFile}.tmp`, this.statusFile);
  }
}
