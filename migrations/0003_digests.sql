-- What the digests need from a prepared meeting, and the managers' weekly roll-ups.

-- The owner's display name as the item showed it (a mention's text), so a digest can say who owns an
-- item without asking the destination again.
ALTER TABLE carried_items ADD COLUMN owner_name TEXT;

-- Done items found under the carried headings of the previous agenda: "closed since the last meeting".
ALTER TABLE meetings ADD COLUMN closed_count INTEGER NOT NULL DEFAULT 0;

-- When the meeting's digests went into the outbox. A created meeting with NULL here still owes its
-- digests, so a run that stopped between creating the agenda and enqueueing them is caught up by the
-- next tick. Meetings created before digests existed are marked, so upgrading never sends old news.
ALTER TABLE meetings ADD COLUMN digests_enqueued_at TEXT;
UPDATE meetings SET digests_enqueued_at = 'before digests' WHERE status = 'created';

CREATE INDEX meetings_owing_digests ON meetings (status, digests_enqueued_at);

-- One weekly roll-up per manager (by email, lower case): when it goes out and to which channels.
CREATE TABLE rollups (
  manager_email TEXT PRIMARY KEY,
  -- The validated roll-up configuration as JSON; like pairs, only secret NAMES live here.
  config TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
