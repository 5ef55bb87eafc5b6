// Owns request pacing: the GCRA schedule that spaces calls to a vendor to N per second with a small burst
// and pauses them all after a server said "slow down", and the in-memory limiter built on it for one
// isolate. The schedule is pure (time is an argument), so the Durable Object that shares one pace between
// isolates (src/pace/) keeps the very same rules; the limiter's clock is injectable so tests can check
// the pacing without waiting.

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
  /**
   * No request may start for `ms` from now (a 429's Retry-After); waiting callers re-queue behind it.
   * A limiter kept elsewhere (a Durable Object) answers once the hold is recorded there.
   */
  holdFor(ms: number): void | Promise<void>;
}

/** Rate and burst of a pace. */
export interface PaceSettings {
  /** Sustained requests per second. */
  perSecond: number;
  /**
   * Requests that may go at once after a quiet spell. Default: one less than the per-second rate (at
   * least 1), so that pacing at a server's own rate keeps a token of slack for network jitter.
   */
  burst?: number;
}

/** Rate, burst and clock of a limiter. */
export interface RateLimiterOptions extends PaceSettings {
  clock?: Clock;
}

/**
 * A token bucket in its "virtual scheduling" form (GCRA): instead of a token count it keeps the
 * theoretical time the bucket is next empty, so each reservation is one synchronous step that says when
 * the caller may send. That makes it fair (first come, first served) and free of polling. Times are epoch
 * milliseconds given by the caller.
 */
export class PaceSchedule {
  private interval = 0;
  private tolerance = 0;
  private theoretical = Number.NEGATIVE_INFINITY;
  private held = Number.NEGATIVE_INFINITY;
  private holdCount = 0;

  /**
   * `startEmpty`: the first reservation finds the bucket drained of its burst, for a schedule that may
   * have lost what it handed out before (a Durable Object that was restarted): requests resume spaced.
   */
  constructor(settings: PaceSettings, options: { startEmpty?: boolean; now?: number } = {}) {
    this.configure(settings);
    if (options.startEmpty === true) this.theoretical = (options.now ?? 0) + this.tolerance;
  }

  /** Takes a new rate or burst from now on; reservations already handed out stand. */
  configure(settings: PaceSettings): void {
    if (!(settings.perSecond > 0)) throw new RangeError("perSecond must be positive");
    this.interval = 1000 / settings.perSecond;
    const burst = Math.max(1, Math.floor(settings.burst ?? Math.ceil(settings.perSecond) - 1));
    this.tolerance = (burst - 1) * this.interval;
  }

  /** Reserves one slot: the epoch ms at which its request may be sent (never before `now`). */
  reserve(now: number): number {
    this.theoretical = Math.max(this.theoretical, now);
    const allowedAt = Math.max(this.theoretical - this.tolerance, this.held, now);
    this.theoretical += this.interval;
    return allowedAt;
  }

  /** No slot starts before `until`. False when an earlier hold already covers it. */
  holdUntil(until: number): boolean {
    if (!(until > this.held)) return false;
    this.held = until;
    this.holdCount += 1;
    // Restart the bucket at the end of the hold, empty of burst, so requests resume spaced out.
    this.theoretical = Math.max(this.theoretical, until + this.tolerance);
    return true;
  }

  /** When the current hold ends (−∞ when there never was one). */
  get heldUntil(): number {
    return this.held;
  }

  /** How many holds have started; a sleeper compares it to see whether one began while it slept. */
  get holds(): number {
    return this.holdCount;
  }
}

/** The limiter of one isolate: a `PaceSchedule` on a clock, whose callers sleep until their slot. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const clock = options.clock ?? systemClock;
  const schedule = new PaceSchedule(options);

  const acquire = async (): Promise<void> => {
    const holdsBefore = schedule.holds;
    const now = clock.now();
    const wait = schedule.reserve(now) - now;
    if (wait > 0) await clock.sleep(wait);
    // A hold that started while we slept wins over our reservation: queue again behind it, so that the
    // callers do not all fire the moment it ends.
    if (schedule.holds !== holdsBefore && schedule.heldUntil > clock.now()) await acquire();
  };

  return {
    acquire,
    holdFor(ms) {
      if (ms > 0) schedule.holdUntil(clock.now() + ms);
    },
  };
}
