// Owns request pacing: an async token bucket that spaces calls to a vendor to N per second with a small
// burst, shared by everything that talks to that vendor in one run. Uses only timers, so it works in
// workerd; the clock is injectable so tests can check the pacing without waiting.

/** Wall-clock time and waiting, injectable for tests. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock: `Date.now` and `setTimeout` (in workerd, time advances across awaits, as needed here). */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Spaces requests to a rate; `holdFor` pauses everyone after a server said "slow down". */
export interface RateLimiter {
  /** Resolves when the caller may send one request. Callers are served in the order they asked. */
  acquire(): Promise<void>;
  /** No request may start for `ms` from now (a 429's Retry-After); waiting callers re-queue behind it. */
  holdFor(ms: number): void;
}

/** Rate, burst and clock of a limiter. */
export interface RateLimiterOptions {
  /** Sustained requests per second. */
  perSecond: number;
  /**
   * Requests that may go at once after a quiet spell. Default: one less than the per-second rate (at
   * least 1), so that pacing at a server's own rate keeps a token of slack for network jitter.
   */
  burst?: number;
  clock?: Clock;
}

/**
 * A token bucket, kept in its "virtual scheduling" form (GCRA): instead of a token count it keeps the
 * theoretical time the bucket is next empty, so each `acquire` reserves its slot synchronously and just
 * sleeps until then. That makes it fair (first come, first served) and free of polling.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  if (!(options.perSecond > 0)) throw new RangeError("perSecond must be positive");
  const clock = options.clock ?? systemClock;
  const interval = 1000 / options.perSecond;
  const burst = Math.max(1, Math.floor(options.burst ?? Math.ceil(options.perSecond) - 1));
  const tolerance = (burst - 1) * interval;
  let theoretical = Number.NEGATIVE_INFINITY;
  let heldUntil = Number.NEGATIVE_INFINITY;
  let holds = 0;

  const reserve = (): number => {
    const now = clock.now();
    theoretical = Math.max(theoretical, now);
    const allowedAt = Math.max(theoretical - tolerance, heldUntil);
    theoretical += interval;
    return Math.max(0, allowedAt - now);
  };

  const acquire = async (): Promise<void> => {
    const holdsBefore = holds;
    const wait = reserve();
    if (wait > 0) await clock.sleep(wait);
    // A hold that started while we slept wins over our reservation: queue again behind it, so that the
    // callers do not all fire the moment it ends.
    if (holds !== holdsBefore && heldUntil > clock.now()) await acquire();
  };

  return {
    acquire,
    holdFor(ms) {
      if (!(ms > 0)) return;
      const until = clock.now() + ms;
      if (until <= heldUntil) return;
      heldUntil = until;
      holds += 1;
      // Restart the bucket at the end of the hold, empty of burst, so requests resume spaced out.
      theoretical = Math.max(theoretical, until + tolerance);
    },
  };
}
