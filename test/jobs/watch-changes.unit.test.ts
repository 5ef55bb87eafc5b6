// What live sync's looks found, tallied: the meetings to mark (by a look or by a webhook's signal a pass
// has not read yet), each place's new cursor (none for a failed look) and the vendor calls made.
import { describe, expect, it } from "vitest";
import type { ChangeLook, ChangeWatch } from "../../src/destinations/types";
import { tallyLooks } from "../../src/jobs/watch-changes";
import type { SyncWindowMeeting } from "../../src/store/sync-watch";

const watch: ChangeWatch = {
  scope: "unused",
  changedSince: () => Promise.reject(new Error("not looked at here")),
};

function meeting(key: string, previousAgendaId: string, readAt: number | null = null): SyncWindowMeeting {
  return {
    key,
    pairId: key.split("/")[0] ?? key,
    date: "2026-12-08",
    previousAgendaId,
    wantedAt: null,
    readAt,
  };
}

function look(cursor: string, changed: readonly string[], calls = 1): ChangeLook {
  return { cursor, calls, changed: (id) => changed.includes(id) };
}

describe("tallying the looks", () => {
  it("marks what a look saw change, moves the cursors of the looks that answered, and counts their calls", () => {
    const a = meeting("a/2026-12-08", "prev-a");
    const b = meeting("b/2026-12-08", "prev-b");
    const c = meeting("c/2026-12-08", "prev-c");
    const tally = tallyLooks(
      [
        { scope: "notion:one", place: { watch, meetings: [a, b] }, look: look("n2", ["prev-a"], 2) },
        { scope: "google:two", place: { watch, meetings: [c] }, look: null },
      ],
      new Map(),
    );
    expect(tally.changed).toEqual([a]);
    expect(tally.cursors).toEqual(new Map([["notion:one", "n2"]]));
    expect(tally.calls).toBe(2);
    expect(tally.signalled).toBe(0);
  });

  it("marks a meeting a webhook signalled after its last pass read, even where the look failed", () => {
    const id = "2a3b4c5d-0000-4000-8000-000000000001";
    const unread = meeting("a/2026-12-08", id.replaceAll("-", "").toUpperCase(), 1_000);
    const readSince = meeting("b/2026-12-08", id, 3_000);
    const tally = tallyLooks(
      [{ scope: "notion:one", place: { watch, meetings: [unread, readSince] }, look: null }],
      new Map([[id, 2_000]]),
    );
    expect(tally.changed).toEqual([unread]);
    expect(tally.signalled).toBe(1);
    expect(tally.cursors.size).toBe(0);
  });
});
