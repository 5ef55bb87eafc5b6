// Moves this process's (or isolate's) idea of today by a fixed offset, for the run that proves no test
// depends on the date it happens to run on (`npm run test:future`, a year ahead). Only the wall clock
// moves: `Date.now()` and `new Date()` with no arguments. Dates built from a value, timers and
// monotonic clocks are untouched, so a test's own pinned times and every wait behave as always.

/** Replaces the global Date with one whose "now" is `offsetMs` later; returns a function that undoes it. */
export function shiftClock(offsetMs: number): () => void {
  const RealDate = globalThis.Date;
  if (offsetMs === 0) return () => {};
  const realNow = RealDate.now.bind(RealDate);
  class ShiftedDate extends RealDate {
    constructor(...args: ConstructorParameters<typeof Date> | []) {
      if (args.length === 0) super(realNow() + offsetMs);
      else super(...(args as ConstructorParameters<typeof Date>));
    }
    static override now(): number {
      return realNow() + offsetMs;
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
  return () => {
    globalThis.Date = RealDate;
  };
}

/** "365" (days) from TEST_CLOCK_SHIFT_DAYS as milliseconds; 0 when unset. A bad value is refused loudly. */
export function clockShiftFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return 0;
  const days = Number(value);
  if (!Number.isFinite(days))
    throw new Error(`TEST_CLOCK_SHIFT_DAYS must be a number of days, got "${value}"`);
  return days * 86_400_000;
}
