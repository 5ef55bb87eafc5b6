// The outbox rows: stable ids, no duplicate on re-enqueue, claims that two runs never share, expiring
// leases, delivered rows that are never handed out again, and the admin reset.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { EnqueueRequest } from "../../src/store/deliveries";
import { DeliveryStore, deliveryId } from "../../src/store/deliveries";
import { MeetingStore } from "../../src/store/meetings";

const store = new DeliveryStore(env.DB);
const lease = { leaseMs: 300_000, limit: 50 };

function request(overrides: Partial<EnqueueRequest> = {}): EnqueueRequest {
  return {
    meetingKey: "p/2026-12-01",
    channelKey: "team-slack",
    channel: "slack",
    secretName: "TEAM_SLACK_URL",
    payload: JSON.stringify({ text: "digest" }),
    nowMs: 1_000,
    ...overrides,
  };
}

// Each test starts from an empty outbox, since claiming takes every due row in the table.
beforeEach(async () => {
  await env.DB.prepare("DELETE FROM deliveries").run();
});

describe("delivery ids", () => {
  it("are stable per meeting and channel, distinct otherwise, and opaque", async () => {
    const id = await deliveryId("p/2026-12-01", "team-slack");
    expect(id).toMatch(/^dlv_[0-9a-f]{64}$/);
    expect(await deliveryId("p/2026-12-01", "team-slack")).toBe(id);
    expect(await deliveryId("p/2026-12-01", "hook")).not.toBe(id);
    expect(await deliveryId("p/2026-12-08", "team-slack")).not.toBe(id);
  });
});

describe("enqueue", () => {
  it("makes one row however often it runs, and keeps the first payload", async () => {
    const first = await store.enqueue(request());
    const again = await store.enqueue(
      request({ payload: JSON.stringify({ text: "changed" }), nowMs: 9_000 }),
    );
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    const rows = await store.listForMeeting("p/2026-12-01");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: first.id,
      status: "pending",
      attempts: 0,
      nextAttemptAt: 1_000,
      payload: JSON.stringify({ text: "digest" }),
      secretName: "TEAM_SLACK_URL",
    });
  });

  it("does not reopen a delivered row", async () => {
    const { id } = await store.enqueue(request());
    await store.claimDue({ ...lease, token: "a", nowMs: 1_000 });
    await store.markDelivered(id, "a", 2_000);
    expect((await store.enqueue(request({ nowMs: 3_000 }))).created).toBe(false);
    expect((await store.get(id))?.status).toBe("delivered");
  });
});

