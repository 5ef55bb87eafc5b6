// D1 access for the console's one-time sign-in links. A code is stored as its SHA-256 only; taking it is
// one statement, so two clicks on the same link never both sign in.

/** Hex SHA-256 of a code: what the table keeps instead of the code. */
async function hashOf(code: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(code));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** How long a used or expired link's row is kept before a new link sweeps it away. */
const KEEP_AFTER_EXPIRY_MS = 24 * 60 * 60 * 1000;

export class SignInLinkStore {
  constructor(private readonly db: D1Database) {}

  /** Stores a new code, good until `expiresAtMs`, and sweeps away links long past theirs. */
  async add(code: string, nowMs: number, expiresAtMs: number): Promise<void> {
    await this.db.batch([
      this.db
        .prepare("DELETE FROM console_sign_in_links WHERE expires_at < ?")
        .bind(nowMs - KEEP_AFTER_EXPIRY_MS),
      this.db
        .prepare("INSERT INTO console_sign_in_links (code_hash, expires_at, created_at) VALUES (?, ?, ?)")
        .bind(await hashOf(code), expiresAtMs, new Date(nowMs).toISOString()),
    ]);
  }

  /** Uses the code up: true once, while it has not expired; false for any other code or call. */
  async take(code: string, nowMs: number): Promise<boolean> {
    const row = await this.db
      .prepare(
        `UPDATE console_sign_in_links SET used_at = ?1
         WHERE code_hash = ?2 AND used_at IS NULL AND expires_at > ?3
         RETURNING code_hash`,
      )
      .bind(new Date(nowMs).toISOString(), await hashOf(code), nowMs)
      .first<{ code_hash: string }>();
    return row !== null;
  }
}
