// The outbox rows: stable ids, no duplicate on re-enqueue, claims that two runs never share, expiring
// leases, delivered rows that are never handed out again, and the admin reset.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { EnqueueRequest } from "../../src/store/deliveries";
import { DeliveryStore, deliveryId } from "../../src/store/deliveries";

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