describe("claims", () => {
  it("gives each due row to exactly one of two concurrent runs", async () => {
    for (const channelKey of ["a", "b", "c", "d", "e", "f"]) await store.enqueue(request({ channelKey }));
    const [one, two] = await Promise.all([
      store.claimDue({ ...lease, token: "run-1", nowMs: 1_000 }),
      store.claimDue({ ...lease, token: "run-2", nowMs: 1_000 }),
    ]);
    const ids = [...one, ...two].map((row) => row.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect([...one, ...two].every((row) => row.status === "sending" && row.attempts === 1)).toBe(true);
  });

  it("waits for next_attempt_at, honours the limit and the channel filter", async () => {
    await store.enqueue(request({ channelKey: "later", nowMs: 5_000 }));
    await store.enqueue(request({ channelKey: "mail", channel: "email", secretName: "SMTP" }));
    await store.enqueue(request({ channelKey: "x" }));
    await store.enqueue(request({ channelKey: "y" }));
    const first = await store.claimDue({ ...lease, token: "a", nowMs: 1_000, limit: 1, channels: ["slack"] });
    expect(first).toHaveLength(1);
    const rest = await store.claimDue({ ...lease, token: "b", nowMs: 1_000, channels: ["slack"] });
    expect(rest.map((row) => row.channelKey)).toEqual(first[0]?.channelKey === "x" ? ["y"] : ["x"]);
    const later = await store.claimDue({ ...lease, token: "c", nowMs: 5_000, channels: ["slack"] });
    expect(later.map((row) => row.channelKey)).toEqual(["later"]);
    expect(await store.claimDue({ ...lease, token: "d", nowMs: 5_000, channels: [] })).toEqual([]);
  });

  it("hands a row whose claim expired to a later run, and the stale run can no longer record it", async () => {
    const { id } = await store.enqueue(request());
    expect(await store.claimDue({ ...lease, token: "crashed", nowMs: 1_000 })).toHaveLength(1);
    expect(await store.claimDue({ ...lease, token: "early", nowMs: 300_999 })).toHaveLength(0);
    const taken = await store.claimDue({ ...lease, token: "next", nowMs: 301_000 });
    expect(taken.map((row) => [row.id, row.attempts])).toEqual([[id, 2]]);
    expect(await store.markDelivered(id, "crashed", 302_000)).toBe(false);
    expect(await store.markFailed(id, "crashed", "x", 302_000)).toBe(false);
    expect(await store.markDelivered(id, "next", 302_000)).toBe(true);
  });

  it("never hands out a delivered row again", async () => {
    const { id } = await store.enqueue(request());
    await store.claimDue({ ...lease, token: "a", nowMs: 1_000 });
    expect(await store.markDelivered(id, "a", 2_000)).toBe(true);
    expect(await store.claimDue({ ...lease, token: "b", nowMs: 10_000_000_000 })).toEqual([]);
    const row = await store.get(id);
    expect(row).toMatchObject({
      status: "delivered",
      deliveredAt: new Date(2_000).toISOString(),
      lastError: null,
    });
  });

  it("puts a retried row back at its next attempt time with the reason", async () => {
    const { id } = await store.enqueue(request());
    await store.claimDue({ ...lease, token: "a", nowMs: 1_000 });
    expect(await store.retryLater(id, "a", "HTTP 503", 61_000, 1_000)).toBe(true);
    expect(await store.get(id)).toMatchObject({
      status: "pending",
      nextAttemptAt: 61_000,
      lastError: "HTTP 503",
    });
    expect(await store.claimDue({ ...lease, token: "b", nowMs: 60_999 })).toEqual([]);
    expect(await store.claimDue({ ...lease, token: "c", nowMs: 61_000 })).toHaveLength(1);
  });
});

describe("reset for resend", () => {
  it("makes a failed delivery due now with fresh attempts", async () => {
    const { id } = await store.enqueue(request());
    await store.claimDue({ ...lease, token: "a", nowMs: 1_000 });
    await store.markFailed(id, "a", "secret TEAM_SLACK_URL is not set", 2_000);
    expect(await store.claimDue({ ...lease, token: "b", nowMs: 9_000_000 })).toEqual([]);
    expect(await store.resetForResend(id, 3_000)).toBe(true);
    expect(await store.get(id)).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: 3_000,
      lastError: null,
    });
    expect(await store.claimDue({ ...lease, token: "c", nowMs: 3_000 })).toHaveLength(1);
  });

  it("leaves a delivered row alone unless asked, and never touches a live claim", async () => {
    const { id } = await store.enqueue(request());
    await store.claimDue({ ...lease, token: "a", nowMs: 1_000 });
    expect(await store.resetForResend(id, 2_000)).toBe(false);
    await store.markDelivered(id, "a", 2_000);
    expect(await store.resetForResend(id, 3_000)).toBe(false);
    expect((await store.get(id))?.status).toBe("delivered");
    expect(await store.resetForResend(id, 3_000, { includeDelivered: true })).toBe(true);
    expect(await store.get(id)).toMatchObject({ status: "pending", deliveredAt: null });
    expect(await store.resetForResend("dlv_missing", 3_000)).toBe(false);
  });
});

describe("fair claims", () => {
  it("gives every pair its first due row before any pair its second, across batches", async () => {
    // One pair with 30 channels, due first, and ten pairs with one channel each, due later.
    for (let n = 0; n < 30; n += 1) {
      await store.enqueue(
        request({ meetingKey: "big/2026-12-01", pairId: "big", channelKey: `c${n}`, nowMs: 0 }),
      );
    }
    const small = Array.from({ length: 10 }, (_, n) => `small-${n}`);
    for (const pairId of small) {
      await store.enqueue(request({ meetingKey: `${pairId}/2026-12-01`, pairId, nowMs: 500 }));
    }
    const first = await store.claimDue({ ...lease, token: "a", nowMs: 1_000, limit: 6 });
    const second = await store.claimDue({ ...lease, token: "b", nowMs: 1_000, limit: 6 });
    const pairsOf = (rows: readonly { pairId: string | null }[]) => rows.map((row) => row.pairId);
    // Eleven pairs, twelve rows: each pair once, and the big pair's second row last.
    expect(new Set(pairsOf([...first, ...second]))).toEqual(new Set(["big", ...small]));
    expect(pairsOf([...first, ...second]).filter((pairId) => pairId === "big")).toHaveLength(2);
    expect(pairsOf(first)).toContain("big");
  });

  it("counts each roll-up as its own share", async () => {
    for (let n = 0; n < 5; n += 1) {
      await store.enqueue(
        request({ meetingKey: "big/2026-12-01", pairId: "big", channelKey: `c${n}`, nowMs: 0 }),
      );
    }
    await store.enqueue(request({ meetingKey: "rollup/ada@example.com/2026-12-07", nowMs: 900 }));
    await store.enqueue(request({ meetingKey: "rollup/cy@example.com/2026-12-07", nowMs: 900 }));
    const claimed = await store.claimDue({ ...lease, token: "a", nowMs: 1_000, limit: 3 });
    expect(claimed.map((row) => row.meetingKey).sort()).toEqual([
      "big/2026-12-01",
      "rollup/ada@example.com/2026-12-07",
      "rollup/cy@example.com/2026-12-07",
    ]);
  });
});

