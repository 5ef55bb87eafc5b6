// The shared limiter: requests spaced to the rate after a small burst, first come first served, and a
// server's "slow down" (429, 529) pauses everyone without a stampede when it ends.
import { describe, expect, it } from "vitest";
import { createNotionClient } from "../../../src/destinations/notion/client";
import { type Clock, createRateLimiter } from "../../../src/lib/rate-limit";
import { PaceUnavailableError } from "../../../src/pace/pacer";

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

// Notion's "slow down" answers reach the client's retry and the integration's pace: a 529 (service
// overload) and a 429 of the newer per-window or per-workspace limits are treated as a 429 is.
describe("notion client: slow-down answers", () => {
  const DS = "1a2b3c4d-5e6f-4788-9900-aabbccddeeff";
  const PAGE = { object: "page", id: "22222222-2222-4222-8222-222222222222", url: "https://www.notion.so/p" };

  function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
    return new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", ...headers },
    });
  }

  /** A client over scripted answers, whose pace records holds and whose clock records waits. */
  function scripted(replies: Array<Response | Error>, acquire: () => Promise<void> = async () => undefined) {
    const waits: number[] = [];
    const holds: number[] = [];
    let sent = 0;
    let now = 5_000_000;
    const client = createNotionClient({
      token: "secret_SLOWDOWN0123456789abcdefghij",
      baseUrl: "https://notion.test",
      clock: {
        now: () => now,
        sleep: async (ms) => {
          waits.push(ms);
          now += ms;
        },
      },
      limiter: {
        acquire,
        holdFor: async (ms) => {
          holds.push(ms);
        },
      },
      random: () => 0.5,
      fetch: async () => {
        sent += 1;
        const reply = replies.shift();
        if (reply === undefined) throw new Error("no scripted reply left");
        if (reply instanceof Error) throw reply;
        return reply;
      },
    });
    return { client, waits, holds, sent: () => sent };
  }

  const create = (client: ReturnType<typeof createNotionClient>) =>
    client.sdk.pages.create({ parent: { data_source_id: DS }, properties: {} });

  it("529 with Retry-After: pauses the pace, waits, and retries even a page creation", async () => {
    const { client, waits, holds, sent } = scripted([
      answer(
        529,
        { object: "error", status: 529, code: "service_overload", message: "Overloaded" },
        {
          "retry-after": "3",
        },
      ),
      answer(200, PAGE),
    ]);
    expect((await create(client)).id).toBe(PAGE.id);
    expect(holds).toEqual([3000]);
    expect(waits).toEqual([3000]);
    expect(sent()).toBe(2);
  });

  it("529 without Retry-After: backs off and retries, pausing no one", async () => {
    const { client, waits, holds, sent } = scripted([
      answer(529, { object: "error", status: 529, code: "service_overload", message: "Overloaded" }),
      answer(200, PAGE),
    ]);
    expect((await create(client)).id).toBe(PAGE.id);
    expect(holds).toEqual([]);
    // Full jitter at 0.5 of the first backoff ceiling (500 ms).
    expect(waits).toEqual([250]);
    expect(sent()).toBe(2);
  });

  it("429 of the per-workspace limit: honours its longer Retry-After for everyone", async () => {
    const { client, waits, holds } = scripted([
      answer(
        429,
        {
          object: "error",
          status: 429,
          code: "rate_limited",
          message: "Rate limited",
          additional_data: { rate_limit_reason: "workspace" },
        },
        { "retry-after": "45" },
      ),
      answer(200, PAGE),
    ]);
    expect((await create(client)).id).toBe(PAGE.id);
    expect(holds).toEqual([45_000]);
    expect(waits).toEqual([45_000]);
  });

  it("a slot that could not be had sent nothing, so even a page creation is asked again", async () => {
    let refusals = 1;
    const { client, sent } = scripted([answer(200, PAGE)], async () => {
      if (refusals-- > 0) throw new PaceUnavailableError("Could not reserve a Notion request slot");
    });
    expect((await create(client)).id).toBe(PAGE.id);
    expect(sent()).toBe(1);
  });
});
