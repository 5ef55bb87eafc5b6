// The fanned-out tick called directly, with real D1 and an in-memory destination: it plans and hands out
// one "prepare" message per due meeting (handled at once here, as the inline queue does). A second tick at
// the same scheduled time, as a cron overlap or a manual run beside the cron makes, neither hands out nor
// makes anything again; and a meeting another run is preparing right now is left to it.
import { describe, expect, it } from "vitest";
import type { ReadItems } from "../../src/destinations/types";
import { dispatchTick } from "../../src/jobs/dispatch-tick";
import type { WorkMessage } from "../../src/jobs/work";
import { freshPair, jobDeps } from "../support/job-deps";
import { memoryDestination } from "../support/memory-destination";

// Tuesday 10:00 in Berlin, prepared 24 hours ahead: due from Monday 09:00Z.
const DUE_AT = Date.parse("2026-12-07T09:00:00Z");
const MEETING_DATE = "2026-12-08";

const OPEN: ReadItems = {
  actions: [
    { kind: "todo", text: [{ kind: "text", text: "Draft the hiring plan" }], checked: false, children: [] },
  ],
  discussion: [],
  parked: [],
  closed: 0,
  closedWithinWeek: 0,
};

/** The "prepare" messages handed out for `pairId`. */
function preparesFor(sent: readonly WorkMessage[], pairId: string): WorkMessage[] {
  return sent.filter((message) => message.kind === "prepare" && message.pairId === pairId);
}

async function setUp(prefix: string, options: { handleWork: boolean }) {
  const store = memoryDestination("2026-12-01", OPEN);
  const deps = jobDeps({ clock: () => DUE_AT, destination: () => store.destination(), ...options });
  const pair = freshPair(prefix);
  await deps.pairs.insert([pair], new Date(DUE_AT).toISOString());
  return { store, deps, pair, key: `${pair.id}/${MEETING_DATE}` };
}

describe("the fanned-out tick", () => {
  it("hands out the due meeting once and records the tick; a second tick at the same time adds nothing", async () => {
    const { store, deps, pair, key } = await setUp("dispatch-once", { handleWork: true });
    const first = await dispatchTick(deps, DUE_AT);
    expect(preparesFor(deps.sent, pair.id)).toEqual([
      { kind: "prepare", pairId: pair.id, date: MEETING_DATE, plannedAt: DUE_AT },
    ]);
    expect(first.dispatched).toBeGreaterThanOrEqual(1);
    expect(store.agendasOn(MEETING_DATE)).toHaveLength(1);
    expect((await deps.meetings.get(key))?.status).toBe("created");
    const [tick] = await deps.ticks.latest(1);
    expect(tick).toMatchObject({ created: first.dispatched });

    await dispatchTick(deps, DUE_AT);
    expect(preparesFor(deps.sent, pair.id)).toHaveLength(1);
    expect(store.agendasOn(MEETING_DATE)).toHaveLength(1);
  });

  it("leaves a meeting another run is preparing to that run", async () => {
    const { store, deps, pair, key } = await setUp("dispatch-held", { handleWork: false });
    const claimed = await deps.meetings.claim({
      key,
      pairId: pair.id,
      date: MEETING_DATE,
      startsAt: "2026-12-08T09:00:00.000Z",
      token: "the-other-run",
      nowMs: DUE_AT,
      leaseMs: 10 * 60_000,
    });
    expect(claimed).toBe(true);
    await dispatchTick(deps, DUE_AT);
    expect(preparesFor(deps.sent, pair.id)).toEqual([]);
    expect(store.agendasOn(MEETING_DATE)).toEqual([]);
  });
});
