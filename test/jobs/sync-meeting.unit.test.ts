// The sync pass's pure steps: whether a meeting is owed a pass at all, and the ledger it records before
// and after its writes (an add is recorded before it is written, a check or rewrite only once written).
import { describe, expect, it } from "vitest";
import type { SyncLedgerItem, SyncPlan } from "../../src/domain/sync";
import { ledgerAsWritten, ledgerBeforeWrites, syncTargetOf } from "../../src/jobs/sync-meeting";
import type { MeetingRecord } from "../../src/store/meetings";

const NOW = Date.parse("2026-12-07T10:00:00Z");

function record(overrides: Partial<MeetingRecord> = {}): MeetingRecord {
  return {
    key: "ada-bo/2026-12-08",
    pairId: "ada-bo",
    date: "2026-12-08",
    startsAt: "2026-12-08T09:00:00.000Z",
    status: "created",
    attempts: 1,
    agendaId: "agenda-8",
    agendaUrl: "https://agendas.test/agenda-8",
    carriedCount: 1,
    closedCount: 0,
    closedWithinWeekCount: 0,
    digestsEnqueuedAt: null,
    claimToken: "run-1",
    error: null,
    updatedAt: "2026-12-07T09:00:00.000Z",
    carriedFrom: { title: null, url: "https://agendas.test/agenda-1", date: "2026-12-01", madeBy: "worker" },
    ...overrides,
  };
}

function item(itemId: string, overrides: Partial<SyncLedgerItem> = {}): SyncLedgerItem {
  return {
    itemId,
    role: "actions",
    sourceId: `source-${itemId}`,
    targetId: `copy-${itemId}`,
    sourceFingerprint: "f1",
    copyFingerprint: "f1",
    closedAt: null,
    keptByPerson: false,
    addedAt: null,
    originDate: "2026-12-01",
    timesCarried: 1,
    text: `Item ${itemId}`,
    ownerUserId: null,
    ownerName: null,
    dueDate: null,
    overdue: false,
    ...overrides,
  };
}

describe("whether a meeting is owed a pass", () => {
  it("works between the meeting's agenda and the previous one before the meeting starts", () => {
    expect(syncTargetOf(record(), NOW)).toEqual({
      record: record(),
      agenda: { id: "agenda-8", url: "https://agendas.test/agenda-8", date: "2026-12-08" },
      previousDate: "2026-12-01",
    });
  });

  it("says why not: no agenda yet, the meeting has started, or nothing was carried", () => {
    expect(syncTargetOf(null, NOW)).toBe("no agenda yet");
    expect(syncTargetOf(record({ status: "claimed" }), NOW)).toBe("no agenda yet");
    expect(syncTargetOf(record({ agendaId: null }), NOW)).toBe("no agenda yet");
    expect(syncTargetOf(record(), Date.parse("2026-12-08T09:00:00Z"))).toBe("the meeting has started");
    expect(syncTargetOf(record({ carriedFrom: null }), NOW)).toBe("nothing was carried");
  });
});

describe("the ledger a pass records", () => {
  const kept = item("kept");
  const ticked = item("ticked");
  const before = [kept, ticked];
  const plan: SyncPlan = {
    actions: [
      { kind: "check", itemId: "ticked", targetId: "copy-ticked" },
      {
        kind: "add",
        itemId: "added:new",
        role: "actions",
        afterId: "copy-ticked",
        block: { kind: "todo", text: [{ kind: "text", text: "New" }], checked: false, children: [] },
      },
    ],
    ledger: [
      kept,
      { ...ticked, closedAt: "2026-12-07T10:00:00.000Z" },
      item("added:new", { targetId: null, addedAt: "2026-12-07T10:00:00.000Z" }),
    ],
  };

  it("before the writes: the adds as planned, every other item as it was", () => {
    expect(ledgerBeforeWrites(before, plan)).toEqual([kept, ticked, plan.ledger[2]]);
  });

  it("after the writes: the added copy's block, and an item left unwritten as its copy still is", () => {
    const written = ledgerAsWritten(before, plan.ledger, {
      added: new Map([["added:new", "block-9"]]),
      skipped: new Set(["ticked"]),
    });
    expect(written).toEqual([kept, ticked, { ...plan.ledger[2], targetId: "block-9" }]);
    const allWritten = ledgerAsWritten(before, plan.ledger, { added: new Map(), skipped: new Set() });
    expect(allWritten).toEqual(plan.ledger);
  });
});
