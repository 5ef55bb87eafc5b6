// The client side of a shared pace: each slot is asked of the account's object and slept for; pacers in
// different isolates that ask one object keep one rate together; a hold reaches the object; an object
// that cannot be reached fails the slot as retryable, without sending anything.
import { describe, expect, it } from "vitest";
import { DestinationError } from "../../src/destinations/types";
import { createLogger } from "../../src/lib/log";
import { type Clock, PaceSchedule, type PaceSettings } from "../../src/lib/rate-limit";
import { createDurablePacer, type PaceNamespace, PaceUnavailableError } from "../../src/pace/pacer";

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

/** Stand-in for the PACE binding: one schedule per name on the virtual clock, as the object keeps it. */
function fakeNamespace(clock: Clock) {
  const schedules = new Map<string, PaceSchedule>();
  const asked: string[] = [];
  const namespace: PaceNamespace = {
    getByName(name) {
      const schedule = (settings: PaceSettings) => {
        let found = schedules.get(name);
        if (found === undefined) {
          found = new PaceSchedule(settings);
          schedules.set(name, found);
        }
        return found;
      };
      return {
        reserve: async (settings) => {
          asked.push(name);
          return schedule(settings).reserve(clock.now()) - clock.now();
        },
        hold: async (ms) => {
          schedules.get(name)?.holdUntil(clock.now() + ms);
        },
      };
    },
  };
  return { namespace, asked };
}

describe("durable pacer", () => {
  it("happy: two pacers of one account, side by side, keep the account's rate together", async () => {
    const time = virtualClock();
    const { namespace } = fakeNamespace(time.clock);
    const settings = { perSecond: 4, burst: 2 };
    const first = createDurablePacer({
      namespace,
      name: "notion:a",
      settings,
      vendor: "Notion",
      clock: time.clock,
    });
    const second = createDurablePacer({
      namespace,
      name: Promise.resolve("notion:a"),
      settings,
      vendor: "Notion",
      clock: time.clock,
    });
    const granted: number[] = [];
    const all = [first, second, first, second, first, second].map((pacer) =>
      pacer.acquire().then(() => granted.push(time.now())),
    );
    await time.run();
    await Promise.all(all);
    expect(granted.map(Math.round)).toEqual([0, 0, 250, 500, 750, 1000]);
  });

  it("another account keeps its own pace", async () => {
    const time = virtualClock();
    const { namespace } = fakeNamespace(time.clock);
    const settings = { perSecond: 1, burst: 1 };
    const a = createDurablePacer({
      namespace,
      name: "notion:a",
      settings,
      vendor: "Notion",
      clock: time.clock,
    });
    const b = createDurablePacer({
      namespace,
      name: "notion:b",
      settings,
      vendor: "Notion",
      clock: time.clock,
    });
    const granted: number[] = [];
    const all = [a.acquire(), b.acquire()].map((promise) => promise.then(() => granted.push(time.now())));
    await time.run();
    await Promise.all(all);
    expect(granted).toEqual([0, 0]);
  });

  it("a hold from one pacer pauses the other's next slot", async () => {
    const time = virtualClock();
    const { namespace } = fakeNamespace(time.clock);
    const settings = { perSecond: 10, burst: 5 };
    const told = createDurablePacer({
      namespace,
      name: "notion:a",
      settings,
      vendor: "Notion",
      clock: time.clock,
    });
    const other = createDurablePacer({
      namespace,
      name: "notion:a",
      settings,
      vendor: "Notion",
      clock: time.clock,
    });
    await told.acquire();
    await told.holdFor(3_000);
    let grantedAt = -1;
    const waiting = other.acquire().then(() => {
      grantedAt = time.now();
    });
    await time.run();
    await waiting;
    expect(grantedAt).toBeGreaterThanOrEqual(3_000);
  });

  it("an unreachable object fails the slot as retryable and sends nothing; the next slot asks a fresh stub", async () => {
    const time = virtualClock();
    const { namespace, asked } = fakeNamespace(time.clock);
    let stubs = 0;
    let broken = true;
    const flaky: PaceNamespace = {
      getByName(name) {
        stubs += 1;
        const real = namespace.getByName(name);
        return {
          reserve: async (settings) => {
            if (broken) throw new Error("Durable Object reset because its code was updated.");
            return real.reserve(settings);
          },
          hold: real.hold,
        };
      },
    };
    const pacer = createDurablePacer({
      namespace: flaky,
      name: "notion:a",
      settings: { perSecond: 3 },
      vendor: "Notion",
      clock: time.clock,
    });
    const error = await pacer.acquire().then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PaceUnavailableError);
    expect(error).toBeInstanceOf(DestinationError);
    expect(error instanceof DestinationError && error.retryable).toBe(true);
    expect(String(error)).toMatch(/Notion request slot/);
    broken = false;
    await pacer.acquire();
    expect(stubs).toBe(2);
    expect(asked).toEqual(["notion:a"]);
  });

  it("a pacer kept past the request that made its first stub still gets slots: each call asks a fresh stub", async () => {
    const time = virtualClock();
    const { namespace, asked } = fakeNamespace(time.clock);
    // As in workerd: a stub's I/O belongs to the request that made it, and a queue batch is a request.
    let request = 1;
    const perRequest: PaceNamespace = {
      getByName(name) {
        const madeIn = request;
        const real = namespace.getByName(name);
        const ownRequest = () => {
          if (request !== madeIn) throw new Error("Cannot perform I/O on behalf of a different request.");
        };
        return {
          reserve: async (settings) => {
            ownRequest();
            return real.reserve(settings);
          },
          hold: async (ms) => {
            ownRequest();
            return real.hold(ms);
          },
        };
      },
    };
    const lines: string[] = [];
    const pacer = createDurablePacer({
      namespace: perRequest,
      name: "notion:a",
      settings: { perSecond: 100 },
      vendor: "Notion",
      clock: time.clock,
      log: createLogger({ level: "warn", secrets: [], sink: (line) => void lines.push(line) }),
    });
    await pacer.acquire();
    request = 2;
    await pacer.acquire();
    await pacer.holdFor(1_000);
    expect(asked).toEqual(["notion:a", "notion:a"]);
    expect(lines).toEqual([]);
  });

  it("a hold that cannot reach the object is logged, not thrown: the caller told to wait still waits", async () => {
    const time = virtualClock();
    const lines: string[] = [];
    const pacer = createDurablePacer({
      namespace: {
        getByName: () => ({
          reserve: async () => 0,
          hold: async () => {
            throw new Error("overloaded");
          },
        }),
      },
      name: "google:docsWrite:sa@p.iam.gserviceaccount.com:ada@example.com",
      settings: { perSecond: 1 },
      vendor: "Google Docs",
      clock: time.clock,
      log: createLogger({ level: "warn", secrets: [], sink: (line) => void lines.push(line) }),
    });
    await expect(pacer.holdFor(1_000)).resolves.toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("pace.hold_failed");
    // The object's name may hold a user's email; it stays out of the log.
    expect(lines[0]).not.toContain("ada@example.com");
  });
});
