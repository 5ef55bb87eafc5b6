-- Pairs, their meetings (one row per meeting key, which doubles as the claim) and the ledger of
-- action items carried into each meeting's agenda.

CREATE TABLE pairs (
  id TEXT PRIMARY KEY,
  -- The validated pair configuration as JSON; secrets never live here.
  config TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE meetings (
  -- pairId/YYYY-MM-DD: the same meeting always has the same key, across retries and overlapping runs.
  key TEXT PRIMARY KEY,
  pair_id TEXT NOT NULL,
  date TEXT NOT NULL,
  starts_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('claimed', 'created', 'failed')),
  -- A claim is held by one run until it expires, so a crashed run does not block the meeting forever.
  claim_token TEXT,
  claim_expires_at INTEGER,
  -- A failed meeting is tried again from this moment: at once after an outage, later when only a
  -- person can fix the cause (an unshared database), so a broken pair does not fail every tick.
  retry_after INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  agenda_id TEXT,
  agenda_url TEXT,
  carried_count INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  updated_at TEXT NOT NULL
);

CREATE INDEX meetings_by_pair ON meetings (pair_id, date);

CREATE TABLE carried_items (
  meeting_key TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('actions', 'discussion')),
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  -- The date of the agenda where the item first appeared, and how many meetings it has been carried.
  origin_date TEXT NOT NULL,
  times_carried INTEGER NOT NULL,
  owner_user_id TEXT,
  due_date TEXT,
  overdue INTEGER NOT NULL,
  source_agenda_id TEXT NOT NULL,
  PRIMARY KEY (meeting_key, role, position)
);
