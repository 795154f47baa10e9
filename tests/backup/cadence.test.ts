import { describe, expect, it } from 'vitest';
import {
  cadenceSchema,
  firesBetween,
  latestFireAtOrBefore,
  nextFireAfter,
  type Cadence,
} from '../../shared/schedules/cadence';
import { localParts } from '../../shared/schedules/zoned-time';

function cadence(input: Record<string, unknown>): Cadence {
  return cadenceSchema.parse({ frequency: 'daily', ...input });
}

/** The next `count` fire times after `from`, as ISO strings. */
function fires(c: Cadence, from: string, count: number): string[] {
  const out: string[] = [];
  let cursor = new Date(from);
  for (let i = 0; i < count; i++) {
    cursor = nextFireAfter(c, cursor);
    out.push(cursor.toISOString());
  }
  return out;
}

describe('cadence: Europe/Berlin across both DST transitions (2025)', () => {
  const berlin = (timeOfDay: string) => cadence({ timeOfDay, timeZone: 'Europe/Berlin' });

  it('02:30 on the spring-forward night (30 March) fires once, at 03:00 CEST', () => {
    expect(fires(berlin('02:30'), '2025-03-28T12:00:00Z', 3)).toEqual([
      '2025-03-29T01:30:00.000Z', // 02:30 CET
      '2025-03-30T01:00:00.000Z', // 02:30 does not exist: 03:00 CEST, the first valid time
      '2025-03-31T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('02:00 (the start of the gap) also becomes 03:00 CEST; 03:30 is unaffected', () => {
    expect(fires(berlin('02:00'), '2025-03-29T12:00:00Z', 1)).toEqual(['2025-03-30T01:00:00.000Z']);
    expect(fires(berlin('03:30'), '2025-03-29T12:00:00Z', 1)).toEqual(['2025-03-30T01:30:00.000Z']);
  });

  it('02:30 on the fall-back night (26 October) fires once, at its first occurrence (CEST)', () => {
    expect(fires(berlin('02:30'), '2025-10-24T12:00:00Z', 3)).toEqual([
      '2025-10-25T00:30:00.000Z', // 02:30 CEST
      '2025-10-26T00:30:00.000Z', // 02:30 CEST; 02:30 CET (01:30Z) an hour later is not a second slot
      '2025-10-27T01:30:00.000Z', // 02:30 CET
    ]);
    expect(nextFireAfter(berlin('02:30'), new Date('2025-10-26T00:30:00Z')).toISOString()).toBe(
      '2025-10-27T01:30:00.000Z',
    );
  });

  it('the catch-up slot at or before an instant respects both transitions', () => {
    const c = berlin('02:30');
    expect(latestFireAtOrBefore(c, new Date('2025-03-30T05:00:00Z')).toISOString()).toBe(
      '2025-03-30T01:00:00.000Z',
    );
    expect(latestFireAtOrBefore(c, new Date('2025-03-30T00:59:59Z')).toISOString()).toBe(
      '2025-03-29T01:30:00.000Z',
    );
    expect(latestFireAtOrBefore(c, new Date('2025-10-26T01:45:00Z')).toISOString()).toBe(
      '2025-10-26T00:30:00.000Z',
    );
  });

  it('a weekly Sunday schedule fires on both transition Sundays exactly once', () => {
    const sundays = cadence({
      frequency: 'weekly',
      daysOfWeek: ['sun'],
      timeOfDay: '02:30',
      timeZone: 'Europe/Berlin',
    });
    expect(fires(sundays, '2025-03-24T00:00:00Z', 2)).toEqual([
      '2025-03-30T01:00:00.000Z',
      '2025-04-06T00:30:00.000Z',
    ]);
    expect(fires(sundays, '2025-10-20T00:00:00Z', 2)).toEqual([
      '2025-10-26T00:30:00.000Z',
      '2025-11-02T01:30:00.000Z',
    ]);
  });
});

describe('cadence: America/New_York across both DST transitions (2025)', () => {
  const newYork = (timeOfDay: string) => cadence({ timeOfDay, timeZone: 'America/New_York' });

  it('02:30 on the spring-forward night (9 March) fires once, at 03:00 EDT', () => {
    expect(fires(newYork('02:30'), '2025-03-07T12:00:00Z', 3)).toEqual([
      '2025-03-08T07:30:00.000Z', // 02:30 EST
      '2025-03-09T07:00:00.000Z', // 03:00 EDT
      '2025-03-10T06:30:00.000Z', // 02:30 EDT
    ]);
  });

  it('01:30 on the fall-back night (2 November) fires once, at its first occurrence (EDT)', () => {
    expect(fires(newYork('01:30'), '2025-10-31T12:00:00Z', 3)).toEqual([
      '2025-11-01T05:30:00.000Z', // 01:30 EDT
      '2025-11-02T05:30:00.000Z', // 01:30 EDT; 01:30 EST (06:30Z) is the same slot
      '2025-11-03T06:30:00.000Z', // 01:30 EST
    ]);
  });

  it('catches up on the latest slot only', () => {
    const c = newYork('01:30');
    const from = new Date('2025-10-30T12:00:00Z');
    const to = new Date('2025-11-03T12:00:00Z');
    expect(firesBetween(c, from, to).map((d) => d.toISOString())).toEqual([
      '2025-10-31T05:30:00.000Z',
      '2025-11-01T05:30:00.000Z',
      '2025-11-02T05:30:00.000Z',
      '2025-11-03T06:30:00.000Z',
    ]);
    expect(latestFireAtOrBefore(c, to).toISOString()).toBe('2025-11-03T06:30:00.000Z');
  });
});

describe('cadence: one slot per firing local date, all year', () => {
  for (const timeZone of ['Europe/Berlin', 'America/New_York']) {
    it(`${timeZone}: every half hour of the day, through 2025`, () => {
      for (let minutes = 0; minutes < 24 * 60; minutes += 30) {
        const timeOfDay = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
        const c = cadence({ timeOfDay, timeZone });
        const all = firesBetween(c, new Date('2024-12-31T12:00:00Z'), new Date('2026-01-01T12:00:00Z'));
        const dates = all.map((d) => {
          const p = localParts(d.getTime(), timeZone);
          return `${p.year}-${p.month}-${p.day}`;
        });
        expect(new Set(dates).size, timeOfDay).toBe(dates.length);
        expect(dates.filter((d) => d.startsWith('2025-')).length, timeOfDay).toBe(365);
        // Where the wall time exists, the slot is exactly it; only the spring-forward gap moves a slot.
        const moved = all.filter((d) => {
          const p = localParts(d.getTime(), timeZone);
          return p.hour * 60 + p.minute !== minutes;
        });
        expect(moved.length, timeOfDay).toBe(minutes >= 120 && minutes < 180 ? 1 : 0);
      }
    });
  }
});

describe('cadence validation', () => {
  it('rejects unknown zones, bad times and weekly without days; sorts weekdays', () => {
    expect(
      cadenceSchema.safeParse({ frequency: 'daily', timeOfDay: '02:30', timeZone: 'Mars/Base' }).success,
    ).toBe(false);
    expect(
      cadenceSchema.safeParse({ frequency: 'daily', timeOfDay: '24:00', timeZone: 'Europe/Berlin' }).success,
    ).toBe(false);
    expect(
      cadenceSchema.safeParse({ frequency: 'weekly', timeOfDay: '02:30', timeZone: 'Europe/Berlin' }).success,
    ).toBe(false);
    expect(
      cadenceSchema.parse({
        frequency: 'weekly',
        daysOfWeek: ['fri', 'mon', 'mon'],
        timeOfDay: '23:15',
        timeZone: 'UTC',
      }).daysOfWeek,
    ).toEqual(['mon', 'fri']);
  });
});
