// The ledger live sync reads and writes (migration 0009): item ids and fingerprints from the run that
// made the agenda, a sync lease one pass at a time, fenced writes, and items a pass adds placed after
// the last of their role. Meeting keys here are this file's own.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { textOf } from "../../src/domain/agenda";
import type { CarriedItem } from "../../src/domain/carry";
import type { SyncLedgerItem } from "../../src/domain/sync";
import { fingerprintOf } from "../../src/domain/sync";
import { MeetingStore } from "../../src/store/meetings";

const store = new MeetingStore(env.DB);
const LEASE = 60_000;

function carried(role: CarriedItem["role"], text: string): CarriedItem {
  return {
    role,
    block: { kind: "todo", text: textOf(text), checked: false, children: [] },
    originDate: "2026-11-24",
    timesCarried: 1,
    ownerUserId: null,
    ownerName: null,
    dueDate: null,
    overdue: false,
    text,
  };
}

/** A meeting whose agenda was made carrying `items`, as the prepare run records it. */
async function created(key: string, items: CarriedItem[]): Promise<void> {
  const token = `prepare-${key}`;
  const base = { pairId: "sync-pair", date: key.slice(-10), startsAt: `${key.slice(-10)}T10:00:00Z` };
  expect(await store.claim({ ...base, key, token, nowMs: 0, leaseMs: LEASE })).toBe(true);
  const saved = await store.saveLedger(
    { key, token },
    {
      carried: items,
      sourceAgendaId: "prev-page",
      closedCount: 0,
      closedWithinWeekCount: 0,
      nowMs: 0,
      leaseMs: LEASE,
    },
  );
  expect(saved).toBe(true);
  expect(
    await store.complete(key, token, { id: `agenda-${key}`, url: `https://notion.so/${key}` }, "t"),
  ).not.toBeNull();
}

/** The ledger as a sync pass would have it once it learned the block ids on both sides. */
async function followed(key: string): Promise<SyncLedgerItem[]> {
  const rows = await env.DB.prepare(
    "SELECT item_id FROM carried_items WHERE meeting_key = ? ORDER BY position",
  )
    .bind(key)
    .all<{ item_id: string }>();
  await env.DB.batch(
    rows.results.map((row, index) =>
      env.DB.prepare(
        "UPDATE carried_items SET source_block_id = ? WHERE meeting_key = ? AND item_id = ?",
      ).bind(`src-${index}`, key, row.item_id),
    ),
  );
  return (await store.syncLedger(key)).items;
}

describe("the ledger written when the agenda is made", () => {
  it("gives each item an id and the fingerprint of its text without marks", async () => {
    const key = "sync-pair/2026-12-01";
    await created(key, [carried("actions", "Write the RFC"), carried("discussion", "Career path")]);
    const { results } = await env.DB.prepare(
      "SELECT item_id, source_fingerprint, copy_fingerprint, source_block_id, kept_by_person FROM carried_items WHERE meeting_key = ? ORDER BY position",
    )
      .bind(key)
      .all();
    expect(results).toEqual([
      {
        item_id: "carried:actions:0",
        source_fingerprint: fingerprintOf(textOf("Write the RFC")),
        copy_fingerprint: fingerprintOf(textOf("Write the RFC")),
        source_block_id: null,
        kept_by_person: 0,
      },
      {
        item_id: "carried:discussion:1",
        source_fingerprint: fingerprintOf(textOf("Career path")),
        copy_fingerprint: fingerprintOf(textOf("Career path")),
        source_block_id: null,
        kept_by_person: 0,
      },
    ]);
    // Without their source blocks, a pass cannot follow them: they are counted, not planned from.
    expect(await store.syncLedger(key)).toEqual({ items: [], unfollowed: 2, sourceAgendaId: "prev-page" });
  });
});

describe("the ledger written when the agenda is made from blocks with ids", () => {
  it("records each item's block in the previous agenda, so a pass can follow it", async () => {
    const key = "sync-pair/2026-12-21";
    const rfc = carried("actions", "Write the RFC");
    const career = carried("discussion", "Career path");
    await created(key, [
      { ...rfc, block: { ...rfc.block, id: "block-rfc" } },
      { ...career, block: { ...career.block, id: "block-career" } },
    ]);
    const ledger = await store.syncLedger(key);
    expect(ledger.unfollowed).toBe(0);
    expect(ledger.items.map((item) => [item.itemId, item.sourceId, item.targetId])).toEqual([
      ["carried:actions:0", "block-rfc", null],
      ["carried:discussion:1", "block-career", null],
    ]);
  });
});

