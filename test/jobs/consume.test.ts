// The queue consumer called directly, with real D1 and an in-memory destination: every message is acked
// or retried on its own; a message for a pair that is not stored (deleted since the tick) or a malformed
// one is acked without writing anything, and the log says why and where; a meeting's agenda is made once
// however often its message arrives.
import { describe, expect, it } from "vitest";
import type { ReadItems } from "../../src/destinations/types";
import { consumeWork } from "../../src/jobs/consume";
import { envelope, eventsNamed, freshPair, jobDeps } from "../support/job-deps";
import { memoryDestination } from "../support/memory-destination";

// Tuesday 10:00 in Berlin, prepared 24 hours ahead: due from Monday 09:00Z.
const DUE_AT = Date.parse("2026-12-07T09:00:00Z");
const MEETING_DATE = "2026-12-08";

const OPEN: ReadItems = {
  actions: [{ kind: "todo", text: [{ kind: "text", text: "Book the venue" }], checked: false, children: [] }],
  discussion: [],
  parked: [],
  closed: 0,
  closedWithinWeek: 0,
};

function setUp(clockMs = DUE_AT) {
  const store = memoryDestination("2026-12-01", OPEN);
  const deps = jobDeps({ clock: () => clockMs, destination: () => store.destination() });
  return { store, deps };
}

function prepare(pairId: string) {
  return { kind: "prepare", pairId, date: MEETING_DATE, plannedAt: DUE_AT };
}

describe("the queue consumer", () => {
  it("acks a message for a pair that is not stored, and makes nothing", async () => {
    const { store, deps } = setUp();
    const pairId = freshPair("consume-gone").id;
    const message = envelope(prepare(pairId));
    await consumeWork(deps, [message]);
    expect(message.settled).toEqual(["ack"]);
    expect(store.agendasOn(MEETING_DATE)).toEqual([]);
    expect(await deps.meetings.get(`${pairId}/${MEETING_DATE}`)).toBeNull();
    expect(eventsNamed(deps, "work.stale")).toEqual([
      expect.objectContaining({ pairId, date: MEETING_DATE }),
    ]);
  });

  it("acks a malformed message without a retry, and logs what was wrong and where", async () => {
    const { store, deps } = setUp();
    const badDate = envelope({ kind: "prepare", pairId: "ada-bo", date: "08/12/2026", plannedAt: DUE_AT });
    const unknownKind = envelope({ kind: "reboot" });
    const notAnObject = envelope("prepare ada-bo");
    await consumeWork(deps, [badDate, unknownKind, notAnObject]);
    for (const message of [badDate, unknownKind, notAnObject]) expect(message.settled).toEqual(["ack"]);
    const malformed = eventsNamed(deps, "work.malformed");
    expect(malformed.map((entry) => entry.id)).toEqual(
      expect.arrayContaining([badDate.id, unknownKind.id, notAnObject.id]),
    );
    const forBadDate = malformed.find((entry) => entry.id === badDate.id);
    expect(forBadDate?.problems).toEqual(['date: must be a date "YYYY-MM-DD"']);
    expect(store.agendasOn(MEETING_DATE)).toEqual([]);
  });

  it("makes one agenda for a due meeting, however often its message arrives, and acks every copy", async () => {
    const { store, deps } = setUp();
    const pair = freshPair("consume-due");
    expect(await deps.pairs.insert([pair], new Date(DUE_AT).toISOString())).toBe(true);
    const copies = [envelope(prepare(pair.id)), envelope(prepare(pair.id))];
    await consumeWork(deps, copies);
    const redelivered = envelope(prepare(pair.id), 2);
    await consumeWork(deps, [redelivered]);
    for (const message of [...copies, redelivered]) expect(message.settled).toEqual(["ack"]);
    const [agenda, ...others] = store.agendasOn(MEETING_DATE);
    expect(others).toEqual([]);
    const draft = store.drafts.get(agenda?.id ?? "");
    expect(draft?.carried.actions).toHaveLength(1);
    expect(await deps.meetings.get(`${pair.id}/${MEETING_DATE}`)).toMatchObject({
      status: "created",
      agendaUrl: agenda?.url,
      carriedCount: 1,
    });
  });

  it("acks without an agenda a message whose meeting began while it waited in the queue", async () => {
    // The meeting starts Tuesday 10:00 in Berlin (09:00Z); the message arrives after an outage, at 09:30Z.
    const { store, deps } = setUp(Date.parse("2026-12-08T09:30:00Z"));
    const pair = freshPair("consume-late");
    await deps.pairs.insert([pair], new Date(DUE_AT).toISOString());
    const message = envelope(prepare(pair.id));
    await consumeWork(deps, [message]);
    expect(message.settled).toEqual(["ack"]);
    expect(store.agendasOn(MEETING_DATE)).toEqual([]);
    expect(await deps.meetings.get(`${pair.id}/${MEETING_DATE}`)).toBeNull();
  });
});
