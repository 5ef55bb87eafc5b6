// The pace a vendor account's Durable Object keeps, on times the test gives: slots spaced at the rate
// after a burst, a hold that moves every later slot past it, a restarted schedule that starts without
// its burst, and object names that never carry a Notion token.
import { describe, expect, it } from "vitest";
import { PaceSchedule } from "../../src/lib/rate-limit";
import { googlePaceName, notionPaceName } from "../../src/pace/names";

/** The waits (ms from `now`) of `count` reservations all made at `now`. */
function waits(schedule: PaceSchedule, now: number, count: number): number[] {
  return Array.from({ length: count }, () => Math.round(schedule.reserve(now) - now));
}

describe("pace schedule", () => {
  it("happy: a burst at once, then one slot per interval, whoever asks", () => {
    const schedule = new PaceSchedule({ perSecond: 4, burst: 2 });
    expect(waits(schedule, 10_000, 5)).toEqual([0, 0, 250, 500, 750]);
  });

  it("answers the same pace to callers who ask at different times", () => {
    const schedule = new PaceSchedule({ perSecond: 2, burst: 1 });
    expect(schedule.reserve(0)).toBe(0);
    // Asked 100 ms later, the next slot is still 500 ms after the first.
    expect(schedule.reserve(100)).toBe(500);
    // After a quiet spell the slot is at once again, but never more than the burst.
    expect(schedule.reserve(5_000)).toBe(5_000);
    expect(schedule.reserve(5_000)).toBe(5_500);
  });

  it("a hold moves every later slot past it, and the pace resumes spaced out", () => {
    const schedule = new PaceSchedule({ perSecond: 4, burst: 3 });
    expect(schedule.holdUntil(2_000)).toBe(true);
    expect(waits(schedule, 0, 3)).toEqual([2_000, 2_250, 2_500]);
    // A shorter hold than the one in force changes nothing.
    expect(schedule.holdUntil(1_000)).toBe(false);
    expect(schedule.heldUntil).toBe(2_000);
    expect(schedule.holds).toBe(1);
  });

  it("started empty (a restarted object), it lets no burst through", () => {
    const schedule = new PaceSchedule({ perSecond: 4, burst: 3 }, { startEmpty: true, now: 7_000 });
    expect(waits(schedule, 7_000, 3)).toEqual([0, 250, 500]);
  });

  it("takes a new rate for the slots it has not handed out yet", () => {
    const schedule = new PaceSchedule({ perSecond: 10, burst: 1 });
    expect(waits(schedule, 0, 2)).toEqual([0, 100]);
    schedule.configure({ perSecond: 2, burst: 1 });
    expect(waits(schedule, 0, 2)).toEqual([200, 700]);
  });

  it("refuses a rate that is not positive", () => {
    expect(() => new PaceSchedule({ perSecond: 0 })).toThrow(RangeError);
  });
});

describe("pace object names", () => {
  const token = "ntn_1234567890abcdefghijklmnopqrstuvwxyzABCDEFGH";

  it("security: names a Notion integration by a hash of its token, never the token", async () => {
    const name = await notionPaceName(token);
    expect(name).toMatch(/^notion:[0-9a-f]{64}$/);
    expect(name).not.toContain(token);
    expect(name).not.toContain(token.slice(4, 20));
    expect(await notionPaceName(token)).toBe(name);
    expect(await notionPaceName(`${token}x`)).not.toBe(name);
  });

  it("names a Google quota by service account, acting user and quota", () => {
    const account = "agendas@project.iam.gserviceaccount.com";
    expect(googlePaceName(account, "ada@example.com", "docsWrite")).toBe(
      `google:docsWrite:${account}:ada@example.com`,
    );
    expect(googlePaceName(account, null, "docsRead")).toBe(`google:docsRead:${account}:${account}`);
    const names = new Set(
      (["docsRead", "docsWrite", "drive"] as const).map((quota) => googlePaceName(account, null, quota)),
    );
    expect(names.size).toBe(3);
  });
});
