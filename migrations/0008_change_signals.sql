-- Notion's webhooks as change signals: which pages (and data sources) changed, for a sync pass to re-read.
-- A signal only says "look again"; what changed is read from Notion itself. Webhooks can merge, arrive
-- late, out of order or more than once, so the periodic pass stays the catch-up.

-- One row per page or data source with at least one event not yet handled by a sync pass. The newest
-- event's time wins (an older one arriving late never moves it back); `revision` moves on every new
-- event, so a pass clears only the rows it read and not one that changed again while it worked.
CREATE TABLE change_signals (
  kind TEXT NOT NULL CHECK (kind IN ('page', 'data_source')),
  -- Notion's id, lower-case with dashes.
  id TEXT NOT NULL,
  -- The newest event's timestamp (Notion's), epoch ms, and its type.
  last_event_at INTEGER NOT NULL,
  last_event_type TEXT NOT NULL,
  -- Distinct events recorded (redeliveries of one event count once).
  events INTEGER NOT NULL,
  -- change_signal_revision's value when the row last received an event.
  revision INTEGER NOT NULL,
  -- The Worker's clock (epoch ms) when the row was first and last touched; old rows expire.
  first_received_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE INDEX change_signals_by_received ON change_signals (received_at);
CREATE INDEX change_signals_by_event ON change_signals (last_event_at);

-- A counter that moves once per recorded event.
CREATE TABLE change_signal_revision (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  revision INTEGER NOT NULL
);
INSERT INTO change_signal_revision (id, revision) VALUES (1, 0);

-- Event ids seen lately, so a redelivery (Notion retries up to 8 times) is recorded once. Expire with the
-- signals.
CREATE TABLE notion_webhook_events (
  id TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL
);
CREATE INDEX notion_webhook_events_by_received ON notion_webhook_events (received_at);

-- The verification tokens Notion sent when a subscription was created, until an operator has read each
-- once (GET /admin/notion-webhooks); then only the fingerprint stays, to tell whether it is configured.
CREATE TABLE notion_webhook_handshakes (
  -- The first 16 hex digits of the token's SHA-256.
  fingerprint TEXT PRIMARY KEY,
  -- NULL once revealed.
  token TEXT,
  first_received_at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  deliveries INTEGER NOT NULL,
  revealed_at TEXT
);
CREATE INDEX notion_webhook_handshakes_by_received ON notion_webhook_handshakes (received_at);