describe("claims for one pair", () => {
  it("take only that pair's rows, never another pair's or a roll-up", async () => {
    const mine = await store.enqueue(request({ meetingKey: "mine/2026-12-01", pairId: "mine" }));
    await store.enqueue(request({ meetingKey: "other/2026-12-01", pairId: "other" }));
    await store.enqueue(request({ meetingKey: "rollup/ada@example.com/2026-12-07" }));
    const claimed = await store.claimDue({ ...lease, token: "a", nowMs: 1_000, pairId: "mine" });
    expect(claimed.map((row) => row.id)).toEqual([mine.id]);
    expect(await store.listByStatus("pending", 10)).toHaveLength(2);
  });
});

describe("expiry", () => {
  const expires = { atMs: 10_000, reason: "the meeting began (2026-12-08T10:00:00+01:00)" };

  it("never claims a row past its expiry, and marks it expired with why and the last attempt", async () => {
    const { id } = await store.enqueue(request({ pairId: "p", expires }));
    await store.claimDue({ ...lease, token: "a", nowMs: 1_000 });
    await store.retryLater(id, "a", "HTTP 503 Service Unavailable", 9_000, 1_000);
    expect(await store.claimDue({ ...lease, token: "b", nowMs: 10_000 })).toEqual([]);
    const expired = await store.expireDue({ nowMs: 10_000 });
    expect(expired.map((row) => row.id)).toEqual([id]);
    expect(await store.get(id)).toMatchObject({
      status: "expired",
      expiresAt: 10_000,
      lastError:
        "expired: not delivered before the meeting began (2026-12-08T10:00:00+01:00); last attempt: HTTP 503 Service Unavailable",
    });
    expect((await store.listByStatus("expired", 10)).map((row) => row.id)).toEqual([id]);
    // Its moment has passed: a reset cannot bring it back.
    expect(await store.resetForResend(id, 11_000)).toBe(false);
    expect(await store.claimDue({ ...lease, token: "c", nowMs: 20_000 })).toEqual([]);
  });

  it("leaves rows before their expiry, rows without one, finished rows and live claims alone", async () => {
    const delivered = await store.enqueue(request({ channelKey: "delivered", expires }));
    await store.claimDue({ ...lease, token: "a", nowMs: 1_000 });
    await store.markDelivered(delivered.id, "a", 1_500);
    const before = await store.enqueue(
      request({ channelKey: "before", expires: { ...expires, atMs: 10_001 }, nowMs: 20_000 }),
    );
    const never = await store.enqueue(request({ channelKey: "never", nowMs: 20_000 }));
    const live = await store.enqueue(request({ channelKey: "live", expires, nowMs: 2_000 }));
    expect((await store.claimDue({ ...lease, token: "b", nowMs: 9_000 })).map((row) => row.id)).toEqual([
      live.id,
    ]);
    const ids = [delivered.id, before.id, never.id, live.id];
    expect(await store.expireDue({ nowMs: 10_000 })).toEqual([]);
    expect(await Promise.all(ids.map(async (id) => (await store.get(id))?.status))).toEqual([
      "delivered",
      "pending",
      "pending",
      "sending",
    ]);
    // Once the live claim has lapsed, the rows past their expiry are expired; the others never are.
    const later = await store.expireDue({ nowMs: 9_000 + lease.leaseMs });
    expect(later.map((row) => row.id).sort()).toEqual([before.id, live.id].sort());
    expect((await store.get(never.id))?.status).toBe("pending");
    expect((await store.get(delivered.id))?.status).toBe("delivered");
  });

  it("expires one pair's rows alone when asked for that pair", async () => {
    const mine = await store.enqueue(request({ meetingKey: "mine/2026-12-01", pairId: "mine", expires }));
    const other = await store.enqueue(request({ meetingKey: "other/2026-12-01", pairId: "other", expires }));
    expect((await store.expireDue({ nowMs: 10_000, pairId: "mine" })).map((row) => row.id)).toEqual([
      mine.id,
    ]);
    expect((await store.get(other.id))?.status).toBe("pending");
  });

  it("gives up a claimed row at once when its next attempt would come too late", async () => {
    const { id } = await store.enqueue(request({ expires }));
    await store.claimDue({ ...lease, token: "a", nowMs: 1_000 });
    expect(await store.markExpired(id, "other-run", "HTTP 503", 1_500)).toBeNull();
    expect(await store.markExpired(id, "a", "HTTP 503", 1_500)).toBe(
      "expired: the next attempt would come after the meeting began (2026-12-08T10:00:00+01:00); last attempt: HTTP 503",
    );
    expect((await store.get(id))?.status).toBe("expired");
  });
});

