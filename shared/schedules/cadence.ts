import { z } from 'zod';
import {
  addDays,
  dayOfWeek,
  isValidTimeZone,
  localParts,
  resolveLocalTime,
  type LocalDate,
} from './zoned-time';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export const weekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof weekdaySchema>;

/** When a schedule fires: every day or on chosen weekdays, at a wall-clock time in an IANA zone. */
export const cadenceSchema = z
  .object({
    frequency: z.enum(['daily', 'weekly']),
    daysOfWeek: z.array(weekdaySchema).min(1).max(7).optional(),
    timeOfDay: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00–23:59'),
    timeZone: z.string().min(1).max(64).refine(isValidTimeZone, 'an IANA time zone, e.g. Europe/Berlin'),
  })
  .strict()
  .superRefine((cadence, context) => {
    if (cadence.frequency === 'weekly' && !cadence.daysOfWeek) {
      context.addIssue({
        code: 'custom',
        path: ['daysOfWeek'],
        message: 'required when frequency is weekly',
      });
    }
    if (cadence.frequency === 'daily' && cadence.daysOfWeek) {
      context.addIssue({ code: 'custom', path: ['daysOfWeek'], message: 'only for weekly schedules' });
    }
  })
  .transform((cadence) =>
    cadence.daysOfWeek
      ? { ...cadence, daysOfWeek: WEEKDAYS.filter((day) => cadence.daysOfWeek!.includes(day)) }
      : cadence,
  );
export type Cadence = z.infer<typeof cadenceSchema>;

/** How far the slot search looks: a weekly cadence repeats within 7 days; a day more covers zone edges. */
const SEARCH_DAYS = 9;

function firesOn(cadence: Cadence, date: LocalDate): boolean {
  return cadence.frequency === 'daily' || cadence.daysOfWeek!.includes(WEEKDAYS[dayOfWeek(date)]!);
}

/** The instant of the slot on a local date (whether or not the cadence fires that day). */
function slotOn(cadence: Cadence, date: LocalDate): number {
  const [hour, minute] = cadence.timeOfDay.split(':').map(Number) as [number, number];
  return resolveLocalTime({ ...date, hour, minute }, cadence.timeZone);
}

function localDateOf(instant: number, timeZone: string): LocalDate {
  const { year, month, day } = localParts(instant, timeZone);
  return { year, month, day };
}

/**
 * The first fire time strictly after `after`. Slots are one per firing local date, so a DST change
 * never doubles or drops a slot: a time that does not exist that day fires at the end of the gap, a
 * time that exists twice fires at its first occurrence.
 */
export function nextFireAfter(cadence: Cadence, after: Date): Date {
  const start = localDateOf(after.getTime(), cadence.timeZone);
  for (let offset = -1; offset <= SEARCH_DAYS; offset++) {
    const date = addDays(start, offset);
    if (!firesOn(cadence, date)) continue;
    const slot = slotOn(cadence, date);
    if (slot > after.getTime()) return new Date(slot);
  }
  throw new Error('A cadence fires at least once a week.');
}

/** The latest fire time at or before `at`: the one slot a catch-up runs after downtime. */
export function latestFireAtOrBefore(cadence: Cadence, at: Date): Date {
  const start = localDateOf(at.getTime(), cadence.timeZone);
  for (let offset = 1; offset >= -SEARCH_DAYS; offset--) {
    const date = addDays(start, offset);
    if (!firesOn(cadence, date)) continue;
    const slot = slotOn(cadence, date);
    if (slot <= at.getTime()) return new Date(slot);
  }
  throw new Error('A cadence fires at least once a week.');
}

/** Fire times in (from, to], oldest first, at most `limit` of them (for logging what a catch-up skipped). */
export function firesBetween(cadence: Cadence, from: Date, to: Date, limit = 1000): Date[] {
  const fires: Date[] = [];
  let cursor = from;
  while (fires.length < limit) {
    const next = nextFireAfter(cadence, cursor);
    if (next > to) break;
    fires.push(next);
    cursor = next;
  }
  return fires;
}

/** The canonical text of a fire time in ids and run contexts: UTC, whole seconds (`2025-03-30T01:00:00Z`). */
export function fireTimeText(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
