// The work queue through the Worker's own queue handler, as Cloudflare delivers batches: a "prepare"
// message makes one agenda however often it arrives; a passing vendor failure goes back to the queue
// with backoff and parks the meeting meanwhile; a malformed message is dropped; what the queue gave up
// on shows once per meeting in the admin API with its reason and can be replayed. And the real local
// queue carries a message from a producer to the consumer.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { date, heading, notionControl, title, todo } from "../../emulators/notion/control";
import { receiversControl } from "../../emulators/receivers/control";
import type { PairInput } from "../../src/config/pair";
import { pairSchema } from "../../src/config/pair";
import { nextOccurrence } from "../../src/domain/occurrences";
import { DeliveryStore } from "../../src/store/deliveries";
import { pairInput } from "../support/pairs";
import {
  admin,
  DEAD_LETTER_QUEUE_NAME,
  envFor,
  queueBatch,
  testClock,
  tick,
  WORK_QUEUE_NAME,
} from "../support/worker";

const emu = notionControl(inject("notionUrl"));
// Tuesday 10:00 in Berlin, prepared 24 hours ahead: due from Monday 09:00Z.
const DUE_AT = Date.parse("2026-12-07T09:00:00Z");
const MEETING_DATE = "2026-12-08";

let testEnv: Env;
let token: string;
let dataSourceId: string;
let pairId: string;
let serial = 0;

function prepare(id = pairId) {
  return { kind: "prepare", pairId: id, date: MEETING_DATE, plannedAt: DUE_AT };
}

async function agendaPages(): Promise<string[]> {
  const pages = await emu.pages(dataSourceId);
  return pages.flatMap((page) =>
    page.properties.Date?.type === "date" && page.properties.Date.date?.start === MEETING_DATE
      ? [page.id]
      : [],
  );
}

async function meetingRow(key: string) {
  return env.DB.prepare("SELECT status, error, retry_after FROM meetings WHERE key = ?")
    .bind(key)
    .first<{ status: string; error: string | null; retry_after: number | null }>();
}

beforeEach(async () => {
  token = (await emu.createIntegration({ requestsPerSecond: null })).token;
  testEnv = envFor(inject("notionUrl"), token);
  const db = await emu.seedDatabase(token, {
    title: "1:1s",
    properties: { Name: { type: "title" }, Date: { type: "date" } },
    pages: [
      {
        properties: { Name: title("1:1 2026-12-01"), Date: date("2026-12-01") },
        children: [heading(2, "Action items"), todo("Open item"), todo("Done item", true)],
      },
    ],
  });
  dataSourceId = db.dataSourceId;
  serial += 1;
  pairId = `queued-${serial}-${crypto.randomUUID().slice(0, 6)}`;
  const pair: PairInput = pairInput({ id: pairId, destination: { kind: "notion", dataSourceId } });
  expect((await admin(testEnv, "/pairs", { method: "POST", body: pair })).status).toBe(201);
  testClock.set(DUE_AT);
});

describe("work queue consumer", () => {
  it("prepares the meeting of a message, carries the open item, and acks it", async () => {
    const { ids, result } = await queueBatch(testEnv, WORK_QUEUE_NAME, [prepare()]);
    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    const [page] = await agendaPages();
    expect(page).toBeDefined();
    expect(await emu.view(page ?? "")).toContain("Open item");
    expect((await meetingRow(`${pairId}/${MEETING_DATE}`))?.status).toBe("created");
  });

  it("makes one agenda when the queue delivers a message again, or two messages for one meeting", async () => {
    await queueBatch(testEnv, WORK_QUEUE_NAME, [prepare(), prepare()]);
    const again = await queueBatch(testEnv, WORK_QUEUE_NAME, [prepare()], { attempts: 2 });
    expect(again.result.explicitAcks).toEqual(again.ids);
    expect(await agendaPages()).toHaveLength(1);
  });

  it("sends a meeting back to the queue with backoff on a vendor outage, and parks it until then", async () => {
    await emu.addFault({ token, method: "POST", path: "/v1/data_sources/:id/query", status: 503, times: 20 });
    const { ids, result } = await queueBatch(testEnv, WORK_QUEUE_NAME, [prepare()], { attempts: 3 });
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((retry) => retry.msgId)).toEqual(ids);
    const row = await meetingRow(`${pairId}/${MEETING_DATE}`);
    expect(row?.status).toBe("failed");
    // The third delivery waits 120 s, and the tick leaves the meeting to that retry meanwhile.
    expect(row?.retry_after).toBe(DUE_AT + 120_000);
    await emu.clearFaults();
  });

  it("starts the backoff from WORK_RETRY_FIRST_DELAY_SECONDS and stops doubling at 20 times it", async () => {
    await emu.addFault({ token, method: "POST", path: "/v1/data_sources/:id/query", status: 503, times: 20 });
    const quick = { ...testEnv, WORK_RETRY_FIRST_DELAY_SECONDS: "2" };
    // The meeting is parked for as long as the queue holds the message back (the test pool does not
    // report a retry's delay, so the park shows it).
    const third = await queueBatch(quick, WORK_QUEUE_NAME, [prepare()], { attempts: 3 });
    expect(third.result.retryMessages.map((retry) => retry.msgId)).toEqual(third.ids);
    expect((await meetingRow(`${pairId}/${MEETING_DATE}`))?.retry_after).toBe(DUE_AT + 8_000);
    const tenth = await queueBatch(quick, WORK_QUEUE_NAME, [prepare()], {
      attempts: 10,
      clockMs: DUE_AT + 8_000,
    });
    expect(tenth.result.retryMessages.map((retry) => retry.msgId)).toEqual(tenth.ids);
    expect((await meetingRow(`${pairId}/${MEETING_DATE}`))?.retry_after).toBe(DUE_AT + 8_000 + 40_000);
    await emu.clearFaults();
  });

  it("acks a malformed message without doing anything", async () => {
    const bodies = [{ kind: "prepare", pairId, date: "8 Dec" }, { kind: "reboot" }, "text"];
    const { ids, result } = await queueBatch(testEnv, WORK_QUEUE_NAME, bodies);
    expect(result.explicitAcks.sort()).toEqual([...ids].sort());
    expect(await agendaPages()).toHaveLength(0);
  });
});

