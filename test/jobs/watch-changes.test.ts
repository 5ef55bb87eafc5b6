// Live sync's look called directly, with real D1: prepared meetings in their sync window, each pair's
// destination an in-memory one that a test's fake watch says has changed or not. A meeting is owed a pass
// when its previous agenda changed (by a look, or a Notion webhook's signal) and stays owed until a pass
// reads it; a failed look marks nothing and keeps its cursor; pairs that keep agendas in one place share
// one look; a pair that does not sync is not looked at.
import { describe, expect, it } from "vitest";
import type { Pair } from "../../src/config/pair";
import type { ChangeLook, ChangeWatch, Destination, ReadItems } from "../../src/destinations/types";
import { dueOccurrences } from "../../src/domain/occurrences";
import { prepareMeeting } from "../../src/jobs/prepare-meeting";
import { watchForChanges } from "../../src/jobs/watch-changes";
import { freshPair, jobDeps } from "../support/job-deps";
import type { MemoryDestination } from "../support/memory-destination";
import { memoryDestination } from "../support/memory-destination";

// pairInput's meeting, Tuesday 2026-12-08 10:00 in Berlin (09:00Z), prepared 24 hours ahead.
const DUE_AT = Date.parse("2026-12-07T09:00:00Z");
const LOOK_AT = DUE_AT + 60 * 60_000;

const OPEN: ReadItems = {
  actions: [
    { kind: "todo", text: [{ kind: "text", text: "Share the roadmap" }], checked: false, children: [] },
  ],
  discussion: [],
  parked: [],
  closed: 0,
  closedWithinWeek: 0,
};

/** A watched place whose next looks answer what the test queues: a look, or a failure. */
function fakePlace(scope: string) {
  const answers: (ChangeLook | Error)[] = [];
  const cursors: (string | null)[] = [];
  const watch: ChangeWatch = {
    scope,
    async changedSince(cursor) {
      cursors.push(cursor);
      const answer = answers.shift();
      if (answer === undefined) throw new Error("the test queued no answer for this look");
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { watch, answers, cursors };
}

function look(cursor: string, changedIds: readonly string[]): ChangeLook {
  return { cursor, calls: 1, changed: (id) => changedIds.includes(id) };
}

/** Pairs whose agendas are made at DUE_AT and live at `place`; the deps a look at LOOK_AT takes. */
async function prepared(prefix: string, watch: ChangeWatch, count = 1, overrides = {}) {
  const pairs = Array.from({ length: count }, () => freshPair(prefix, overrides));
  const stores = new Map<string, MemoryDestination>(
    pairs.map((pair) => [pair.id, memoryDestination("2026-12-01", OPEN, `previous-${pair.id}`)]),
  );
  const destination = (pair: Pair): Destination => {
    const store = stores.get(pair.id);
    if (store === undefined) throw new Error(`no destination for ${pair.id}`);
    return {
      ...store.destination(),
      changeWatch: async () => watch,
      readSyncItems: async () => [],
      applySync: async () => ({ added: new Map(), skipped: new Set() }),
    };
  };
  let now = DUE_AT;
  const deps = jobDeps({ clock: () => now, destination });
  for (const pair of pairs) {
    const [occurrence] = dueOccurrences(pair.schedule, DUE_AT);
    if (occurrence === undefined) throw new Error("the fixture's meeting is not due");
    const outcome = await prepareMeeting(deps, pair, occurrence, {
      runId: crypto.randomUUID(),
      dryRun: false,
    });
    expect(outcome.status).toBe("created");
  }
  now = LOOK_AT;
  const byId = new Map(pairs.map((pair) => [pair.id, pair]));
  return {
    deps,
    keys: pairs.map((pair) => `${pair.id}/2026-12-08`),
    previousIds: pairs.map((pair) => `previous-${pair.id}`),
    watchOnce: () => watchForChanges(deps, byId, deps.destinationFor),
  };
}

describe("live sync's look", () => {
  it("owes a pass to a meeting whose previous agenda changed, moves the cursor, and keeps it owed", async () => {
    const place = fakePlace(`memory:${crypto.randomUUID()}`);
    const { keys, previousIds, watchOnce } = await prepared("watch-changed", place.watch);
    place.answers.push(look("c1", previousIds), look("c2", []));
    const first = await watchOnce();
    expect(first).toMatchObject({ inWindow: 1, looks: 1, calls: 1, failedLooks: 0, signalled: 0 });
    expect(first.owed.map((meeting) => meeting.key)).toEqual(keys);
    // No pass has read it since: the next look, which sees nothing new, still owes it one.
    const second = await watchOnce();
    expect(place.cursors).toEqual([null, "c1"]);
    expect(second.owed.map((meeting) => meeting.key)).toEqual(keys);
  });

  it("owes nothing when nothing changed, and a failed look marks nothing and keeps the cursor", async () => {
    const place = fakePlace(`memory:${crypto.randomUUID()}`);
    const { watchOnce } = await prepared("watch-failed", place.watch);
    place.answers.push(look("c1", []), new Error("Notion answered 503"), look("c2", []));
    expect((await watchOnce()).owed).toEqual([]);
    const failed = await watchOnce();
    expect(failed).toMatchObject({ looks: 1, failedLooks: 1, calls: 0, owed: [] });
    await watchOnce();
    // The look after the failure starts from where the last good one left off.
    expect(place.cursors).toEqual([null, "c1", "c1"]);
  });

  it("looks once at a place where several pairs keep their agendas", async () => {
    const place = fakePlace(`memory:${crypto.randomUUID()}`);
    const { keys, previousIds, watchOnce } = await prepared("watch-shared", place.watch, 3);
    place.answers.push(look("c1", previousIds.slice(0, 2)));
    const summary = await watchOnce();
    expect(place.cursors).toEqual([null]);
    expect(summary).toMatchObject({ inWindow: 3, looks: 1 });
    expect(summary.owed.map((meeting) => meeting.key).sort()).toEqual(keys.slice(0, 2).sort());
  });

  it("owes a pass for a webhook's signal about the previous agenda, and clears the signal", async () => {
    const place = fakePlace(`memory:${crypto.randomUUID()}`);
    const { deps, keys, previousIds, watchOnce } = await prepared("watch-signal", place.watch);
    const [previousId = ""] = previousIds;
    await deps.signals.record(
      [
        {
          eventId: crypto.randomUUID(),
          kind: "page",
          id: previousId,
          type: "page.content_updated",
          at: LOOK_AT,
        },
      ],
      LOOK_AT,
    );
    place.answers.push(look("c1", []));
    const summary = await watchOnce();
    expect(summary).toMatchObject({ signalled: 1 });
    expect(summary.owed.map((meeting) => meeting.key)).toEqual(keys);
    const pending = await deps.signals.pending();
    expect(pending.signals.filter((signal) => signal.id === previousId)).toEqual([]);
  });

  it("does not look for a pair that does not sync", async () => {
    const place = fakePlace(`memory:${crypto.randomUUID()}`);
    const { watchOnce } = await prepared("watch-off", place.watch, 1, { carry: { sync: false } });
    expect(await watchOnce()).toMatchObject({ inWindow: 0, looks: 0, owed: [] });
    expect(place.cursors).toEqual([]);
  });
});
