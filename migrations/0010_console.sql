-- The console's one-time sign-in links: a code good once, for ten minutes. Only the code's SHA-256 is
-- kept, so a leaked database holds nothing that signs anyone in.
CREATE TABLE console_sign_in_links (
  code_hash TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL, -- epoch ms, real clock
  used_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX console_sign_in_links_by_expiry ON console_sign_in_links (expires_at);
