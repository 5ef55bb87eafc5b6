// D1 access for the digest outbox. As with meetings, each row is its own claim: one UPDATE hands due
// rows to exactly one run, and every later write names that run's token, so a run whose claim expired
// and was taken over can no longer change the row. A delivered row is never claimed again. A row past
// its expiry (its meeting has begun) is never claimed again either: it is marked expired with why.
// Claims share a run's budget between pairs: each pair's first due row comes before any pair's second.

import { DIGEST_CHANNEL_NAMES, type DigestChannelName } from "../domain/channels";

/** A row's channel: one of the digest channels a config can name. */
export type DeliveryChannel = DigestChannelName;
export const DELIVERY_STATUSES = ["pending", "sending", "delivered", "failed", "expired"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryRecord {
  id: string;
  meetingKey: string;
  channelKey: string;
  /** The pair the digest is about; null for a manager's roll-up. */
  pairId: string | null;
  channel: DeliveryChannel;
  /** The name of the Worker secret with the URL; never the URL. */
  secretName: string;
  /** The exact body to send. */
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  /** Epoch ms from which it is no longer sent (its meeting has begun); null: never. */
  expiresAt: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  updatedAt: string;
}

interface DeliveryRow {
  id: string;
  meeting_key: string;
  channel_key: string;
  pair_id: string | null;
  channel: DeliveryChannel;
  secret_name: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  expires_at: number | null;
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
    pairId: row.pair_id,
    channel: row.channel,
    secretName: row.secret_name,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    expiresAt: row.expires_at,
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
  /** The real clock's now: the row is due from then. */
  nowMs: number;
  /** The pair the digest is about, so a run for one pair sends only its rows and budgets are shared. */
  pairId?: string;
  /** When the digest stops being worth sending, and what that moment is (for the reason shown). */
  expires?: { atMs: number; reason: string };
}

export interface DueRequest {
  /** The real clock's now, never a tick's scheduled time: due, lease and expiry are real elapsed time. */
  nowMs: number;
  limit: number;
  /** Only these channels, so rows for a channel without a sender yet (email) wait instead of failing. */
  channels?: readonly DeliveryChannel[];
  /** Only this pair's rows (a run for one pair); otherwise every pair's and every roll-up's. */
  pairId?: string;
}

export interface ClaimDueRequest extends DueRequest {
  /** Unique per run, so a run only ever finishes its own claim. */
  token: string;
  /** How long the run may take to send a row it claimed before another run may take it over. */
  leaseMs: number;
}

export interface ExpireDueRequest {
  nowMs: number;
  /** Only this pair's rows, as for claims. */
  pairId?: string;
}

/**
 * A row a run may take at ?1 (the real clock's now): pending and due, or left `sending` by a run whose
 * claim expired; never one past its expiry.
 */
const DUE = `((status = 'pending' AND next_attempt_at <= ?1) OR (status = 'sending' AND claim_expires_at <= ?1))
  AND (expires_at IS NULL OR expires_at > ?1)`;

/** The key a run's budget is shared by: the pair, or for a roll-up (no pair) the roll-up itself. */
const SHARE_KEY = "COALESCE(pair_id, meeting_key)";
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

  /** Adds every delivery that does not exist yet, in one D1 batch. Returns the ids in request order. */
  async enqueueAll(requests: readonly EnqueueRequest[]): Promise<string[]> {
    const entries = await Promise.all(
      requests.map(async (request) => ({
        id: await deliveryId(request.meetingKey, request.channelKey),
        request,
      })),
    );
    const statements = entries.map(({ id, request }) => this.insertStatement(id, request));
    if (statements.length > 0) await this.db.batch(statements);
    return entries.map(({ id }) => id);
  }

  /**
   * Enqueues a meeting's digest deliveries and marks the meeting's digests enqueued, in one batch (one
   * transaction) fenced by the meeting's claim token: nothing is written unless the meeting is created,
   * still owes its digests and was created under `fence.token`. Returns the ids this call enqueued, or
   * null when it enqueued nothing (another run did, or this run's claim was lost). With no requests it
   * only marks the meeting.
   */
  async enqueueMeetingDigests(
    requests: readonly EnqueueRequest[],
    fence: { meetingKey: string; token: string | null; nowMs: number },
  ): Promise<string[] | null> {
    // The mark carries this call's own stamp, so the inserts below can tell that it was this call's.
    const stamp = `${new Date(fence.nowMs).toISOString()} ${crypto.randomUUID()}`;
    const mark = this.db
      .prepare(
        `UPDATE meetings SET digests_enqueued_at = ?1
         WHERE key = ?2 AND status = 'created' AND digests_enqueued_at IS NULL AND claim_token IS ?3`,
      )
      .bind(stamp, fence.meetingKey, fence.token);
    const ids = await Promise.all(
      requests.map((request) => deliveryId(request.meetingKey, request.channelKey)),
    );
    const rows = requests.map((request, index) => ({
      id: ids[index],
      meetingKey: request.meetingKey,
      channelKey: request.channelKey,
      channel: request.channel,
      secretName: request.secretName,
      payload: request.payload,
      nextAttemptAt: request.nowMs,
      at: new Date(request.nowMs).toISOString(),
      pairId: request.pairId ?? null,
      expiresAt: request.expires?.atMs ?? null,
      expiryReason: request.expires?.reason ?? null,
    }));
    // Every channel's delivery in one statement, and only if the mark above was this call's. Only an
    // existing id is skipped (DO NOTHING, not OR IGNORE): a row D1 refuses fails the batch, mark included,
    // so the meeting never counts as enqueued with a delivery missing.
    const insert = this.db
      .prepare(
        `INSERT INTO deliveries (id, meeting_key, channel_key, channel, secret_name, payload, status,
           attempts, next_attempt_at, created_at, updated_at, pair_id, expires_at, expiry_reason)
         SELECT value ->> '$.id', value ->> '$.meetingKey', value ->> '$.channelKey', value ->> '$.channel',
           value ->> '$.secretName', value ->> '$.payload', 'pending', 0, value ->> '$.nextAttemptAt',
           value ->> '$.at', value ->> '$.at', value ->> '$.pairId', value ->> '$.expiresAt',
           value ->> '$.expiryReason'
         FROM json_each(?1)
         WHERE EXISTS (SELECT 1 FROM meetings WHERE key = ?2 AND digests_enqueued_at = ?3)
         ON CONFLICT (id) DO NOTHING`,
      )
      .bind(JSON.stringify(rows), fence.meetingKey, stamp);
    const [marked] = await this.db.batch(rows.length === 0 ? [mark] : [mark, insert]);
    return (marked?.meta.changes ?? 0) > 0 ? ids : null;
  }

  /** The insert of one delivery, unless a row of its id exists; a row D1 refuses is an error, not skipped. */
  private insertStatement(id: string, request: EnqueueRequest): D1PreparedStatement {
    const at = new Date(request.nowMs).toISOString();
    return this.db
      .prepare(
        `INSERT INTO deliveries (id, meeting_key, channel_key, channel, secret_name, payload, status,
           attempts, next_attempt_at, created_at, updated_at, pair_id, expires_at, expiry_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', 0, ?7, ?8, ?8, ?9, ?10, ?11)
         ON CONFLICT (id) DO NOTHING`,
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
        request.pairId ?? null,
        request.expires?.atMs ?? null,
        request.expires?.reason ?? null,
      );
  }

  /**
   * The ids of up to `limit` due rows, in the order a run should send them: pending rows whose next
   * attempt has come, and rows left `sending` by a run whose claim expired (it crashed, so the digest
   * may not have gone). Rows past their expiry are left out (`expireDue` marks them). Nothing is claimed:
   * a run claims each row just before it sends it (`claim`), so a claim's lease covers one send.
   *
   * Fair by pair: rows are ranked within their pair (oldest due first) and taken rank by rank, so one
   * pair with many channels cannot hold the budget while other pairs wait.
   */
  async dueIds(request: DueRequest): Promise<string[]> {
    const channels = request.channels ?? DIGEST_CHANNEL_NAMES;
    if (channels.length === 0) return [];
    // ?1..?2 are fixed; the channel list follows as ?3.. so the statement stays one prepared query.
    const channelParams = channels.map((_, index) => `?${index + 3}`).join(", ");
    const { results } = await this.db
      .prepare(
        `SELECT id FROM (
           SELECT id, next_attempt_at,
             ROW_NUMBER() OVER (PARTITION BY ${SHARE_KEY} ORDER BY next_attempt_at, id) AS turn
           FROM deliveries
           WHERE ${DUE} AND (?2 IS NULL OR pair_id = ?2) AND channel IN (${channelParams})
         )
         ORDER BY turn, next_attempt_at, id
         LIMIT ${Math.max(0, Math.floor(request.limit))}`,
      )
      .bind(request.nowMs, request.pairId ?? null, ...channels)
      .all<{ id: string }>();
    return results.map((row) => row.id);
  }

  /**
   * Takes one row for this run if it is still due (see `dueIds`), in one statement, and counts the
   * attempt. Returns null when it is not: delivered, claimed by a live run, expired, or not due yet.
   * Two runs at once never both get it, and the lease starts now, as the send does.
   */
  async claim(
    id: string,
    claim: { token: string; nowMs: number; leaseMs: number },
  ): Promise<DeliveryRecord | null> {
    const row = await this.db
      .prepare(
        `UPDATE deliveries SET status = 'sending', claim_token = ?2, claim_expires_at = ?3,
           attempts = attempts + 1, updated_at = ?4
         WHERE id = ?5 AND ${DUE}
         RETURNING *`,
      )
      .bind(claim.nowMs, claim.token, claim.nowMs + claim.leaseMs, new Date(claim.nowMs).toISOString(), id)
      .first<DeliveryRow>();
    return row === null ? null : deliveryFromRow(row);
  }

  /** Claims the due rows one by one (see `dueIds` and `claim`): what a run that crashes mid-batch leaves. */
  async claimDue(request: ClaimDueRequest): Promise<DeliveryRecord[]> {
    const claimed: DeliveryRecord[] = [];
    for (const id of await this.dueIds(request)) {
      const record = await this.claim(id, request);
      if (record !== null) claimed.push(record);
    }
    return claimed;
  }

  /**
   * Marks expired every row that is still owed but whose moment has passed (its meeting has begun),
   * keeping the last attempt's reason after why it expired. A row under a live claim is left to the run
   * that holds it. Returns the rows it expired.
   */
  async expireDue(request: ExpireDueRequest): Promise<DeliveryRecord[]> {
    const { results } = await this.db
      .prepare(
        `UPDATE deliveries SET status = 'expired',
           last_error = 'expired: not delivered before ' || COALESCE(expiry_reason, 'its expiry')
             || COALESCE('; last attempt: ' || last_error, ''),
           claim_token = NULL, claim_expires_at = NULL, updated_at = ?1
         WHERE expires_at IS NOT NULL AND expires_at <= ?2
           AND (status = 'pending' OR (status = 'sending' AND claim_expires_at <= ?2))
           AND (?3 IS NULL OR pair_id = ?3)
         RETURNING *`,
      )
      .bind(new Date(request.nowMs).toISOString(), request.nowMs, request.pairId ?? null)
      .all<DeliveryRow>();
    return results.map(deliveryFromRow);
  }

  /**
   * Gives up a claimed delivery whose next attempt would come only after its expiry, keeping the last
   * attempt's reason, if this run holds the claim. Returns the reason recorded, or null if the claim
   * was lost.
   */
  async markExpired(id: string, token: string, lastReason: string, nowMs: number): Promise<string | null> {
    const row = await this.db
      .prepare(
        `UPDATE deliveries SET status = 'expired',
           last_error = 'expired: the next attempt would come after ' || COALESCE(expiry_reason, 'its expiry')
             || '; last attempt: ' || ?1,
           claim_token = NULL, claim_expires_at = NULL, updated_at = ?2
         WHERE id = ?3 AND status = 'sending' AND claim_token = ?4
         RETURNING last_error`,
      )
      .bind(lastReason, new Date(nowMs).toISOString(), id, token)
      .first<{ last_error: string }>();
    return row?.last_error ?? null;
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
   * A row being sent under a live claim is left alone, so a reset never races a send; so is one past its
   * expiry (its meeting has begun), whatever its status. Returns whether the row was reset.
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
         WHERE id = ?3 AND (expires_at IS NULL OR expires_at > ?1) AND (status IN ('pending', 'failed')
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
