/**
 * Wall-clock time in IANA time zones with nothing but `Intl` (Node ships full ICU): the offset of a zone
 * at an instant, and the instant a local date and time denotes — including the two DST cases where a
 * local time does not exist (spring forward) or exists twice (fall back).
 */

export interface LocalDate {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** True for a zone name `Intl` knows (IANA names and their aliases, e.g. `UTC`, `Europe/Berlin`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Answers of `localParts` already computed: a tick evaluates the same few cadences for thousands of
 * schedules (daily at 02:00 in a handful of zones), and `formatToParts` was most of a slot's time
 * arithmetic. A pure function's answers, so keeping them is safe; bounded, emptied when full.
 */
const computed = new Map<string, Readonly<LocalDateTime & { second: number }>>();
const COMPUTED_LIMIT = 10_000;

/** The local date and time (to the second) of an instant in a zone. */
export function localParts(instant: number, timeZone: string): LocalDateTime & { second: number } {
  const key = `${timeZone}|${instant}`;
  const known = computed.get(key);
  if (known) return { ...known };
  const parts = computeLocalParts(instant, timeZone);
  if (computed.size >= COMPUTED_LIMIT) computed.clear();
  computed.set(key, { ...parts });
  return parts;
}

function computeLocalParts(instant: number, timeZone: string): LocalDateTime & { second: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Milliseconds the zone is ahead of UTC at an instant (e.g. +3_600_000 for CET). */
export function offsetAt(instant: number, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

function wallClockAsUtc(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
}

function sameWallClock(instant: number, local: LocalDateTime, timeZone: string): boolean {
  const p = localParts(instant, timeZone);
  return (
    p.year === local.year &&
    p.month === local.month &&
    p.day === local.day &&
    p.hour === local.hour &&
    p.minute === local.minute
  );
}

const DAY_MS = 86_400_000;

/**
 * The instant a local date and time denotes in a zone. When the clocks go back and the time exists twice,
 * the earlier instant (so a daily slot fires once, at its first occurrence). When the clocks go forward
 * and the time does not exist, the first instant after the gap (02:30 on a spring-forward night in
 * Berlin → 03:00 CEST), so the slot still fires that day, once.
 */
export function resolveLocalTime(local: LocalDateTime, timeZone: string): number {
  const wall = wallClockAsUtc(local);
  // A day either side of the wall time brackets any transition affecting it (zones change at most
  // once per day), so the offsets there are the two candidates.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [...new Set([wall - before, wall - after])]
    .filter((instant) => sameWallClock(instant, local, timeZone))
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0]!;
  return endOfGap(wall - Math.max(before, after), wall - Math.min(before, after), timeZone, after);
}

/**
 * The transition instant inside a spring-forward gap, found by bisection between an instant before it
 * (old offset) and one after it (new offset), to the second.
 */
function endOfGap(low: number, high: number, timeZone: string, offsetAfter: number): number {
  let lo = low;
  let hi = high;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (offsetAt(mid, timeZone) === offsetAfter) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The local calendar date `days` after the given one (calendar arithmetic, no zone involved). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday, of a calendar date. */
export function dayOfWeek(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}