describe("the cron tick", () => {
  it("hands out what needs a run, records it, and shows the queue's progress on it", async () => {
    // A Wednesday pair in a database of its own, so that no other pair of this file is due at these ticks.
    const id = `ticked-${crypto.randomUUID().slice(0, 8)}`;
    const own = await emu.seedDatabase(token, {
      title: "Wednesday 1:1s",
      properties: { Name: { type: "title" }, Date: { type: "date" } },
      pages: [],
    });
    const wednesday = pairInput({ id, destination: { kind: "notion", dataSourceId: own.dataSourceId } });
    wednesday.schedule = { ...wednesday.schedule, cadence: { kind: "weekly", weekday: "wednesday" } };
    expect((await admin(testEnv, "/pairs", { method: "POST", body: wednesday })).status).toBe(201);
    const dueAt = DUE_AT + 86_400_000;
    await tick(testEnv, dueAt);
    await tick(testEnv, dueAt + 15 * 60_000);

    const body = (await (await admin(testEnv, "/ticks?limit=100")).json()) as {
      ticks: { scheduledAt: string; due: number; dispatched: number; created: number; waiting: number }[];
    };
    const at = (ms: number) => body.ticks.filter((entry) => entry.scheduledAt === new Date(ms).toISOString());
    expect(at(dueAt)).toEqual([expect.objectContaining({ due: 1, dispatched: 1, created: 1, waiting: 0 })]);
    // Still due at the next tick, but made: nothing is handed out, and a tick that hands out nothing
    // leaves no record.
    expect(at(dueAt + 15 * 60_000)).toEqual([]);
    const pages = await emu.pages(own.dataSourceId);
    const made = pages.filter(
      (page) => page.properties.Date?.type === "date" && page.properties.Date.date?.start === "2026-12-09",
    );
    expect(made).toHaveLength(1);
  });
});

describe("dead letters", () => {
  it("shows once per meeting with its reason, and a replay prepares it", async () => {
    await emu.addFault({ token, method: "POST", path: "/v1/data_sources/:id/query", status: 503, times: 20 });
    await queueBatch(testEnv, WORK_QUEUE_NAME, [prepare()], { attempts: 6 });
    await queueBatch(testEnv, DEAD_LETTER_QUEUE_NAME, [prepare()], { attempts: 6 });
    await queueBatch(testEnv, DEAD_LETTER_QUEUE_NAME, [prepare()], { attempts: 6 });
    await emu.clearFaults();

    const subject = `meeting:${pairId}/${MEETING_DATE}`;
    const listed = (await (await admin(testEnv, "/dead-letters")).json()) as {
      deadLetters: { subject: string; kind: string; reason: string; deaths: number; message: unknown }[];
    };
    const mine = listed.deadLetters.filter((letter) => letter.subject === subject);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ kind: "prepare", deaths: 2, message: prepare() });
    expect(mine[0]?.reason).toMatch(/503|unavailable/i);

    const replay = await admin(testEnv, `/dead-letters/${encodeURIComponent(subject)}/replay`, {
      method: "POST",
    });
    expect(replay.status).toBe(202);
    expect(await agendaPages()).toHaveLength(1);
    const after = (await (await admin(testEnv, "/dead-letters")).json()) as {
      deadLetters: { subject: string }[];
    };
    expect(after.deadLetters.map((letter) => letter.subject)).not.toContain(subject);
    const twice = await admin(testEnv, `/dead-letters/${encodeURIComponent(subject)}/replay`, {
      method: "POST",
    });
    expect(twice.status).toBe(409);
    const unknown = await admin(
      testEnv,
      `/dead-letters/${encodeURIComponent("meeting:nobody/2026-12-08")}/replay`,
      {
        method: "POST",
      },
    );
    expect(unknown.status).toBe(404);
  });
});

