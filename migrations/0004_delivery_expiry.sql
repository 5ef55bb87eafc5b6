-- Digests that outlive their moment, and a fair share of each run's sends.
--
-- A delivery may now expire: a meeting's digest is useless once the meeting has begun, and a weekly
-- roll-up once a week has passed. The status CHECK gains 'expired', which SQLite can only do by
-- rebuilding the table. Each row also names its pair, so a run can send one pair's deliveries alone
-- ("run now" for a pair) and share its budget between pairs.

CREATE TABLE deliveries_v4 (
  id TEXT PRIMARY KEY,
  meeting_key TEXT NOT NULL,
  channel_key TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('slack', 'teams', 'discord', 'google-chat', 'webhook', 'email')),
  secret_name TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'delivered', 'failed', 'expired')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  claim_token TEXT,
  claim_expires_at INTEGER,
  last_error TEXT,
  delivered_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  -- The pair the digest is about; NULL for a manager's roll-up, which spans pairs.
  pair_id TEXT,
  -- Epoch ms from which the row is no longer sent but marked expired; NULL: it never expires.
  expires_at INTEGER,
  -- What that moment is, for the reason a person reads ("the meeting began (…)").
  expiry_reason TEXT
);

-- Rows from before: a meeting's digest expires at its meeting's start, a roll-up a week after it was
-- queued. strftime reads the stored ISO times, offsets included.
INSERT INTO deliveries_v4
SELECT d.id, d.meeting_key, d.channel_key, d.channel, d.secret_name, d.payload, d.status, d.attempts,
  d.next_attempt_at, d.claim_token, d.claim_expires_at, d.last_error, d.delivered_at, d.created_at,
  d.updated_at,
  m.pair_id,
  CASE
    WHEN m.key IS NOT NULL THEN CAST(strftime('%s', m.starts_at) AS INTEGER) * 1000
    ELSE CAST(strftime('%s', d.created_at) AS INTEGER) * 1000 + 7 * 86400000
  END,
  CASE
    WHEN m.key IS NOT NULL THEN 'the meeting began (' || m.starts_at || ')'
    ELSE 'a week passed since it was queued (' || strftime('%Y-%m-%dT%H:%M:%fZ', d.created_at, '+7 days') || ')'
  END
FROM deliveries d LEFT JOIN meetings m ON m.key = d.meeting_key;

DROP TABLE deliveries;
ALTER TABLE deliveries_v4 RENAME TO deliveries;

CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_by_meeting ON deliveries (meeting_key);
CREATE INDEX deliveries_by_pair ON deliveries (pair_id, status, next_attempt_at);
