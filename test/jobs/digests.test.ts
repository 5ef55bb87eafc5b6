// Enqueueing a prepared meeting's digest, driven directly against real D1: one delivery per channel of
// the pair, written with the meeting's "enqueued" mark, never a second time, and a digest even when the
// meeting carried nothing. Every pair and meeting key here is this file's own.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Pair } from "../../src/config/pair";
import { pairSchema } from "../../src/config/pair";
import { textOf } from "../../src/domain/agenda";
import type { CarriedItem } from "../../src/domain/carry";
import type { DigestDeps } from "../../src/jobs/digests";
import { enqueueMeetingDigest, enqueueOwedDigests } from "../../src/jobs/digests";
import { silentLogger } from "../../src/lib/log";
import { DeliveryStore } from "../../src/store/deliveries";
import { MeetingStore } from "../../src/store/meetings";
import { PairStore } from "../../src/store/pairs";
import { RollupStore } from "../../src/store/rollups";
import { pairInput } from "../support/pairs";

const MEETING_DATE = "2026-12-08";
const STARTS_AT = "2026-12-08T10:00:00+01:00";
/** The real clock as the job reads it: the day before the meeting. */
const NOW = Date.parse("2026-12-07T09:00:00Z");

const deps: DigestDeps = {
  pairs: new PairStore(env.DB),
  meetings: new MeetingStore(env.DB),
  deliveries: new DeliveryStore(env.DB),
  rollups: new RollupStore(env.DB),
  log: silentLogger,
  clock: () => NOW,
};

function item(role: CarriedItem["role"], text: string, timesCarried = 1): CarriedItem {
  return {
    role,
    block: { kind: "todo", text: textOf(text), checked: false, children: [] },
    originDate: "2026-11-24",
    timesCarried,
    ownerUserId: null,
    ownerName: "Bo Report",
    dueDate: null,
    overdue: false,
    text,
  };
}

/** A stored pair with a Slack channel and a signed webhook, of this test's own. */
async function storedPair(): Promise<Pair> {
  const pair = pairSchema.parse(
    pairInput({
      id: `digest-job-${crypto.randomUUID().slice(0, 8)}`,
      digests: [
        { channel: "slack", secret: "DIGEST_SLACK_URL" },
        { channel: "webhook", secret: "DIGEST_HOOK_URL" },
      ],
    }),
  );
  expect(await deps.pairs.insert([pair], new Date(NOW).toISOString())).toBe(true);
  return pair;
}

/** A meeting whose agenda was made carrying `carried`, as a prepare run records it. */
async function preparedMeeting(pair: Pair, carried: CarriedItem[]) {
  const key = `${pair.id}/${MEETING_DATE}`;
  const token = `prepare-${key}`;
  const claim = { key, pairId: pair.id, date: MEETING_DATE, startsAt: STARTS_AT, token };
  expect(await deps.meetings.claim({ ...claim, nowMs: NOW - 60_000, leaseMs: 600_000 })).toBe(true);
  const ledger = { carried, sourceAgendaId: "prev-page", closedCount: 2, closedWithinWeekCount: 1 };
  expect(
    await deps.meetings.saveLedger({ key, token }, { ...ledger, nowMs: NOW - 60_000, leaseMs: 600_000 }),
  ).toBe(true);
  const meeting = await deps.meetings.complete(
    key,
    token,
    { id: "page", url: "https://notion.so/page" },
    "t",
  );
  if (meeting === null) throw new Error("the fixture's meeting was not recorded");
  return meeting;
}

/** The webhook delivery's body: the digest as every channel lays it out. */
async function webhookBody(key: string) {
  const row = (await deps.deliveries.listForMeeting(key)).find((entry) => entry.channel === "webhook");
  if (row === undefined) throw new Error(`no webhook delivery for ${key}`);
  return JSON.parse(row.payload) as {
    items: { text: string; parked: boolean }[];
    counts: { carried: number; closedSinceLastMeeting: number };
  };
}

describe("a prepared meeting's digest", () => {
  it("is enqueued once per channel of the pair, with the open actions and parked items", async () => {
    const pair = await storedPair();
    const meeting = await preparedMeeting(pair, [
      item("actions", "Send the offsite plan"),
      item("discussion", "Team offsite"),
      item("parked", "Rewrite the wiki", 4),
    ]);

    const summary = await enqueueOwedDigests(deps, NOW, { pairId: pair.id });

    expect(summary).toEqual({ meetings: 1, skipped: 0, rollups: 0, deliveries: 2 });
    const rows = await deps.deliveries.listForMeeting(meeting.key);
    expect(rows.map((row) => [row.channel, row.secretName, row.status, row.expiresAt])).toEqual([
      ["slack", "DIGEST_SLACK_URL", "pending", Date.parse(STARTS_AT)],
      ["webhook", "DIGEST_HOOK_URL", "pending", Date.parse(STARTS_AT)],
    ]);
    const body = await webhookBody(meeting.key);
    expect(body.items.map((entry) => [entry.text, entry.parked])).toEqual([
      ["Send the offsite plan", false],
      ["Rewrite the wiki", true],
    ]);
    expect(body.counts).toMatchObject({ carried: 2, closedSinceLastMeeting: 2 });
    expect((await deps.meetings.get(meeting.key))?.digestsEnqueuedAt).not.toBeNull();
  });

  it("is still enqueued once when the job runs twice, or a second run holds the meeting as it was", async () => {
    const pair = await storedPair();
    const meeting = await preparedMeeting(pair, [item("actions", "Send the offsite plan")]);

    const first = await enqueueMeetingDigest(deps, meeting, { pair });
    const rows = await deps.deliveries.listForMeeting(meeting.key);
    expect(first).toEqual({ deliveryIds: rows.map((row) => row.id) });

    // The same record a second, overlapping run read before the first one marked the meeting.
    expect(await enqueueMeetingDigest(deps, meeting, { pair })).toEqual({
      skipped: "another run enqueued them, or took the meeting over",
    });
    expect(await enqueueOwedDigests(deps, NOW, { pairId: pair.id })).toEqual({
      meetings: 0,
      skipped: 0,
      rollups: 0,
      deliveries: 0,
    });
    expect(await deps.deliveries.listForMeeting(meeting.key)).toEqual(rows);
  });

  it("is enqueued for a meeting that carried nothing open, saying so", async () => {
    const pair = await storedPair();
    const meeting = await preparedMeeting(pair, [item("discussion", "Team offsite")]);

    const summary = await enqueueOwedDigests(deps, NOW, { pairId: pair.id });

    expect(summary).toMatchObject({ meetings: 1, deliveries: 2 });
    expect((await deps.deliveries.listForMeeting(meeting.key)).map((row) => row.channel)).toEqual([
      "slack",
      "webhook",
    ]);
    const body = await webhookBody(meeting.key);
    expect(body.items).toEqual([]);
    expect(body.counts.carried).toBe(0);
  });

  it("is skipped once its meeting has begun, and no longer owed", async () => {
    const pair = await storedPair();
    const meeting = await preparedMeeting(pair, [item("actions", "Send the offsite plan")]);
    const late = { ...deps, clock: () => Date.parse(STARTS_AT) };

    expect(await enqueueMeetingDigest(late, meeting, { pair })).toEqual({ skipped: "the meeting has begun" });
    expect(await deps.deliveries.listForMeeting(meeting.key)).toEqual([]);
    expect((await deps.meetings.owingDigests(500, pair.id)).map((owed) => owed.key)).toEqual([]);
  });
});
