// D1 access for the digest outbox. As with meetings, each row is its own claim: one UPDATE hands due
// rows to exactly one run, and every later write names that run's token, so a run whose claim expired
// and was taken over can no longer change the row. A delivered row is never claimed again.

export const DELIVERY_CHANNELS = ["slack", "teams", "discord", "google-chat", "webhook", "email"] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
export type DeliveryStatus = "pending" | "sending" | "delivered" | "failed";

export interface DeliveryRecord {
  id: string;
  meetingKey: string;
  channelKey: string;
  channel: DeliveryChannel;
  /** The name of the Worker secret with the URL; never the URL. */
  secretName: string;
  /** The exact body to send. */
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  updatedAt: string;
}

interface DeliveryRow {
  id: string;
  meeting_key: string;
  channel_key: string;
  channel: DeliveryChannel;
  secret_name: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
  updated_at: string;
}

function deliveryFromRow(row: DeliveryRow): DeliveryRecord {
  return {
    id: row.id,
    meetingKey: row.meeting_key,
    channelKey: row.channel_key,
    channel: row.channel,
    secretName: row.secret_name,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The stable id of one digest to one channel: `dlv_` + hex SHA-256 of the meeting key and channel key.
 * Hashing keeps the id opaque and URL/header-safe whatever characters the keys hold; the NUL separator
 * keeps ("a/b", "c") and ("a", "b/c") apart.
 */
export async function deliveryId(meetingKey: string, channelKey: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(`${meetingKey}\u0000${channelKey}`),
  );
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `dlv_${hex}`;
}

export interface EnqueueRequest {
  meetingKey: string;
  /** The channel's stable name in the pair's config (or its index), so the id survives re-runs. */
  channelKey: string;
  channel: DeliveryChannel;
  secretName: string;
  /** The JSON body, already serialised: these bytes are what every attempt sends. */
  payload: string;
  nowMs: number;
}

export interface ClaimDueRequest {
  /** Unique per run, so a run only ever finishes its own claim. */
  token: string;
  nowMs: number;
  /** How long the run may take to send what it claimed before another run may take the rows over. */
  leaseMs: number;
  limit: number;
  /** Only these channels, so rows for a channel without a sender yet (email) wait instead of failing. */
  channels?: readonly DeliveryChannel[];
}

export class DeliveryStore {
  constructor(private readonly db: D1Database) {}

  /**
   * Adds the delivery unless it exists. Returns its id and whether this call created it; an existing
   * row keeps its payload and status, so re-running a job never resends or rewrites a digest.
   */
  async enqueue(request: EnqueueRequest): Promise<{ id: string; created: boolean }> {
    const id = await deliveryId(request.meetingKey, request.channelKey);
    const result = await this.insertStatement(id, request).run();
    return { id, created: result.meta.changes > 0 };
  }

  /**
   * Adds every delivery that does not exist yet and runs `alongside` in the same D1 batch, which is one
   * transaction: the deliveries and the caller's record that they were enqueued happen together or not
   * at all. Returns the ids in request order.
   */
  async enqueueAll(
    requests: readonly EnqueueRequest[],
    alongside: readonly D1PreparedStatement[] = [],
  ): Promise<string[]> {
    const entries = await Promise.all(
      requests.map(async (request) => ({
        id: await deliveryId(request.meetingKey, request.channelKey),
        request,
      })),
    );
    const statements = [...entries.map(({ id, request }) => this.insertStatement(id, request)), ...alongside];
    if (statements.length > 0) await this.db.batch(statements);
    return entries.map(({ id }) => id);
  }

  private insertStatement(id: string, request: EnqueueRequest): D1PreparedStatement {
    const at = new Date(request.nowMs).toISOString();
    return this.db
      .prepare(
        `INSERT OR IGNORE INTO deliveries (id, meeting_key, channel_key, channel, secret_name, payload, status,
           attempts, next_attempt_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', 0, ?7, ?8, ?8)`,
      )
      .bind(
        id,
        request.meetingKey,
        request.channelKey,
        request.channel,
        request.secretName,
        request.payload,
        request.nowMs,
        at,
      );
  }

  /**
   * Takes up to `limit` due rows for this run in one statement: pending rows whose next attempt has come,
   * and rows left `sending` by a run whose claim expired (it crashed, so the digest may not have gone).
   * Each claim counts as an attempt. Two runs at once never get the same row.
   */
  async claimDue(request: ClaimDueRequest): Promise<DeliveryRecord[]> {
    const channels = request.channels ?? DELIVERY_CHANNELS;
    if (channels.length === 0) return [];
    // ?1..?4 are fixed; the channel list follows as ?5.. so the statement stays one prepared query.
    const channelParams = channels.map((_, index) => `?${index + 5}`).join(", ");
    const at = new Date(request.nowMs).toISOString();
    const { results } = await this.db
      .prepare(
        `UPDATE deliveries SET status = 'sending', claim_token = ?1, claim_expires_at = ?2,
           attempts = attempts + 1, updated_at = ?3
         WHERE id IN (
           SELECT id FROM deliveries
           WHERE ((status = 'pending' AND next_attempt_at <= ?4) OR (status = 'sending' AND claim_expires_at <= ?4))
             AND channel IN (${channelParams})
           ORDER BY next_attempt_at, id
           LIMIT ${Math.max(0, Math.floor(request.limit))}
         )
         RETURNING *`,
      )
      .bind(request.token, request.nowMs + request.leaseMs, at, request.nowMs, ...channels)
      .all<DeliveryRow>();
    return results.map(deliveryFromRow).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt);
  }

  /** Records the delivery as sent, if this run still holds the claim. */
  async markDelivered(id: string, token: string, nowMs: number): Promise<boolean> {
    const at = new Date(nowMs).toISOString();
    const result = await this.db
      .prepare(
        `UPDATE deliveries SET status = 'delivered', delivered_at = ?1, last_error = NULL, claim_token = NULL,
           claim_expires_at = NULL, updated_at = ?1
         WHERE id = ?2 AND status = 'sending' AND claim_token = ?3`,
      )
      .bind(at, id, token)
      .run();
    return result.meta.changes > 0;
  }

  /** Puts the delivery back as pending from `nextAttemptAt`, keeping why, if this run holds the claim. */
  async retryLater(
    id: string,
    token: string,
    reason: string,
    nextAttemptAt: number,
    nowMs: number,
  ): Promise<boolean> {
    const result = await this.db
      .prepare(
        `UPDATE deliveries SET status = 'pending', next_attempt_at = ?1, last_error = ?2, claim_token = NULL,
           claim_expires_at = NULL, updated_at = ?3
         WHERE id = ?4 AND status = 'sending' AND claim_token = ?5`,
      )
      .bind(nextAttemptAt, reason, new Date(nowMs).toISOString(), id, token)
      .run();
    return result.meta.changes > 0;
  }

  /** Gives the delivery up with its reason, if this run holds the claim. Only a reset sends it again. */
  async markFailed(id: string, token: string, reason: string, nowMs: number): Promise<boolean> {
    const result = await this.db
      .prepare(
        `UPDATE deliveries SET status = 'failed', last_error = ?1, claim_token = NULL, claim_expires_at = NULL,
           updated_at = ?2
         WHERE id = ?3 AND status = 'sending' AND claim_token = ?4`,
      )
      .bind(reason, new Date(nowMs).toISOString(), id, token)
      .run();
    return result.meta.changes > 0;
  }

  /**
   * Makes a delivery due again now with a fresh attempt count, for a person who fixed the cause (set the
   * secret, fixed the receiver). A failed or pending row is reset; a delivered one only with
   * `includeDelivered`, because resending a delivered digest is a deliberate choice, never a re-run's.
   * A row being sent under a live claim is left alone, so a reset never races a send. Returns whether
   * the row was reset.
   */
  async resetForResend(
    id: string,
    nowMs: number,
    options: { includeDelivered?: boolean } = {},
  ): Promise<boolean> {
    const result = await this.db
      .prepare(
        `UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?1, last_error = NULL,
           delivered_at = NULL, claim_token = NULL, claim_expires_at = NULL, updated_at = ?2
         WHERE id = ?3 AND (status IN ('pending', 'failed')
           OR (status = 'delivered' AND ?4 = 1)
           OR (status = 'sending' AND claim_expires_at <= ?1))`,
      )
      .bind(nowMs, new Date(nowMs).toISOString(), id, options.includeDelivered === true ? 1 : 0)
      .run();
    return result.meta.changes > 0;
  }

  async get(id: string): Promise<DeliveryRecord | null> {
    const row = await this.db.prepare("SELECT * FROM deliveries WHERE id = ?").bind(id).first<DeliveryRow>();
    return row ? deliveryFromRow(row) : null;
  }

  /** The latest deliveries in a status (e.g. every failure a person should look at), newest first. */
  async listByStatus(status: DeliveryStatus, limit: number): Promise<DeliveryRecord[]> {
    const { results } = await this.db
      .prepare("SELECT * FROM deliveries WHERE status = ? ORDER BY updated_at DESC, id LIMIT ?")
      .bind(status, Math.max(0, Math.floor(limit)))
      .all<DeliveryRow>();
    return results.map(deliveryFromRow);
  }

  /** The latest deliveries whose digest key starts with `prefix` (a manager's roll-ups), newest first. */
  async listByKeyPrefix(prefix: string, limit: number): Promise<DeliveryRecord[]> {
    const { results } = await this.db
      .prepare(
        `SELECT * FROM deliveries WHERE substr(meeting_key, 1, length(?1)) = ?1
         ORDER BY created_at DESC, channel_key LIMIT ?2`,
      )
      .bind(prefix, Math.max(0, Math.floor(limit)))
      .all<DeliveryRow>();
    return results.map(deliveryFromRow);
  }

  async listForMeeting(meetingKey: string): Promise<DeliveryRecord[]> {
    const { results } = await this.db
      .prepare("SELECT * FROM deliveries WHERE meeting_key = ? ORDER BY channel_key")
      .bind(meetingKey)
      .all<DeliveryRow>();
    return results.map(deliveryFromRow);
  }
}