describe("a meeting's digests", () => {
  it("are enqueued once, and only under the token of the claim that created the meeting", async () => {
    const meetings = new MeetingStore(env.DB);
    const key = `fenced-${crypto.randomUUID()}/2026-12-08`;
    const claim = { key, pairId: "fenced", date: "2026-12-08", startsAt: "2026-12-08T10:00:00+01:00" };
    expect(await meetings.claim({ ...claim, token: "creator", nowMs: 0, leaseMs: 600_000 })).toBe(true);
    expect(
      await meetings.complete(key, "creator", { id: "page", url: "https://notion.so/page" }, "t"),
    ).not.toBeNull();
    const digest = [
      request({ meetingKey: key, channelKey: "slack" }),
      request({ meetingKey: key, channelKey: "hook" }),
    ];

    expect(
      await store.enqueueMeetingDigests(digest, { meetingKey: key, token: "stale-run", nowMs: 1_000 }),
    ).toBeNull();
    expect(await store.listForMeeting(key)).toEqual([]);
    expect((await meetings.get(key))?.digestsEnqueuedAt).toBeNull();

    const ids = await store.enqueueMeetingDigests(digest, {
      meetingKey: key,
      token: "creator",
      nowMs: 2_000,
    });
    expect(ids).toHaveLength(2);
    expect(ids?.sort()).toEqual((await store.listForMeeting(key)).map((row) => row.id).sort());
    const again = [request({ meetingKey: key, channelKey: "email" })];
    expect(
      await store.enqueueMeetingDigests(again, { meetingKey: key, token: "creator", nowMs: 3_000 }),
    ).toBeNull();
    expect((await store.listForMeeting(key)).map((row) => row.channelKey).sort()).toEqual(["hook", "slack"]);
  });

  it("are written with the meeting's mark or not at all: a row D1 refuses leaves the meeting owing them", async () => {
    const meetings = new MeetingStore(env.DB);
    const key = `atomic-${crypto.randomUUID()}/2026-12-08`;
    const claim = { key, pairId: "atomic", date: "2026-12-08", startsAt: "2026-12-08T10:00:00+01:00" };
    expect(await meetings.claim({ ...claim, token: "creator", nowMs: 0, leaseMs: 600_000 })).toBe(true);
    expect(
      await meetings.complete(key, "creator", { id: "page", url: "https://notion.so/page" }, "t"),
    ).not.toBeNull();
    // A channel the outbox table does not know (its CHECK refuses it): as a layout bug would produce.
    const refused = { ...request({ meetingKey: key, channelKey: "pigeon" }), channel: "pigeon" };
    const slack = request({ meetingKey: key, channelKey: "slack" });
    const digest = [slack, refused as unknown as EnqueueRequest];
    const fence = { meetingKey: key, token: "creator", nowMs: 2_000 };

    await expect(store.enqueueMeetingDigests(digest, fence)).rejects.toThrow(/CHECK constraint failed/);
    expect(await store.listForMeeting(key)).toEqual([]);
    expect((await meetings.get(key))?.digestsEnqueuedAt).toBeNull();
    expect((await meetings.owingDigests(500, "atomic")).map((meeting) => meeting.key)).toContain(key);

    // Once the layout is fixed the same meeting's digests go in, under the same ids.
    const fixed = [slack, request({ meetingKey: key, channelKey: "pigeon", channel: "webhook" })];
    const ids = await store.enqueueMeetingDigests(fixed, fence);
    expect(ids).toEqual([await deliveryId(key, "slack"), await deliveryId(key, "pigeon")]);
    expect((await meetings.get(key))?.digestsEnqueuedAt).not.toBeNull();
  });
});
