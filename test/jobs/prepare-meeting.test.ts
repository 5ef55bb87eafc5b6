// Preparing one meeting when runs overlap: the claim is a lease on the real clock, and its token fences
// every later write, so a run still working past its scheduled slot keeps its meeting, and a run whose
// lease ran out and was taken over stops without writing an agenda or touching the holder's ledger.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Pair } from "../../src/config/pair";
import { pairSchema } from "../../src/config/pair";
import type { ReadItems } from "../../src/destinations/types";
import { MEETING_CLAIM_LEASE_MS } from "../../src/domain/leases";
import { dueOccurrences } from "../../src/domain/occurrences";
import { prepareMeeting } from "../../src/jobs/prepare-meeting";
import { createLogger } from "../../src/lib/log";
import { MeetingStore } from "../../src/store/meetings";
import { memoryDestination } from "../support/memory-destination";
import { pairInput } from "../support/pairs";

const meetings = new MeetingStore(env.DB);
const log = createLogger({ level: "error", secrets: [], sink: () => {} });
// Tuesday 10:00 in Berlin, prepared 24 hours ahead: due from Monday 09:00Z.
const DUE_AT = Date.parse("2026-12-07T09:00:00Z");
const MINUTE = 60_000;

const OPEN: ReadItems = {
  actions: [
    { kind: "todo", text: [{ kind: "text", text: "Send the offsite plan" }], checked: false, children: [] },
  ],
  discussion: [],
  parked: [],
  closed: 1,
  closedWithinWeek: 1,
};

let serial = 0;
/** A pair of this test's own, so files and tests never share a meeting row. */
function freshPair(): Pair {
  serial += 1;
  return pairSchema.parse(pairInput({ id: `fence-${serial}-${crypto.randomUUID().slice(0, 8)}` }));
}

function occurrenceOf(pair: Pair) {
  const [occurrence] = dueOccurrences(pair.schedule, DUE_AT);
  if (occurrence === undefined) throw new Error("the fixture's meeting is not due");
  return occurrence;
}

/** One run: its own token, a real clock the test moves and, when given, the configured lease. */
function run(
  pair: Pair,
  destination: ReturnType<typeof memoryDestination>,
  clock: () => number,
  leaseMs?: number,
) {
  const runId = crypto.randomUUID();
  const outcome = prepareMeeting(
    {
      meetings,
      log,
      clock,
      destinationFor: () => destination.destination(),
      ...(leaseMs ? { leaseMs } : {}),
    },
    pair,
    occurrenceOf(pair),
    { runId, dryRun: false },
  );
  return { runId, outcome };
}

describe("overlapping runs of one meeting (exactly once)", () => {
  it("keeps the meeting with a run still working past its slot when the next tick starts", async () => {
    const pair = freshPair();
    const store = memoryDestination("2026-12-01", OPEN);
    // The 09:00 run reaches this meeting 12 minutes late, and is still at it when the 09:15 run starts.
    const held = store.holdAt("create");
    const slow = run(pair, store, () => DUE_AT + 12 * MINUTE);
    await held.reached;
    const next = run(pair, store, () => DUE_AT + 15 * MINUTE);
    expect((await next.outcome).status).toBe("skipped");
    held.open();
    expect((await slow.outcome).status).toBe("created");
    expect(store.agendasOn("2026-12-08")).toHaveLength(1);
  });

  it("stops a run whose lease ran out and was taken over, before it writes, leaving the holder's ledger", async () => {
    const pair = freshPair();
    const store = memoryDestination("2026-12-01", OPEN);
    let now = DUE_AT;
    const held = store.holdAt("readOpenItems");
    const stale = run(pair, store, () => now);
    await held.reached;
    // The stale run hangs for longer than its lease; the next tick takes the meeting over and finishes it.
    now = DUE_AT + MEETING_CLAIM_LEASE_MS + MINUTE;
    const next = run(pair, store, () => now);
    const taken = await next.outcome;
    expect(taken.status).toBe("created");
    const key = `${pair.id}/2026-12-08`;
    const ledgerBefore = await meetings.ledger(key);
    expect(ledgerBefore.map((entry) => entry.text)).toEqual(["Send the offsite plan"]);

    held.open();
    const outcome = await stale.outcome;
    expect(outcome).toMatchObject({ status: "lost", agendaUrl: null });
    expect(store.agendasOn("2026-12-08")).toHaveLength(1);
    expect(await meetings.ledger(key)).toEqual(ledgerBefore);
    const record = await meetings.get(key);
    expect(record).toMatchObject({ status: "created", claimToken: next.runId, carriedCount: 1 });
    expect(record?.agendaUrl).toBe(taken.status === "created" ? taken.agendaUrl : "");
  });

  it("records nothing for a run that lost its claim while writing, and names what it wrote", async () => {
    const pair = freshPair();
    const store = memoryDestination("2026-12-01", OPEN);
    let now = DUE_AT;
    const held = store.holdAt("create");
    const stale = run(pair, store, () => now);
    await held.reached;
    now = DUE_AT + MEETING_CLAIM_LEASE_MS + MINUTE;
    const next = run(pair, store, () => now);
    expect((await next.outcome).status).toBe("created");
    held.open();
    const outcome = await stale.outcome;
    expect(outcome.status).toBe("lost");
    const key = `${pair.id}/2026-12-08`;
    const record = await meetings.get(key);
    expect(record?.claimToken).toBe(next.runId);
    // The holder's agenda is the one on record; the stale run's page is reported, not adopted.
    const written = store.agendasOn("2026-12-08").map((agenda) => agenda.url);
    expect(written).toHaveLength(2);
    expect(outcome.status === "lost" ? outcome.agendaUrl : null).toBe(written[1]);
    expect(record?.agendaUrl).toBe(written[0]);
  });

  it("holds a claim for the configured lease, not the default: a shorter one is taken over sooner", async () => {
    const pair = freshPair();
    const store = memoryDestination("2026-12-01", OPEN);
    const lease = 2 * MINUTE;
    let now = DUE_AT;
    const held = store.holdAt("readOpenItems");
    const stale = run(pair, store, () => now, lease);
    await held.reached;
    // Inside the configured lease the holder keeps the meeting...
    now = DUE_AT + lease - 1000;
    expect((await run(pair, store, () => now, lease).outcome).status).toBe("skipped");
    // ...and once it ran out, long before the default 10 minutes, the next run takes it over.
    now = DUE_AT + lease + 1000;
    expect(now).toBeLessThan(DUE_AT + MEETING_CLAIM_LEASE_MS);
    expect((await run(pair, store, () => now, lease).outcome).status).toBe("created");
    held.open();
    expect((await stale.outcome).status).toBe("lost");
    expect(store.agendasOn("2026-12-08")).toHaveLength(1);
  });
});
