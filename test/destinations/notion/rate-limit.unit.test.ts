// The shared limiter: requests spaced to the rate after a small burst, first come first served, and a
// server's "slow down" pauses everyone without a stampede when it ends.
import { describe, expect, it } from "vitest";
import { type Clock, createRateLimiter } from "../../../src/lib/rate-limit";

/** A clock whose time moves only when a sleeper wakes: sleeps resolve in wake-time order. */
function virtualClock() {
  let now = 0;
  const sleepers: { at: number; wake: () => void }[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        sleepers.push({ at: now + ms, wake: resolve });
      }),
  };
  /** Runs until no one sleeps, waking sleepers in time order. */
  const run = async () => {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      sleepers.sort((a, b) => a.at - b.at);
      const next = sleepers.shift();
      if (next === undefined) return;
      now = Math.max(now, next.at);
      next.wake();
    }
  };
  return { clock, run, now: () => now };
}

describe("rate limiter", () => {
  it("happy: lets a burst through, then spaces requests at the rate, in order", async () => {
    const time = virtualClock();
    const limiter = createRateLimiter({ perSecond: 3, burst: 3, clock: time.clock });
    const granted: [number, number][] = [];
    const all = Array.from({ length: 7 }, (_, index) =>
      limiter.acquire().then(() => {
        granted.push([index, time.now()]);
      }),
    );
    await time.run();
    await Promise.all(all);
    expect(granted.map(([index]) => index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(granted.map(([, at]) => Math.round(at))).toEqual([0, 0, 0, 333, 667, 1000, 1333]);
  });

  it("refills after a quiet spell, but never beyond the burst", async () => {
    const time = virtualClock();
    const limiter = createRateLimiter({ perSecond: 2, burst: 2, clock: time.clock });
    await limiter.acquire();
    // Ten quiet seconds.
    const quiet = time.clock.sleep(10_000);
    await time.run();
    await quiet;
    const granted: number[] = [];
    const all = Array.from({ length: 4 }, () => limiter.acquire().then(() => granted.push(time.now())));
    await time.run();
    await Promise.all(all);
    expect(granted.map((at) => at - 10_000)).toEqual([0, 0, 500, 1000]);
  });

  it("holdFor pauses new and already-waiting callers, then resumes spaced out", async () => {
    const time = virtualClock();
    const limiter = createRateLimiter({ perSecond: 4, burst: 2, clock: time.clock });
    await limiter.acquire();
    await limiter.acquire();
    const granted: number[] = [];
    const waiting = limiter.acquire().then(() => granted.push(time.now())); // due at 250
    limiter.holdFor(2000);
    const later = [limiter.acquire(), limiter.acquire()].map((promise) =>
      promise.then(() => granted.push(time.now())),
    );
    await time.run();
    await Promise.all([waiting, ...later]);
    expect(Math.min(...granted)).toBeGreaterThanOrEqual(2000);
    expect([...granted].sort((a, b) => a - b)).toEqual([2000, 2250, 2500]);
  });

  it("by default keeps a token of slack below the rate (burst 2 at 3/s)", async () => {
    const time = virtualClock();
    const limiter = createRateLimiter({ perSecond: 3, clock: time.clock });
    const granted: number[] = [];
    const all = Array.from({ length: 3 }, () => limiter.acquire().then(() => granted.push(time.now())));
    await time.run();
    await Promise.all(all);
    expect(granted.map(Math.round)).toEqual([0, 0, 333]);
  });

  it("refuses a rate that is not positive", () => {
    expect(() => createRateLimiter({ perSecond: 0 })).toThrow(RangeError);
  });
});
