// Live sync's per-tick bookkeeping in D1: the window (agendas made, meetings not started, a previous agenda
// known), the "owed a pass" marks that a finished pass clears only for what it read, and the cursors that
// never move back. Meeting keys and scopes here are this file's own.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MeetingStore } from "../../src/store/meetings";
import { owesPass, SyncWatchStore } from "../../src/store/sync-watch";

const meetings = new MeetingStore(env.DB);
const watch = new SyncWatchStore(env.DB);
const LEASE = 60_000;

/** A meeting of `pairId` on `date` (10:00Z) whose agenda was made, carrying from `previous` when given. */
async function made(pairId: string, date: string, previous: string | null): Promise<string> {
  const key = `${pairId}/${date}`;
  const token = `prepare-${key}`;
  await meetings.claim({
    key,
    pairId,
    date,
    startsAt: `${date}T10:00:00.000Z`,
    token,
    nowMs: 0,
    leaseMs: LEASE,
  });
  await meetings.saveLedger(
    { key, token },
    {
      carried: [],
      sourceAgendaId: previous,
      closedCount: 0,
      closedWithinWeekCount: 0,
      nowMs: 0,
      leaseMs: LEASE,
    },
  );
  await meetings.complete(key, token, { id: `agenda-${key}`, url: `https://notion.so/${date}` }, "t");
  return key;
}

describe("the sync window", () => {
  it("holds the made agendas whose meeting has not started and that carry from a previous agenda", async () => {
    const pair = `window-${crypto.randomUUID().slice(0, 8)}`;
    await made(pair, "2026-12-01", "page-a");
    const waiting = await made(pair, "2026-12-08", "page-b");
    await made(`${pair}-first`, "2026-12-08", null);
    const window = (await watch.window("2026-12-07T12:00:00.000Z")).filter((m) => m.pairId.startsWith(pair));
    expect(window.map((meeting) => meeting.key)).toEqual([waiting]);
    expect(window[0]).toMatchObject({ previousAgendaId: "page-b", wantedAt: null, readAt: null });
    expect((await watch.carryingFrom("page-b", "2026-12-07T12:00:00.000Z")).map((m) => m.key)).toEqual([
      waiting,
    ]);
    expect(await watch.carryingFrom("page-a", "2026-12-07T12:00:00.000Z")).toEqual([]);
  });
});

describe("owed passes", () => {
  it("stay owed until a pass that started reading after the look finishes", async () => {
    const key = await made(`owed-${crypto.randomUUID().slice(0, 8)}`, "2026-12-08", "page-c");
    const now = "2026-12-07T12:00:00.000Z";
    const state = async () => (await watch.window(now)).find((meeting) => meeting.key === key);
    await watch.recordLooks([key], 1_000, new Map());
    expect(owesPass(await required(state()))).toBe(true);

    // A pass that started reading before the look does not settle it.
    expect(await meetings.claimSync({ key, token: "early", nowMs: 0, leaseMs: LEASE })).toBe(true);
    expect(await meetings.finishSync({ key, token: "early" }, "t", 900)).toBe(true);
    expect(owesPass(await required(state()))).toBe(true);

    // A later look's mark never moves back; a pass that read after the latest mark settles it.
    await watch.recordLooks([key], 2_000, new Map());
    await watch.recordLooks([key], 1_500, new Map());
    expect((await required(state())).wantedAt).toBe(2_000);
    expect(await meetings.claimSync({ key, token: "late", nowMs: 0, leaseMs: LEASE })).toBe(true);
    expect(await meetings.finishSync({ key, token: "late" }, "t", 2_000)).toBe(true);
    expect(owesPass(await required(state()))).toBe(false);
  });
});

describe("cursors", () => {
  it("are kept per place and never replaced by an older look's", async () => {
    const scope = `notion:${crypto.randomUUID()}`;
    const other = `google:${crypto.randomUUID()}`;
    expect(await watch.cursors([scope, other])).toEqual(new Map());
    await watch.recordLooks([], 2_000, new Map([[scope, "second"]]));
    await watch.recordLooks(
      [],
      1_000,
      new Map([
        [scope, "first"],
        [other, "theirs"],
      ]),
    );
    expect(await watch.cursors([scope, other])).toEqual(
      new Map([
        [scope, "second"],
        [other, "theirs"],
      ]),
    );
  });
});

async function required<T>(value: Promise<T | undefined>): Promise<T> {
  const resolved = await value;
  if (resolved === undefined) throw new Error("the meeting left the window");
  return resolved;
}
