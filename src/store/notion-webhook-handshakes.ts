// D1 access for Notion's webhook handshakes: the verification token Notion POSTs once when a subscription
// is made, kept until an operator reads it once through the admin API; after that only its fingerprint
// stays, so the admin API can still say whether the Worker is configured with it. The route is open to
// anyone (a handshake carries no signature), so only the newest few are kept.

interface Handshake {
  /** The first 16 hex digits of the token's SHA-256: tells handshakes apart without showing the token. */
  fingerprint: string;
  firstReceivedAt: string;
  receivedAt: string;
  /** How often Notion (or anyone) sent this token. */
  deliveries: number;
  /** When an operator was shown the token; null until then. */
  revealedAt: string | null;
}

export interface RevealedHandshake extends Handshake {
  /** The token itself, only in the answer that reveals it. */
  token: string | null;
}

interface HandshakeRow {
  fingerprint: string;
  token: string | null;
  first_received_at: string;
  received_at: string;
  deliveries: number;
  revealed_at: string | null;
}

/** Handshakes kept: a deployment makes a subscription or two; strangers' posts cannot grow the table. */
export const MAX_HANDSHAKES = 10;

export async function tokenFingerprint(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return [...new Uint8Array(digest)]
    .slice(0, 8)
    .map((byte) => byte.toString(16).padStart(2, "0"))
    .join("");
}

export class NotionWebhookHandshakeStore {
  constructor(private readonly db: D1Database) {}

  /** Keeps the token until it is revealed (a repeat counts as one more delivery), and the newest few. */
  async record(token: string, at: string): Promise<void> {
    const fingerprint = await tokenFingerprint(token);
    await this.db.batch([
      this.db
        .prepare(
          `INSERT INTO notion_webhook_handshakes
             (fingerprint, token, first_received_at, received_at, deliveries)
           VALUES (?1, ?2, ?3, ?3, 1)
           ON CONFLICT (fingerprint) DO UPDATE SET received_at = ?3,
             deliveries = notion_webhook_handshakes.deliveries + 1`,
        )
        .bind(fingerprint, token, at),
      this.db
        .prepare(
          `DELETE FROM notion_webhook_handshakes WHERE fingerprint NOT IN
             (SELECT fingerprint FROM notion_webhook_handshakes ORDER BY received_at DESC, fingerprint LIMIT ?)`,
        )
        .bind(MAX_HANDSHAKES),
    ]);
  }

  /**
   * Every handshake kept, newest first; a token not shown before is in this answer and forgotten by it.
   */
  async reveal(at: string): Promise<RevealedHandshake[]> {
    // One batch is one transaction: the tokens read here are the ones the update forgets, and a second
    // reader at the same time sees them already gone.
    const [all] = await this.db.batch<HandshakeRow>([
      this.db.prepare("SELECT * FROM notion_webhook_handshakes ORDER BY received_at DESC, fingerprint"),
      this.db
        .prepare("UPDATE notion_webhook_handshakes SET revealed_at = ?, token = NULL WHERE token IS NOT NULL")
        .bind(at),
    ]);
    return (all?.results ?? []).map((row) => ({
      fingerprint: row.fingerprint,
      token: row.token,
      firstReceivedAt: row.first_received_at,
      receivedAt: row.received_at,
      deliveries: row.deliveries,
      revealedAt: row.token === null ? row.revealed_at : at,
    }));
  }
}
