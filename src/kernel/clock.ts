/**
 * The only place that reads the wall clock. Everything time-dependent (validation timeout,
 * expiry, idempotency window, SigV4 skew) takes a Clock so tests can freeze or move time.
 */
export interface Clock {
  now(): Date;
}

/** ISO 8601 to the second (`2026-12-07T21:00:00Z`), as AWS writes times in events and answers. */
export const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | number = Date.UTC(2026, 0, 1)) {
    this.t = typeof start === 'number' ? start : start.getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(d: Date | number): void {
    this.t = typeof d === 'number' ? d : d.getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A system clock shifted by a fixed offset (used by `CERTTRAIL_CLOCK_OFFSET_SECONDS` in tests). */
export function offsetClock(offsetMs: number): Clock {
  return { now: () => new Date(Date.now() + offsetMs) };
}

export const HOUR_MS = 3600_000;
export const DAY_MS = 24 * HOUR_MS;
