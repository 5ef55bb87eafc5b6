-- Pairs, their meetings and the ledger of carried action items.
CREATE TABLE pairs (
  id TEXT PRIMARY KEY,
  config TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
