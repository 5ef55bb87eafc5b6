// The single-invocation tick called directly, with real D1 and an in-memory destination: it prepares the
// due meetings itself, once. A second tick at the same scheduled time, as a cron overlap or a manual run
// beside the cron makes, makes nothing again; a dry run writes nothing and shows what a run would carry.
import { describe, expect, it } from "vitest";
import type { ReadItems } from "../../src/destinations/types";
import { runTick } from "../../src/jobs/run-tick";
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

async function setUp(prefix: string) {
  const store = memoryDestination("2026-12-01", OPEN);
  const deps = jobDeps({ clock: () => DUE_AT, destination: () => store.destination() });
  const pair = freshPair(prefix);
  await deps.pairs.insert([pair], new Date(DUE_AT).toISOString());
  return { store, deps, pair, key: `${pair.id}/${MEETING_DATE}` };
}

describe("the single-invocation tick", () => {
  it("prepares the due meeting once; a second tick at the same time makes nothing", async () => {
    const { store, deps, pair, key } = await setUp("run-once");
    const runId = crypto.randomUUID();
    const first = await runTick(deps, { nowMs: DUE_AT, runId, pairId: pair.id });
    expect(first.outcomes).toEqual([expect.objectContaining({ key, status: "created" })]);
    const second = await runTick(deps, { nowMs: DUE_AT, runId: crypto.randomUUID(), pairId: pair.id });
    expect(second.outcomes.filter((outcome) => outcome.status === "created")).toEqual([]);
    expect(store.agendasOn(MEETING_DATE)).toHaveLength(1);
    // The first run's claim made the agenda, and fences the meeting still.
    expect(await deps.meetings.get(key)).toMatchObject({
      status: "created",
      claimToken: runId,
      carriedCount: 1,
    });
  });

  it("writes nothing on a dry run, and shows the agenda with what it would carry", async () => {
    const { store, deps, pair, key } = await setUp("run-dry");
    const result = await runTick(deps, {
      nowMs: DUE_AT,
      runId: crypto.randomUUID(),
      pairId: pair.id,
      dryRun: true,
    });
    const [outcome] = result.outcomes;
    expect(outcome).toMatchObject({ key, status: "dry-run", existingUrl: null });
    expect(outcome?.status === "dry-run" ? outcome.carried.map((item) => item.role) : []).toEqual([
      "actions",
    ]);
    expect(store.agendasOn(MEETING_DATE)).toEqual([]);
    expect(await deps.meetings.get(key)).toBeNull();
  });
});
