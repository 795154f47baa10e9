/**
 * Where the scheduler and schedule maths get "now". Production uses the system clock; nothing in the
 * domain calls `new Date()` for a decision about slots, so a test can hand in any instant.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
