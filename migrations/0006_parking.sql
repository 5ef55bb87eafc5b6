-- The parking lot: items carried more often than a pair's `carry.maxTimes` move to a "Parking lot"
-- section at the end of the agenda, and the ledger records them under the role 'parked'. The role CHECK
-- gains it, which SQLite can only do by rebuilding the table; every row is copied over as it was.

CREATE TABLE carried_items_v6 (
  meeting_key TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('actions', 'discussion', 'parked')),
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  -- The date of the agenda where the item first appeared, and how many meetings it has been carried.
  origin_date TEXT NOT NULL,
  times_carried INTEGER NOT NULL,
  owner_user_id TEXT,
  due_date TEXT,
  overdue INTEGER NOT NULL,
  source_agenda_id TEXT NOT NULL,
  -- The owner's display name as the item showed it (a mention's text).
  owner_name TEXT,
  PRIMARY KEY (meeting_key, role, position)
);

INSERT INTO carried_items_v6 (meeting_key, role, position, text, origin_date, times_carried, owner_user_id,
  due_date, overdue, source_agenda_id, owner_name)
SELECT meeting_key, role, position, text, origin_date, times_carried, owner_user_id, due_date, overdue,
  source_agenda_id, owner_name
FROM carried_items;

DROP TABLE carried_items;
ALTER TABLE carried_items_v6 RENAME TO carried_items;

-- Of the done items counted in closed_count, those that carried no carry mark: they appeared in the
-- previous agenda and were closed before this meeting (the roll-up's "closed within a week").
ALTER TABLE meetings ADD COLUMN closed_within_week_count INTEGER NOT NULL DEFAULT 0;
