// The meeting row as a claim: one run per meeting, expiring leases, and no second agenda once created.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MeetingStore } from "../../src/store/meetings";

const store = new MeetingStore(env.DB);
const base = { pairId: "p", date: "2026-12-01", startsAt: "2026-12-01T10:00:00+01:00", leaseMs: 600_000 };

describe("meeting claims", () => {
  it("lets exactly one of two concurrent runs take a meeting", async () => {
    const key = "p/2026-12-01";
    const results = await Promise.all([
      store.claim({ ...base, key, token: "run-a", nowMs: 1_000 }),
      store.claim({ ...base, key, token: "run-b", nowMs: 1_000 }),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("never hands out a meeting whose agenda was created", async () => {
    const key = "p/2026-12-08";
    expect(await store.claim({ ...base, key, token: "run-a", nowMs: 0 })).toBe(true);
    expect(
      await store.complete(key, "run-a", { id: "page", url: "https://notion.so/page" }, "t"),
    ).toMatchObject({
      status: "created",
      agendaUrl: "https://notion.so/page",
      claimToken: "run-a",
    });
    expect(await store.claim({ ...base, key, token: "run-b", nowMs: 10_000_000 })).toBe(false);
    expect((await store.get(key))?.status).toBe("created");
  });

  it("lets a later run take over a claim that expired, and the stale run can no longer finish it", async () => {
    const key = "p/2026-12-15";
    expect(await store.claim({ ...base, key, token: "crashed", nowMs: 0 })).toBe(true);
    expect(await store.claim({ ...base, key, token: "early", nowMs: 599_999 })).toBe(false);
    expect(await store.claim({ ...base, key, token: "next-tick", nowMs: 900_000 })).toBe(true);
    expect(await store.complete(key, "crashed", { id: "x", url: "u" }, "t")).toBeNull();
    expect((await store.get(key))?.attempts).toBe(2);
  });

  it("retries a failed meeting from its retry time on, and keeps the reason until then", async () => {
    const key = "p/2026-12-22";
    await store.claim({ ...base, key, token: "a", nowMs: 0 });
    await store.fail(key, "a", "Notion data source x was not found", 3_600_000, "t");
    expect((await store.get(key))?.error).toBe("Notion data source x was not found");
    expect(await store.claim({ ...base, key, token: "b", nowMs: 900_000 })).toBe(false);
    expect(await store.claim({ ...base, key, token: "c", nowMs: 3_600_000 })).toBe(true);
    expect((await store.get(key))?.error).toBeNull();
  });
});

describe("the carried-items ledger", () => {
  it("refuses a row whose role the code does not know, naming the column", async () => {
    const key = `roles-${crypto.randomUUID()}/2026-12-15`;
    // The table's CHECK keeps such a row out today; a migration ahead of the code (or a hand edit with
    // checks off) could still leave one, and it must not flow on as a string.
    await env.DB.batch([
      env.DB.prepare("PRAGMA ignore_check_constraints = ON"),
      env.DB.prepare(
        `INSERT INTO carried_items (meeting_key, role, position, text, origin_date, times_carried, overdue,
           source_agenda_id, item_id)
         VALUES (?1, 'someday', 0, 'Ship it', '2026-12-01', 1, 0, 'prev', 'carried:someday:0')`,
      ).bind(key),
      env.DB.prepare("PRAGMA ignore_check_constraints = OFF"),
    ]);
    const refused = `The ledger of meeting ${key} has a row this version cannot read (row 1): carried_items.role: Invalid option: expected one of "actions"|"discussion"|"parked"`;
    await expect(store.ledger(key)).rejects.toThrow(refused);
    await expect(store.syncLedger(key)).rejects.toThrow(refused);
  });
});
