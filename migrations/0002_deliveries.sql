-- The digest outbox: one row per meeting and channel. The row is the delivery's identity (its id is the
-- webhook-id and the email Message-ID, so receivers can drop repeats), its exact body (a retry sends the
-- same bytes) and its claim (overlapping runs never send it at once, and never again once delivered).

CREATE TABLE deliveries (
  -- 'dlv_' + hex SHA-256 of the meeting key and the channel key: the same digest to the same channel
  -- always has the same id, so enqueueing again (INSERT OR IGNORE) never makes a second row.
  id TEXT PRIMARY KEY,
  meeting_key TEXT NOT NULL,
  -- The channel's stable name in the pair's config; with the meeting key it derives the id.
  channel_key TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('slack', 'teams', 'discord', 'google-chat', 'webhook', 'email')),
  -- The NAME of the Worker secret that holds the webhook URL (or SMTP settings). Never its value: D1 is
  -- readable by anyone with the admin API or a database export.
  secret_name TEXT NOT NULL,
  -- The JSON body exactly as it will be sent, serialised once at enqueue time.
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
  -- Sends started, counted when claimed so a run that crashes mid-send still uses up an attempt.
  attempts INTEGER NOT NULL DEFAULT 0,
  -- Epoch ms from which a pending row may be sent (backoff and Retry-After land here).
  next_attempt_at INTEGER NOT NULL,
  -- A claim is held by one run until it expires, so a crashed run's row is sent again later, not lost.
  claim_token TEXT,
  claim_expires_at INTEGER,
  -- Why the last attempt did not deliver: a status line or error kind, never a URL, secret or body.
  last_error TEXT,
  delivered_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Finding due work: pending rows by next attempt, and sending rows (by status) whose claim expired.
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_by_meeting ON deliveries (meeting_key);
