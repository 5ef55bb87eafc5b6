-- Work fanned out on Cloudflare Queues: what a consumer needs to stay current, and the dead letters.

-- A counter that moves on every change to pairs, so a queue consumer can keep every pair (and who shares a
-- destination with whom) in memory and read them again only when they changed: one small query per batch
-- instead of every pair per message. Timestamps would not do: two changes can share a millisecond.
CREATE TABLE pairs_revision (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  revision INTEGER NOT NULL
);
INSERT INTO pairs_revision (id, revision) VALUES (1, 0);
CREATE TRIGGER pairs_revision_on_insert AFTER INSERT ON pairs
  BEGIN UPDATE pairs_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER pairs_revision_on_update AFTER UPDATE ON pairs
  BEGIN UPDATE pairs_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER pairs_revision_on_delete AFTER DELETE ON pairs
  BEGIN UPDATE pairs_revision SET revision = revision + 1 WHERE id = 1; END;

-- Work the queue gave up on after its retries: one row per piece of work (a meeting to prepare, a
-- delivery to send), however many messages about it died, so an operator sees each problem once, with
-- the last reason, and can replay it.
CREATE TABLE dead_letters (
  -- 'meeting:<pairId>/<date>' or 'delivery:<id>'.
  subject TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('prepare', 'deliver')),
  -- The message body as the queue carried it, validated JSON: what a replay sends again.
  body TEXT NOT NULL,
  -- Why it failed, in our own words (the meeting's or delivery's recorded reason); never a secret.
  reason TEXT NOT NULL,
  -- Messages about this subject that died, and the delivery attempts of the last one.
  deaths INTEGER NOT NULL DEFAULT 1,
  attempts INTEGER NOT NULL,
  first_died_at TEXT NOT NULL,
  last_died_at TEXT NOT NULL,
  -- Set when an operator replays it; a later death clears it again.
  replayed_at TEXT
);
CREATE INDEX dead_letters_open ON dead_letters (replayed_at, last_died_at);

-- Each cron tick's plan: which meetings it handed out, so an operator (GET /admin/ticks) and the scripts
-- can follow the queue's progress on them. Kept for 30 days.
CREATE TABLE ticks (
  id TEXT PRIMARY KEY,
  -- The cron's scheduled time (epoch ms): what was due went by it.
  scheduled_at INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  -- Meetings owed an agenda at that time, and the keys of those handed out (a JSON array).
  due INTEGER NOT NULL,
  meeting_keys TEXT NOT NULL
);
CREATE INDEX ticks_by_start ON ticks (started_at);