describe("the sync lease", () => {
  it("is held by one pass at a time, only on a created meeting, and taken over once it expires", async () => {
    const key = "sync-pair/2026-12-02";
    expect(await store.claimSync({ key, token: "early", nowMs: 0, leaseMs: LEASE })).toBe(false);
    await created(key, [carried("actions", "Write the RFC")]);
    const both = await Promise.all([
      store.claimSync({ key, token: "pass-a", nowMs: 1_000, leaseMs: LEASE }),
      store.claimSync({ key, token: "pass-b", nowMs: 1_000, leaseMs: LEASE }),
    ]);
    expect(both.filter(Boolean)).toHaveLength(1);
    expect(await store.claimSync({ key, token: "pass-c", nowMs: 1_000 + LEASE, leaseMs: LEASE })).toBe(true);
  });

  it("lets the next pass in at once when a pass finishes, and records when it did", async () => {
    const key = "sync-pair/2026-12-03";
    await created(key, []);
    expect(await store.claimSync({ key, token: "pass-a", nowMs: 0, leaseMs: LEASE })).toBe(true);
    expect(await store.finishSync({ key, token: "pass-a" }, "2026-11-25T09:00:00Z")).toBe(true);
    expect(await store.claimSync({ key, token: "pass-b", nowMs: 1, leaseMs: LEASE })).toBe(true);
    const row = await env.DB.prepare("SELECT synced_at, claim_token FROM meetings WHERE key = ?")
      .bind(key)
      .first();
    // The prepare claim's token stays: it is the fence of the meeting's digests.
    expect(row).toEqual({ synced_at: "2026-11-25T09:00:00Z", claim_token: `prepare-${key}` });
  });
});

describe("the ledger a sync pass writes", () => {
  it("updates items by id and puts added ones after the last of their role, once", async () => {
    const key = "sync-pair/2026-12-04";
    await created(key, [
      carried("actions", "Write the RFC"),
      carried("discussion", "Career path"),
      carried("actions", "Book the offsite"),
    ]);
    const ledger = await followed(key);
    expect(ledger.map((item) => item.itemId)).toEqual([
      "carried:actions:0",
      "carried:actions:2",
      "carried:discussion:1",
    ]);
    const [rfc, offsite, career] = ledger;
    if (rfc === undefined || offsite === undefined || career === undefined)
      throw new Error("ledger incomplete");
    const added: SyncLedgerItem = {
      ...rfc,
      itemId: "added:src-9",
      sourceId: "src-9",
      targetId: null,
      text: "Hire a designer",
      closedAt: null,
      addedAt: "2026-11-26T08:00:00Z",
    };
    const next = [
      { ...rfc, targetId: "copy-0", closedAt: "2026-11-26T08:00:00Z" },
      { ...offsite, targetId: "copy-2", keptByPerson: true, sourceFingerprint: "0123456789abcdef" },
      { ...career, targetId: "copy-1", text: "Career path (revised)" },
      added,
    ];
    expect(await store.claimSync({ key, token: "pass", nowMs: 0, leaseMs: LEASE })).toBe(true);
    const save = {
      ledger: next,
      sourceAgendaId: "prev-page",
      nowMs: 0,
      leaseMs: LEASE,
      newItems: true,
      changed: true,
    };
    expect(await store.saveSync({ key, token: "pass" }, save)).toBe(true);
    // Saved again (after the add, with the new copy's id), ending the pass: still one row per item.
    const withId = next.map((item) =>
      item.itemId === "added:src-9" ? { ...item, targetId: "copy-9" } : item,
    );
    const finish = { at: "2026-11-26T08:01:00Z", readFromMs: 5_000 };
    expect(await store.saveSync({ key, token: "pass" }, { ...save, ledger: withId, finish })).toBe(true);
    expect((await store.get(key))?.syncedAt).toBe(finish.at);
    // The lease is free again for the next pass.
    expect(await store.claimSync({ key, token: "next", nowMs: 1, leaseMs: LEASE })).toBe(true);

    expect((await store.syncLedger(key)).items).toEqual([withId[0], withId[1], withId[3], withId[2]]);
    const rows = await env.DB.prepare(
      "SELECT item_id, role, position, source_agenda_id FROM carried_items WHERE meeting_key = ? ORDER BY role, position",
    )
      .bind(key)
      .all();
    expect(rows.results).toEqual([
      { item_id: "carried:actions:0", role: "actions", position: 0, source_agenda_id: "prev-page" },
      { item_id: "carried:actions:2", role: "actions", position: 2, source_agenda_id: "prev-page" },
      { item_id: "added:src-9", role: "actions", position: 3, source_agenda_id: "prev-page" },
      { item_id: "carried:discussion:1", role: "discussion", position: 1, source_agenda_id: "prev-page" },
    ]);
    expect((await store.get(key))?.carriedCount).toBe(4);
    // The digests, roll-up and meetings view read the same rows, with the text as last written.
    expect((await store.ledger(key)).map((entry) => entry.text)).toEqual([
      "Write the RFC",
      "Book the offsite",
      "Hire a designer",
      "Career path (revised)",
    ]);
  });

  it("writes nothing for a pass that lost its lease", async () => {
    const key = "sync-pair/2026-12-05";
    await created(key, [carried("actions", "Write the RFC")]);
    const [rfc] = await followed(key);
    if (rfc === undefined) throw new Error("ledger incomplete");
    expect(await store.claimSync({ key, token: "stale", nowMs: 0, leaseMs: LEASE })).toBe(true);
    expect(await store.claimSync({ key, token: "fresh", nowMs: LEASE, leaseMs: LEASE })).toBe(true);
    const stale = {
      ledger: [
        { ...rfc, closedAt: "2026-11-26T08:00:00Z" },
        { ...rfc, itemId: "added:src-7", sourceId: "src-7" },
      ],
      sourceAgendaId: "prev-page",
      nowMs: LEASE,
      leaseMs: LEASE,
      newItems: true,
      changed: true,
    };
    expect(await store.saveSync({ key, token: "stale" }, stale)).toBe(false);
    expect(await store.finishSync({ key, token: "stale" }, "t")).toBe(false);
    expect((await store.syncLedger(key)).items).toEqual([rfc]);
  });
});
