// Migration 0009 on a ledger written before it: every row keeps what it had and gets an item id, no row
// can be followed by a sync pass (it has no source block), two rows of a meeting cannot share an id, and
// the meeting learns the previous agenda its rows name.
// This file's D1 is its own: the test takes the schema back to what 0008 left, then applies 0009.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { MeetingStore } from "../../src/store/meetings";

const KEY = "sync-migration/2026-12-08";
const MEETING_COLUMNS = [
  "sync_token",
  "sync_expires_at",
  "synced_at",
  "previous_agenda_id",
  "sync_wanted_at",
  "sync_read_at",
];
const SYNC_COLUMNS = [
  "item_id",
  "source_block_id",
  "target_block_id",
  "source_fingerprint",
  "copy_fingerprint",
  "closed_at",
  "kept_by_person",
  "added_at",
];

function insert(role: string, position: number, text: string) {
  return env.DB.prepare(
    `INSERT INTO carried_items (meeting_key, role, position, text, origin_date, times_carried, owner_user_id,
       due_date, overdue, source_agenda_id, owner_name)
     VALUES (?, ?, ?, ?, '2026-11-03', 2, 'u1', '2026-12-01', 1, 'page-1', 'Ada')`,
  ).bind(KEY, role, position, text);
}

beforeAll(async () => {
  const migration = env.TEST_MIGRATIONS.find((candidate) => candidate.name === "0009_sync.sql");
  if (migration === undefined) throw new Error("migrations/0009_sync.sql is missing");
  await env.DB.batch([
    env.DB.prepare("DROP INDEX carried_items_by_item"),
    env.DB.prepare("DROP INDEX meetings_in_sync_window"),
    env.DB.prepare("DROP TABLE sync_cursors"),
    ...SYNC_COLUMNS.map((column) => env.DB.prepare(`ALTER TABLE carried_items DROP COLUMN ${column}`)),
    ...MEETING_COLUMNS.map((column) => env.DB.prepare(`ALTER TABLE meetings DROP COLUMN ${column}`)),
    env.DB.prepare(
      `INSERT INTO meetings (key, pair_id, date, starts_at, status, updated_at, agenda_id)
       VALUES (?, 'sync-migration', '2026-12-08', '2026-12-08T09:00:00Z', 'created', 't', 'page-2')`,
    ).bind(KEY),
    insert("actions", 0, "Write the RFC"),
    insert("discussion", 1, "Career path"),
  ]);
  await env.DB.batch(migration.queries.map((query) => env.DB.prepare(query)));
});

describe("migration 0009 (live sync)", () => {
  it("keeps every row, gives it an item id, and leaves it out of sync", async () => {
    const { results } = await env.DB.prepare(
      "SELECT role, position, text, item_id, source_block_id, kept_by_person FROM carried_items ORDER BY position",
    ).all();
    expect(results).toEqual([
      {
        role: "actions",
        position: 0,
        text: "Write the RFC",
        item_id: "carried:actions:0",
        source_block_id: null,
        kept_by_person: 0,
      },
      {
        role: "discussion",
        position: 1,
        text: "Career path",
        item_id: "carried:discussion:1",
        source_block_id: null,
        kept_by_person: 0,
      },
    ]);
    expect(await new MeetingStore(env.DB).syncLedger(KEY)).toEqual({
      items: [],
      unfollowed: 2,
      sourceAgendaId: "page-1",
    });
    // The meeting names the agenda its rows came from, which puts it in the sync window's query.
    const meeting = await env.DB.prepare("SELECT previous_agenda_id FROM meetings WHERE key = ?")
      .bind(KEY)
      .first<{ previous_agenda_id: string | null }>();
    expect(meeting?.previous_agenda_id).toBe("page-1");
  });

  it("refuses a second row with a meeting's item id", async () => {
    await expect(
      env.DB.prepare(
        `INSERT INTO carried_items (meeting_key, role, position, text, origin_date, times_carried, overdue,
           source_agenda_id, item_id) VALUES (?, 'actions', 5, 'Again', '2026-11-03', 1, 0, 'page-1', 'carried:actions:0')`,
      )
        .bind(KEY)
        .run(),
    ).rejects.toThrow(/UNIQUE/u);
  });

  it("gives a created meeting a free sync lease", async () => {
    const store = new MeetingStore(env.DB);
    expect(await store.claimSync({ key: KEY, token: "pass", nowMs: 0, leaseMs: 60_000 })).toBe(true);
  });
});
