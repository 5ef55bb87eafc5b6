// Migration 0006 on a ledger written before it: the carried items' role CHECK gains 'parked' by a
// rebuild of the table, every row survives as it was, the primary key still refuses a second copy of
// an item, and meetings gain the "closed within a week" count (0 for meetings recorded before).
// This file's D1 is its own: the test puts the schema back as 0005 left it, then applies 0006.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";

const OLD_LEDGER = `CREATE TABLE carried_items (
  meeting_key TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('actions', 'discussion')),
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  origin_date TEXT NOT NULL,
  times_carried INTEGER NOT NULL,
  owner_user_id TEXT,
  due_date TEXT,
  overdue INTEGER NOT NULL,
  source_agenda_id TEXT NOT NULL,
  PRIMARY KEY (meeting_key, role, position)
)`;

/** The ledger written before the migration is the meeting's; tests that add rows use another meeting. */
const MIGRATED = "p/2026-12-08";

function insert(role: string, position: number, text: string, meetingKey = MIGRATED) {
  return env.DB.prepare(
    `INSERT INTO carried_items (meeting_key, role, position, text, origin_date, times_carried, owner_user_id,
       due_date, overdue, source_agenda_id, owner_name)
     VALUES (?, ?, ?, ?, '2026-11-03', 2, 'u1', '2026-12-01', 1, 'page-1', 'Ada')`,
  ).bind(meetingKey, role, position, text);
}

beforeAll(async () => {
  const migration = env.TEST_MIGRATIONS.find((candidate) => candidate.name === "0006_parking.sql");
  if (migration === undefined) throw new Error("migrations/0006_parking.sql is missing");
  // The schema as 0005 left it, with a ledger and a meeting in it.
  await env.DB.batch([
    env.DB.prepare("DROP TABLE carried_items"),
    env.DB.prepare(OLD_LEDGER),
    env.DB.prepare("ALTER TABLE carried_items ADD COLUMN owner_name TEXT"),
    env.DB.prepare("ALTER TABLE meetings DROP COLUMN closed_within_week_count"),
    env.DB.prepare(
      `INSERT INTO meetings (key, pair_id, date, starts_at, status, updated_at, closed_count)
       VALUES ('p/2026-12-08', 'p', '2026-12-08', '2026-12-08T09:00:00Z', 'created', 't', 3)`,
    ),
    insert("actions", 0, "Write the RFC"),
    insert("discussion", 1, "Career path"),
  ]);
  await expect(insert("parked", 2, "Too early").run()).rejects.toThrow(/CHECK/u);
  await env.DB.batch(migration.queries.map((query) => env.DB.prepare(query)));
});

describe("migration 0006 (the parking lot)", () => {
  it("keeps every ledger row as it was", async () => {
    const { results } = await env.DB.prepare(
      "SELECT * FROM carried_items WHERE meeting_key = ? ORDER BY position",
    )
      .bind(MIGRATED)
      .all();
    expect(results).toEqual([
      expect.objectContaining({ role: "actions", position: 0, text: "Write the RFC", owner_name: "Ada" }),
      expect.objectContaining({ role: "discussion", position: 1, text: "Career path", times_carried: 2 }),
    ]);
    expect(results[0]).toEqual({
      meeting_key: "p/2026-12-08",
      role: "actions",
      position: 0,
      text: "Write the RFC",
      origin_date: "2026-11-03",
      times_carried: 2,
      owner_user_id: "u1",
      due_date: "2026-12-01",
      overdue: 1,
      source_agenda_id: "page-1",
      owner_name: "Ada",
    });
  });

  it("takes parked items, refuses unknown roles, and keeps the primary key", async () => {
    await insert("parked", 2, "Parked item", "q/2026-12-15").run();
    await expect(insert("graveyard", 3, "Nope", "q/2026-12-15").run()).rejects.toThrow(/CHECK/u);
    await expect(insert("actions", 0, "Second copy").run()).rejects.toThrow(/UNIQUE|PRIMARY/u);
  });

  it("gives meetings recorded before a count of 0 closed within a week", async () => {
    const row = await env.DB.prepare(
      "SELECT closed_count, closed_within_week_count FROM meetings WHERE key = 'p/2026-12-08'",
    ).first();
    expect(row).toEqual({ closed_count: 3, closed_within_week_count: 0 });
  });
});
