-- Live sync: from the moment a new agenda is made until its meeting starts, its carried items
-- follow the previous agenda. The ledger learns, per item, where it is on both sides and what each side
-- said when the Worker last wrote it; the meeting gains a sync lease, so two passes never sync it at once.

-- Stable within the meeting: 'carried:<role>:<position>' for an item carried when the agenda was made,
-- 'added:<source block id>' for one a sync pass added.
ALTER TABLE carried_items ADD COLUMN item_id TEXT;
-- The item's block in the previous agenda, and its copy's block in the new one (null until known).
ALTER TABLE carried_items ADD COLUMN source_block_id TEXT;
ALTER TABLE carried_items ADD COLUMN target_block_id TEXT;
-- What a person sees as the item (text without the carry mark, owner, due date), hashed: the source as
-- last copied, and the copy as the Worker last wrote it. A copy that no longer matches was edited by a
-- person, whose words win.
ALTER TABLE carried_items ADD COLUMN source_fingerprint TEXT;
ALTER TABLE carried_items ADD COLUMN copy_fingerprint TEXT;
-- When the Worker checked the copy because its source was ticked done (null: it has not).
ALTER TABLE carried_items ADD COLUMN closed_at TEXT;
-- 1 once the source changed after a person edited the copy, and the person's copy was kept.
ALTER TABLE carried_items ADD COLUMN kept_by_person INTEGER NOT NULL DEFAULT 0;
-- When a sync pass added the item after the agenda was made (null: carried when it was made).
ALTER TABLE carried_items ADD COLUMN added_at TEXT;

-- Items carried before this migration get their id; they have no block ids or fingerprints, so a sync
-- pass leaves them as they are.
UPDATE carried_items SET item_id = 'carried:' || role || ':' || position WHERE item_id IS NULL;
CREATE UNIQUE INDEX carried_items_by_item ON carried_items (meeting_key, item_id);

-- The sync lease, like the prepare claim: a pass holds the meeting until sync_expires_at (epoch ms, real
-- clock), and every ledger write of the pass checks sync_token. synced_at: when a pass last finished.
ALTER TABLE meetings ADD COLUMN sync_token TEXT;
ALTER TABLE meetings ADD COLUMN sync_expires_at INTEGER;
ALTER TABLE meetings ADD COLUMN synced_at TEXT;

-- The previous agenda's id, even when nothing was carried from it: an item added there before the meeting
-- is still carried by a sync pass.
ALTER TABLE meetings ADD COLUMN previous_agenda_id TEXT;
UPDATE meetings SET previous_agenda_id = (
    SELECT source_agenda_id FROM carried_items c WHERE c.meeting_key = meetings.key AND c.source_agenda_id <> ''
    LIMIT 1
  ) WHERE previous_agenda_id IS NULL;
-- When a look last said the meeting's previous agenda may have changed (epoch ms, the look's start), and
-- when the last finished pass started reading. A meeting is owed a pass while wanted is later than read:
-- a pass that failed leaves it owed, and the next tick sends it again.
ALTER TABLE meetings ADD COLUMN sync_wanted_at INTEGER;
ALTER TABLE meetings ADD COLUMN sync_read_at INTEGER;
-- The meetings a tick looks at: agendas made, meetings not started.
CREATE INDEX meetings_in_sync_window ON meetings (status, starts_at) WHERE agenda_id IS NOT NULL;

-- Where each watched place (a Notion data source, a Google account) was last looked at: the vendor's
-- cursor for the next look. Written only after what a look found is recorded on the meetings.
CREATE TABLE sync_cursors (
  scope TEXT PRIMARY KEY,
  cursor TEXT NOT NULL,
  looked_at INTEGER NOT NULL
);
