// Retries: full-jitter backoff, Retry-After honoured, attempts and total waiting bounded, and the last
// real outcome handed back.
import { describe, expect, it } from "vitest";
import { backoffDelay, parseRetryAfter, type RetryPolicy, retry } from "../../../src/lib/retry";

const POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxTotalWaitMs: 10_000 };

function sleeps() {
  const waited: number[] = [];
  return { waited, sleep: async (ms: number) => void waited.push(ms) };
}

describe("retry", () => {
  it("happy: returns the first success without waiting", async () => {
    const { waited, sleep } = sleeps();
    const value = await retry(async () => "ok", {
      ...POLICY,
      sleep,
      decide: (outcome) => ({ retry: !outcome.ok }),
    });
    expect(value).toBe("ok");
    expect(waited).toEqual([]);
  });

  it("backs off with full jitter, doubling up to the cap", async () => {
    const { waited, sleep } = sleeps();
    let attempts = 0;
    await expect(
      retry(
        async () => {
          attempts += 1;
          throw new Error("down");
        },
        { ...POLICY, maxDelayMs: 300, sleep, random: () => 0.999, decide: () => ({ retry: true }) },
      ),
    ).rejects.toThrow("down");
    expect(attempts).toBe(4);
    expect(waited).toEqual([99, 199, 299]);
  });

  it("waits exactly what the server asked for", async () => {
    const { waited, sleep } = sleeps();
    let attempts = 0;
    const value = await retry(async () => (attempts += 1), {
      ...POLICY,
      sleep,
      decide: (outcome) =>
        outcome.ok && outcome.value < 3 ? { retry: true, afterMs: 2000 } : { retry: false },
    });
    expect(value).toBe(3);
    expect(waited).toEqual([2000, 2000]);
  });

  it("stops when the next wait would pass the total budget, returning the last outcome", async () => {
    const { waited, sleep } = sleeps();
    let attempts = 0;
    const value = await retry(async () => (attempts += 1), {
      ...POLICY,
      maxTotalWaitMs: 5000,
      sleep,
      decide: () => ({ retry: true, afterMs: 3000 }),
    });
    expect(value).toBe(2);
    expect(waited).toEqual([3000]);
  });

  it("does not retry what decide refuses", async () => {
    const { waited, sleep } = sleeps();
    await expect(
      retry(
        async () => {
          throw new Error("bad request");
        },
        { ...POLICY, sleep, decide: () => ({ retry: false }) },
      ),
    ).rejects.toThrow("bad request");
    expect(waited).toEqual([]);
  });

  it("backoffDelay stays within [0, min(cap, base * 2^(n-1))]", () => {
    expect(backoffDelay(1, POLICY, () => 0)).toBe(0);
    expect(backoffDelay(3, POLICY, () => 0.5)).toBe(200);
    expect(backoffDelay(10, POLICY, () => 0.5)).toBe(500);
  });

  it("parseRetryAfter reads seconds (decimals too) and HTTP dates", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter("0.5")).toBe(500);
    expect(
      parseRetryAfter("Wed, 21 Oct 2026 07:28:05 GMT", Date.parse("Wed, 21 Oct 2026 07:28:00 GMT")),
    ).toBe(5000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});
