// The dead-letter consumer and replay called directly, with real D1: a message the queue gave up on is
// recorded once per meeting or delivery with the reason its work last failed for; a malformed message or
// a sync pass is dropped; a replay makes the work due again, hands it out once, and never twice.
import { describe, expect, it } from "vitest";
import { recordDeadLetters, replayDeadLetter } from "../../src/jobs/dead-letters";
import { envelope, eventsNamed, freshPair, jobDeps } from "../support/job-deps";
import { memoryDestination } from "../support/memory-destination";

const NOW = Date.parse("2026-12-07T09:00:00Z");
const MEETING_DATE = "2026-12-08";
const REASON = "Notion: the database is not shared with the integration (object_not_found)";

function setUp() {
  const store = memoryDestination("2026-12-01", {
    actions: [],
    discussion: [],
    parked: [],
    closed: 0,
    closedWithinWeek: 0,
  });
  return jobDeps({ clock: () => NOW, destination: () => store.destination() });
}

/** A meeting whose run failed with REASON, parked for an hour. */
async function failedMeeting(deps: ReturnType<typeof setUp>, prefix: string) {
  const pair = freshPair(prefix);
  const key = `${pair.id}/${MEETING_DATE}`;
  const token = crypto.randomUUID();
  await deps.meetings.claim({
    key,
    pairId: pair.id,
    date: MEETING_DATE,
    startsAt: "2026-12-08T09:00:00.000Z",
    token,
    nowMs: NOW,
    leaseMs: 60_000,
  });
  await deps.meetings.fail(key, token, REASON, NOW + 60 * 60_000, new Date(NOW).toISOString());
  const message = { kind: "prepare" as const, pairId: pair.id, date: MEETING_DATE, plannedAt: NOW };
  return { key, message, subject: `meeting:${key}` };
}

describe("recording dead letters", () => {
  it("records a meeting's message once, with the reason its run failed for, and counts each death", async () => {
    const deps = setUp();
    const { message, subject } = await failedMeeting(deps, "dead-meeting");
    const first = envelope(message, 5);
    await recordDeadLetters(deps, [first]);
    expect(first.settled).toEqual(["ack"]);
    expect(await deps.deadLetters.get(subject)).toMatchObject({
      kind: "prepare",
      reason: REASON,
      attempts: 5,
      deaths: 1,
      replayedAt: null,
    });
    await recordDeadLetters(deps, [envelope(message, 5)]);
    expect((await deps.deadLetters.get(subject))?.deaths).toBe(2);
    const open = await deps.deadLetters.listOpen(100);
    expect(open.filter((letter) => letter.subject === subject)).toHaveLength(1);
  });

  it("says how often the message was tried when its work recorded no error", async () => {
    const deps = setUp();
    const pair = freshPair("dead-unrecorded");
    const message = { kind: "prepare", pairId: pair.id, date: MEETING_DATE, plannedAt: NOW };
    await recordDeadLetters(deps, [envelope(message, 7)]);
    expect((await deps.deadLetters.get(`meeting:${pair.id}/${MEETING_DATE}`))?.reason).toBe(
      "gave up after 7 deliveries of the message, with no recorded error",
    );
  });

  it("drops a malformed message and a sync pass without recording them", async () => {
    const deps = setUp();
    const pair = freshPair("dead-dropped");
    const malformed = envelope({ kind: "prepare", pairId: pair.id });
    const sync = envelope({ kind: "sync", pairId: pair.id, date: MEETING_DATE });
    await recordDeadLetters(deps, [malformed, sync]);
    expect(malformed.settled).toEqual(["ack"]);
    expect(sync.settled).toEqual(["ack"]);
    expect(eventsNamed(deps, "dead_letter.malformed")).toEqual([
      expect.objectContaining({ id: malformed.id }),
    ]);
    expect(await deps.deadLetters.get(`sync:${pair.id}/${MEETING_DATE}`)).toBeNull();
    expect(
      (await deps.deadLetters.listOpen(100)).filter((letter) => letter.subject.includes(pair.id)),
    ).toEqual([]);
  });
});

describe("replaying a dead letter", () => {
  it("makes the meeting due again, hands its message out once, and refuses a second replay", async () => {
    const deps = setUp();
    const { key, message, subject } = await failedMeeting(deps, "replay-meeting");
    await recordDeadLetters(deps, [envelope(message, 5)]);
    expect((await deps.meetings.planStates([key])).get(key)).toMatchObject({ retryAfter: NOW + 60 * 60_000 });

    expect(await replayDeadLetter(deps, subject)).toEqual({ status: "replayed", subject });
    expect(deps.sent).toEqual([message]);
    expect((await deps.meetings.planStates([key])).get(key)?.retryAfter).toBeNull();
    expect((await deps.deadLetters.get(subject))?.replayedAt).toBe(new Date(NOW).toISOString());

    expect(await replayDeadLetter(deps, subject)).toEqual({ status: "already_replayed" });
    expect(deps.sent).toHaveLength(1);
  });

  it("answers not found for a subject with no dead letter, and sends nothing", async () => {
    const deps = setUp();
    expect(await replayDeadLetter(deps, "meeting:nobody/2026-12-08")).toEqual({ status: "not_found" });
    expect(deps.sent).toEqual([]);
  });
});