describe("dead letters after the cause is fixed", () => {
  it("shows a digest the queue gave up on, and a replay after the fix sends it", async () => {
    const deliveries = new DeliveryStore(env.DB);
    const hook = `replayed-${crypto.randomUUID().slice(0, 8)}`;
    const { id } = await deliveries.enqueue({
      meetingKey: `${pairId}/${MEETING_DATE}`,
      channelKey: "team-slack",
      channel: "slack",
      secretName: "REPLAY_SLACK_URL",
      payload: JSON.stringify({ text: "Agenda ready" }),
      pairId,
      nowMs: DUE_AT,
    });
    const deliver = { kind: "deliver", deliveryId: id };
    // The secret is not set yet: the send fails for a reason a person must fix.
    await queueBatch(testEnv, WORK_QUEUE_NAME, [deliver]);
    await queueBatch(testEnv, DEAD_LETTER_QUEUE_NAME, [deliver], { attempts: 11 });
    const subject = `delivery:${id}`;
    const listed = (await (await admin(testEnv, "/dead-letters")).json()) as {
      deadLetters: { subject: string; kind: string; reason: string }[];
    };
    const mine = listed.deadLetters.find((letter) => letter.subject === subject);
    expect(mine).toMatchObject({ kind: "deliver" });
    expect(mine?.reason).toContain("REPLAY_SLACK_URL");

    // The operator sets the secret, then replays: the delivery is made due again and sent.
    const fixed = { ...testEnv, REPLAY_SLACK_URL: `${inject("receiversUrl")}/slack/${hook}` };
    const replay = await admin(fixed, `/dead-letters/${encodeURIComponent(subject)}/replay`, {
      method: "POST",
    });
    expect(replay.status).toBe(202);
    expect((await deliveries.get(id))?.status).toBe("delivered");
    const arrived = await receiversControl(inject("receiversUrl")).received({ kind: "slack", hook });
    expect(arrived).toHaveLength(1);
    const after = (await (await admin(fixed, "/dead-letters")).json()) as {
      deadLetters: { subject: string }[];
    };
    expect(after.deadLetters.map((letter) => letter.subject)).not.toContain(subject);
  });

  it("stops listing a dead meeting once a later run made its agenda", async () => {
    await emu.addFault({ token, method: "POST", path: "/v1/data_sources/:id/query", status: 503, times: 20 });
    await queueBatch(testEnv, WORK_QUEUE_NAME, [prepare()]);
    await queueBatch(testEnv, DEAD_LETTER_QUEUE_NAME, [prepare()], { attempts: 11 });
    await emu.clearFaults();
    const subject = `meeting:${pairId}/${MEETING_DATE}`;
    const subjects = async () =>
      (
        (await (await admin(testEnv, "/dead-letters")).json()) as { deadLetters: { subject: string }[] }
      ).deadLetters.map((letter) => letter.subject);
    expect(await subjects()).toContain(subject);
    // A later tick's message (the queue's, not a replay) makes the agenda after all.
    await queueBatch(testEnv, WORK_QUEUE_NAME, [prepare()], { clockMs: DUE_AT + 10 * 60_000 });
    expect(await agendaPages()).toHaveLength(1);
    expect(await subjects()).not.toContain(subject);
  });
});

describe("the local queue", () => {
  it("carries a message from the producer binding to the Worker's consumer", async () => {
    // A Google pair in a Worker without Google's key: its consumer fails it with a reason, touching no network.
    const id = `google-queued-${crypto.randomUUID().slice(0, 8)}`;
    const pair = pairInput({
      id,
      destination: {
        kind: "google-docs",
        mode: "running-doc",
        documentId: `doc${crypto.randomUUID().replaceAll("-", "")}`,
      },
    });
    expect((await admin(testEnv, "/pairs", { method: "POST", body: pair })).status).toBe(201);
    const queue = env.WORK_QUEUE;
    if (queue === undefined) throw new Error("wrangler.toml binds no WORK_QUEUE");
    // The Worker's own consumer runs on the real clock, and drops a meeting that has begun: the message
    // is for the pair's next meeting from that clock's now, whatever day the test runs.
    const next = nextOccurrence(pairSchema.parse(pair).schedule, Date.now());
    if (next === null) throw new Error("the fixture's schedule has no next meeting");
    await queue.send({ kind: "prepare", pairId: id, date: next.date, plannedAt: next.prepareAtMs });
    const key = `${id}/${next.date}`;
    // The consumer runs in its own invocation: wait for its record, not for a time.
    let row = await meetingRow(key);
    for (let polls = 0; row === null && polls < 200; polls += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      row = await meetingRow(key);
    }
    expect(row).toMatchObject({ status: "failed" });
    expect(row?.error).toContain("GOOGLE_SERVICE_ACCOUNT_KEY is not set");
  });
});
