/**
 * Where the domain gets "now". The composition root hands every service the system clock; nothing in
 * the domain calls `new Date()` or `Date.now()` for the current time, so a test can hand in any instant.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
