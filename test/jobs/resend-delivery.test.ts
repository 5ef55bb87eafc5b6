// Resending one digest delivery, called directly with real D1, as the admin API and the console's Resend
// button do: a failed delivery is made due again with a fresh attempt count and handed out at once; a
// delivered one only when asked; one whose meeting has begun, or that a send holds right now, is refused
// with the reason; and a queue that refuses leaves the row due for the next tick's sweep.
import { describe, expect, it } from "vitest";
import { recordDeadLetters, replayDeadLetter } from "../../src/jobs/dead-letters";
import { resendDelivery } from "../../src/jobs/resend-delivery";
import { deliveryIn } from "../support/deliveries";
import type { JobDepsOptions } from "../support/job-deps";
import { envelope, eventsNamed, jobDeps } from "../support/job-deps";
import { memoryDestination } from "../support/memory-destination";

const NOW = Date.parse("2026-12-07T09:00:00Z");
const REASON = "Slack answered 404 no_service: the webhook URL was revoked";

function setUp(options: Partial<JobDepsOptions> = {}) {
  const store = memoryDestination("2026-12-01", {
    actions: [],
    discussion: [],
    parked: [],
    closed: 0,
    closedWithinWeek: 0,
  });
  return jobDeps({ clock: () => NOW, destination: () => store.destination(), ...options });
}

let serial = 0;
/** A meeting key of this test's own, so no two tests share a delivery. */
function meetingKey(): string {
  serial += 1;
  return `resend-${serial}-${crypto.randomUUID().slice(0, 8)}/2026-12-08`;
}

describe("resending a delivery", () => {
  it("makes a failed delivery due now with a fresh attempt count, and hands it out once", async () => {
    const deps = setUp();
    const id = await deliveryIn(deps.deliveries, "failed", {
      meetingKey: meetingKey(),
      nowMs: NOW - 60_000,
      reason: REASON,
    });
    const result = await resendDelivery(deps, id);
    expect(result).toMatchObject({
      status: "resent",
      before: { status: "failed", attempts: 1, lastError: REASON },
      after: { status: "pending", attempts: 0, lastError: null, nextAttemptAt: NOW },
    });
    expect(deps.sent).toEqual([{ kind: "deliver", deliveryId: id }]);
  });

  it("resends a delivered digest only when asked to", async () => {
    const deps = setUp();
    const id = await deliveryIn(deps.deliveries, "delivered", {
      meetingKey: meetingKey(),
      nowMs: NOW - 60_000,
    });
    expect(await resendDelivery(deps, id)).toEqual({ status: "not_resendable", why: "delivered" });
    expect((await deps.deliveries.get(id))?.status).toBe("delivered");
    expect(deps.sent).toEqual([]);
    expect(await resendDelivery(deps, id, { includeDelivered: true })).toMatchObject({ status: "resent" });
    expect(deps.sent).toEqual([{ kind: "deliver", deliveryId: id }]);
  });

  it("refuses a delivery whose meeting has begun, and one a send holds right now", async () => {
    const deps = setUp();
    const expired = await deliveryIn(deps.deliveries, "failed", {
      meetingKey: meetingKey(),
      nowMs: NOW - 60_000,
      expires: { atMs: NOW - 1_000, reason: "the meeting has begun" },
    });
    expect(await resendDelivery(deps, expired)).toEqual({ status: "not_resendable", why: "expired" });
    const sending = await deliveryIn(deps.deliveries, "sending", {
      meetingKey: meetingKey(),
      nowMs: NOW - 60_000,
    });
    expect(await resendDelivery(deps, sending)).toEqual({ status: "not_resendable", why: "sending" });
    expect(await resendDelivery(deps, "dlv_0000")).toEqual({ status: "not_found" });
    expect(deps.sent).toEqual([]);
  });

  it("leaves the row due for the next tick when the queue refuses the message", async () => {
    const deps = setUp({ refuseWork: true });
    const id = await deliveryIn(deps.deliveries, "failed", {
      meetingKey: meetingKey(),
      nowMs: NOW - 60_000,
      reason: REASON,
    });
    expect(await resendDelivery(deps, id)).toMatchObject({ status: "resent", after: { status: "pending" } });
    expect(await deps.deliveries.dueIds({ nowMs: NOW, limit: 1_000 })).toContain(id);
    expect(eventsNamed(deps, "delivery.resend_queued_later")).toEqual([expect.objectContaining({ id })]);
  });
});

describe("a delivery's dead letter", () => {
  it("keeps the delivery's last error as its reason, and a replay makes the delivery due again", async () => {
    const deps = setUp();
    const id = await deliveryIn(deps.deliveries, "failed", {
      meetingKey: meetingKey(),
      nowMs: NOW - 60_000,
      reason: REASON,
    });
    await recordDeadLetters(deps, [envelope({ kind: "deliver", deliveryId: id }, 5)]);
    const subject = `delivery:${id}`;
    expect((await deps.deadLetters.get(subject))?.reason).toBe(REASON);
    expect(await replayDeadLetter(deps, subject)).toEqual({ status: "replayed", subject });
    expect(await deps.deliveries.get(id)).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: NOW,
    });
    expect(deps.sent).toEqual([{ kind: "deliver", deliveryId: id }]);
  });
});
