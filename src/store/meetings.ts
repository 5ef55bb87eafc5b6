// D1 access for meetings. The meeting row is also the claim: one statement either takes the meeting
// for this run or tells it someone else holds it or already finished it, so overlapping runs never
// both create an agenda. The claim's token is a fencing token: every later write for the meeting (the
// ledger, the record of its agenda, the mark that its digests are enqueued) is one statement or one
// batch that checks it, so a run that lost its claim can no longer change the meeting. Leases are on
// the real clock, never a tick's scheduled time. Live sync has a lease of its own on a created meeting
// (sync_token, sync_expires_at), fencing the writes of one sync pass to the ledger the same way.
import * as z from "zod";
import { CARRY_ROLES } from "../domain/agenda";
import type { CarriedItem } from "../domain/carry";
import type { SyncLedgerItem } from "../domain/sync";
import { fingerprintOf } from "../domain/sync";
import { describeIssues } from "../lib/issues";

type MeetingStatus = "claimed" | "created" | "failed";

export interface MeetingRecord {
  key: string;
  pairId: string;
  date: string;
  startsAt: string;
  status: MeetingStatus;
  attempts: number;
  agendaId: string | null;
  agendaUrl: string | null;
  carriedCount: number;
  /** Done items found under the carried headings of the previous agenda. */
  closedCount: number;
  /** Of those, the ones closed in the meeting interval they first appeared in (no carry mark). */
  closedWithinWeekCount: number;
  /** When the meeting's digests were enqueued; null while it still owes them. */
  digestsEnqueuedAt: string | null;
  /**
   * The token of the claim that holds the meeting or created its agenda: the fence of its later writes.
   * Null for a failed meeting, and for agendas recorded before claims were kept.
   */
  claimToken: string | null;
  error: string | null;
  updatedAt: string;
  /** Where the carried items came from; null when there was no previous agenda (or it was not kept yet). */
  carriedFrom?: CarriedFrom | null;
  /** When a live-sync pass last finished over the agenda; null when none has. */
  syncedAt?: string | null;
}

/** The previous agenda a meeting's items were carried from, as the meetings view shows it. */
interface CarriedFrom {
  /** Its heading or name as people see it; null when the destination did not read one. */
  title: string | null;
  url: string;
  date: string;
  /** "worker": an agenda the Worker made; "people": notes people kept by hand, taken over. */
  madeBy: "worker" | "people";
}

export interface MeetingSummary {
  claimed: number;
  created: number;
  failed: number;
  /** Created meetings whose agenda carried no item. */
  createdCarryingNothing: number;
}

/**
 * One row of a meeting's ledger (the digests, the roll-up and the meetings view read it): the item as
 * the ledger knows it, where it sits, and the agenda it was carried from. Its ids and fingerprints are
 * live sync's own (`syncLedger`).
 */
export type LedgerEntry = Omit<
  SyncLedgerItem,
  "itemId" | "sourceId" | "targetId" | "sourceFingerprint" | "copyFingerprint"
> & { meetingKey: string; position: number; sourceAgendaId: string };

interface MeetingRow {
  key: string;
  pair_id: string;
  date: string;
  starts_at: string;
  status: MeetingStatus;
  attempts: number;
  agenda_id: string | null;
  agenda_url: string | null;
  carried_count: number;
  closed_count: number;
  closed_within_week_count: number;
  digests_enqueued_at: string | null;
  claim_token: string | null;
  error: string | null;
  updated_at: string;
  previous_agenda_title?: string | null;
  previous_agenda_url?: string | null;
  previous_agenda_date?: string | null;
  previous_agenda_taken_over?: number | null;
  synced_at?: string | null;
}

/**
 * A carried_items row as D1 holds it (migrations 0001, 0006, 0009), checked as it is read: a role this
 * code does not know is an error that names the column, never a string that flows on into a digest or a
 * sync pass.
 */
const carriedItemRowSchema = z.object({
  meeting_key: z.string(),
  role: z.enum(CARRY_ROLES),
  position: z.number(),
  text: z.string(),
  origin_date: z.string(),
  times_carried: z.number(),
  owner_user_id: z.string().nullable(),
  owner_name: z.string().nullable(),
  due_date: z.string().nullable(),
  overdue: z.number(),
  source_agenda_id: z.string(),
  // What live sync knows of the item (migration 0009).
  item_id: z.string().nullable(),
  source_block_id: z.string().nullable(),
  target_block_id: z.string().nullable(),
  source_fingerprint: z.string().nullable(),
  copy_fingerprint: z.string().nullable(),
  closed_at: z.string().nullable(),
  kept_by_person: z.number(),
  added_at: z.string().nullable(),
});
type CarriedItemRow = z.infer<typeof carriedItemRowSchema>;

/** A meeting's carried_items rows, each checked (see `carriedItemRowSchema`). */
function carriedItemRows(key: string, rows: readonly unknown[]): CarriedItemRow[] {
  return rows.map((row, index) => {
    const parsed = carriedItemRowSchema.safeParse(row);
    if (parsed.success) return parsed.data;
    const problems = describeIssues(parsed.error, "carried_items").join("; ");
    throw new Error(
      `The ledger of meeting ${key} has a row this version cannot read (row ${index + 1}): ${problems}`,
    );
  });
}

/** Asks for a created meeting's sync lease: see `MeetingStore.claimSync`. */
export interface SyncLeaseRequest {
  key: string;
  /** Unique per pass: the fence of its ledger writes. */
  token: string;
  /** The real clock's now, epoch ms. */
  nowMs: number;
  leaseMs: number;
}

/** The ledger as a sync pass reads it. */
export interface SyncLedger {
  /** Items a pass can follow: it knows their source block and fingerprints. */
  items: SyncLedgerItem[];
  /**
   * Items it cannot follow (carried before their source blocks were recorded). A meeting with any is not
   * synced at all: the planner would take their sources for new items and add them a second time.
   */
  unfollowed: number;
  /** The previous agenda the items were carried from; null when nothing was carried (nothing to follow). */
  sourceAgendaId: string | null;
}

function syncItemFromRow(row: CarriedItemRow): SyncLedgerItem | null {
  if (
    row.item_id === null ||
    row.source_block_id === null ||
    row.source_fingerprint === null ||
    row.copy_fingerprint === null
  ) {
    return null;
  }
  return {
    itemId: row.item_id,
    role: row.role,
    sourceId: row.source_block_id,
    targetId: row.target_block_id,
    sourceFingerprint: row.source_fingerprint,
    copyFingerprint: row.copy_fingerprint,
    closedAt: row.closed_at,
    keptByPerson: row.kept_by_person === 1,
    addedAt: row.added_at,
    originDate: row.origin_date,
    timesCarried: row.times_carried,
    text: row.text,
    ownerUserId: row.owner_user_id,
    ownerName: row.owner_name,
    dueDate: row.due_date,
    overdue: row.overdue === 1,
  };
}

function meetingFromRow(row: MeetingRow): MeetingRecord {
  return {
    key: row.key,
    pairId: row.pair_id,
    date: row.date,
    startsAt: row.starts_at,
    status: row.status,
    attempts: row.attempts,
    agendaId: row.agenda_id,
    agendaUrl: row.agenda_url,
    carriedCount: row.carried_count,
    closedCount: row.closed_count,
    closedWithinWeekCount: row.closed_within_week_count,
    digestsEnqueuedAt: row.digests_enqueued_at,
    claimToken: row.claim_token,
    error: row.error,
    updatedAt: row.updated_at,
    carriedFrom:
      row.previous_agenda_url && row.previous_agenda_date
        ? {
            title: row.previous_agenda_title ?? null,
            url: row.previous_agenda_url,
            date: row.previous_agenda_date,
            madeBy: row.previous_agenda_taken_over === 1 ? "people" : "worker",
          }
        : null,
    syncedAt: row.synced_at ?? null,
  };
}

function ledgerFromRow(row: CarriedItemRow): LedgerEntry {
  return {
    meetingKey: row.meeting_key,
    role: row.role,
    position: row.position,
    text: row.text,
    originDate: row.origin_date,
    timesCarried: row.times_carried,
    ownerUserId: row.owner_user_id,
    ownerName: row.owner_name,
    dueDate: row.due_date,
    overdue: row.overdue === 1,
    sourceAgendaId: row.source_agenda_id,
    closedAt: row.closed_at,
    addedAt: row.added_at,
    keptByPerson: row.kept_by_person === 1,
  };
}

export interface ClaimRequest {
  key: string;
  pairId: string;
  date: string;
  startsAt: string;
  /** Unique per run, so a run only ever finishes its own claim. */
  token: string;
  /** The real clock's now: a lease is real elapsed time, whatever moment the run prepares for. */
  nowMs: number;
  leaseMs: number;
}

/** What planning needs to know of a meeting to leave it alone: see `MeetingStore.planStates`. */
export interface PlanState {
  status: MeetingStatus;
  /** Epoch ms until which a run holds the claim; null when nobody does. */
  claimExpiresAt: number | null;
  /** Epoch ms from which a failed meeting may be tried again. */
  retryAfter: number | null;
  digestsEnqueued: boolean;
}

/** The fence of one run's writes: the meeting and the claim's token. */
export interface Fence {
  key: string;
  token: string;
}

/** What a prepare run writes to the ledger: see `MeetingStore.saveLedger`. */
interface LedgerWrite {
  carried: readonly CarriedItem[];
  sourceAgendaId: string | null;
  /** The previous agenda as found, for the meetings view (where the items came from). */
  source?: {
    url: string;
    date: string;
    title?: string | undefined;
    takenOver?: boolean | undefined;
  } | null;
  closedCount: number;
  closedWithinWeekCount: number;
  nowMs: number;
  leaseMs: number;
}

/** What a sync pass writes to the ledger: see `MeetingStore.saveSync`. */
interface SyncWrite {
  ledger: readonly SyncLedgerItem[];
  sourceAgendaId: string;
  nowMs: number;
  leaseMs: number;
  /** False when every item is already in the ledger: the insert and the recount are left out. */
  newItems: boolean;
  /** False when no item changed: only the lease (or the finish) is written. */
  changed: boolean;
  /** Ends the pass in the same batch (see `finishSync`) instead of renewing the lease. */
  finish?: { at: string; readFromMs: number };
}

/** A ledger write's fence, as ?1 (the meeting key) and ?2 (the prepare claim's token). */
const HOLDS_CLAIM = `EXISTS (SELECT 1 FROM meetings WHERE key = ?1 AND status = 'claimed' AND claim_token = ?2)`;
/** A sync pass's fence, as ?1 (the meeting key) and ?2 (the sync lease's token). */
const HOLDS_SYNC = `EXISTS (SELECT 1 FROM meetings WHERE key = ?1 AND status = 'created' AND sync_token = ?2)`;

/** The items a prepare run carries, as the JSON its ledger insert reads with json_each. */
function carriedItemsJson(carried: readonly CarriedItem[]): string {
  return JSON.stringify(
    carried.map((item) => ({
      role: item.role,
      text: item.text,
      originDate: item.originDate,
      timesCarried: item.timesCarried,
      ownerUserId: item.ownerUserId,
      ownerName: item.ownerName,
      dueDate: item.dueDate,
      overdue: item.overdue ? 1 : 0,
      // The source and the copy say the same when the agenda is made: the item without marks.
      fingerprint: fingerprintOf(item.block.text),
      // Where the item is in the previous agenda, when its destination reads block ids.
      sourceBlockId: item.block.id ?? null,
    })),
  );
}

/** A sync pass's ledger, as the JSON its update and insert read with json_each. */
function syncItemsJson(ledger: readonly SyncLedgerItem[]): string {
  return JSON.stringify(
    ledger.map((item) => ({
      itemId: item.itemId,
      role: item.role,
      sourceId: item.sourceId,
      targetId: item.targetId,
      sourceFingerprint: item.sourceFingerprint,
      copyFingerprint: item.copyFingerprint,
      closedAt: item.closedAt,
      keptByPerson: item.keptByPerson ? 1 : 0,
      addedAt: item.addedAt,
      originDate: item.originDate,
      timesCarried: item.timesCarried,
      text: item.text,
      ownerUserId: item.ownerUserId,
      ownerName: item.ownerName,
      dueDate: item.dueDate,
      overdue: item.overdue ? 1 : 0,
    })),
  );
}

export class MeetingStore {
  constructor(private readonly db: D1Database) {}

  /**
   * Takes the meeting for this run when it is new, failed before, or held by a claim that expired.
   * Returns false when another run holds it or its agenda was already created.
   */
  async claim(request: ClaimRequest): Promise<boolean> {
    const at = new Date(request.nowMs).toISOString();
    const result = await this.db
      .prepare(
        `INSERT INTO meetings (key, pair_id, date, starts_at, status, claim_token, claim_expires_at, attempts, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'claimed', ?5, ?6, 1, ?7)
         ON CONFLICT (key) DO UPDATE SET
           status = 'claimed', claim_token = ?5, claim_expires_at = ?6, attempts = meetings.attempts + 1,
           error = NULL, updated_at = ?7
         WHERE (meetings.status = 'failed' AND coalesce(meetings.retry_after, 0) <= ?8)
            OR (meetings.status = 'claimed' AND meetings.claim_expires_at <= ?8)`,
      )
      .bind(
        request.key,
        request.pairId,
        request.date,
        request.startsAt,
        request.token,
        request.nowMs + request.leaseMs,
        at,
        request.nowMs,
      )
      .run();
    return result.meta.changes > 0;
  }

  /**
   * Writes the ledger of what this run is about to carry, before the agenda is created, so a crash
   * between "created" and "recorded" leaves the ledger in place for the run that finds the agenda. Also
   * renews the claim's lease from `nowMs`, so the create that follows has a whole lease to finish in.
   * One batch (one transaction), every statement fenced by the claim: returns false, writing nothing,
   * when this run no longer holds it.
   */
  async saveLedger(fence: Fence, ledger: LedgerWrite): Promise<boolean> {
    const results = await this.db.batch([
      this.ledgerMeetingStatement(fence, ledger),
      this.db
        .prepare(`DELETE FROM carried_items WHERE meeting_key = ?1 AND ${HOLDS_CLAIM}`)
        .bind(fence.key, fence.token),
      ...(ledger.carried.length === 0 ? [] : [this.ledgerInsertStatement(fence, ledger)]),
    ]);
    return (results[0]?.meta.changes ?? 0) > 0;
  }

  /** The meeting's side of a ledger write: the counts, where the items came from, and the renewed lease. */
  private ledgerMeetingStatement(fence: Fence, ledger: LedgerWrite): D1PreparedStatement {
    const source = ledger.source ?? null;
    return this.db
      .prepare(
        `UPDATE meetings SET closed_count = ?3, claim_expires_at = ?4, previous_agenda_title = ?5,
           previous_agenda_url = ?6, previous_agenda_date = ?7, previous_agenda_taken_over = ?8,
           closed_within_week_count = ?9, previous_agenda_id = ?10
         WHERE key = ?1 AND status = 'claimed' AND claim_token = ?2`,
      )
      .bind(
        fence.key,
        fence.token,
        ledger.closedCount,
        ledger.nowMs + ledger.leaseMs,
        source?.title ?? null,
        source?.url ?? null,
        source?.date ?? null,
        source === null ? null : source.takenOver === true ? 1 : 0,
        ledger.closedWithinWeekCount,
        ledger.sourceAgendaId,
      );
  }

  /**
   * Every carried item in one statement, whatever their number: a query per item would make a long list
   * cost a long run of queries against the invocation's budget.
   */
  private ledgerInsertStatement(fence: Fence, ledger: LedgerWrite): D1PreparedStatement {
    return this.db
      .prepare(
        `INSERT INTO carried_items (meeting_key, role, position, text, origin_date, times_carried,
           owner_user_id, owner_name, due_date, overdue, source_agenda_id, item_id, source_fingerprint,
           copy_fingerprint, source_block_id)
         SELECT ?1, value ->> '$.role', CAST(key AS INTEGER), value ->> '$.text', value ->> '$.originDate',
           value ->> '$.timesCarried', value ->> '$.ownerUserId', value ->> '$.ownerName',
           value ->> '$.dueDate', value ->> '$.overdue', ?3,
           'carried:' || (value ->> '$.role') || ':' || key, value ->> '$.fingerprint', value ->> '$.fingerprint',
           value ->> '$.sourceBlockId'
         FROM json_each(?4) WHERE ${HOLDS_CLAIM}`,
      )
      .bind(fence.key, fence.token, ledger.sourceAgendaId ?? "", carriedItemsJson(ledger.carried));
  }

  /**
   * Records the meeting's agenda, if this run still holds the claim, and answers the meeting as recorded
   * (null when the claim was lost). The token stays on the row as the fence of the meeting's digest
   * enqueue; the lease ends.
   */
  async complete(
    key: string,
    token: string,
    agenda: { id: string; url: string },
    at: string,
  ): Promise<MeetingRecord | null> {
    const row = await this.db
      .prepare(
        `UPDATE meetings SET status = 'created', agenda_id = ?, agenda_url = ?, error = NULL,
           carried_count = (SELECT count(*) FROM carried_items WHERE meeting_key = meetings.key),
           claim_expires_at = NULL, updated_at = ?
         WHERE key = ? AND status = 'claimed' AND claim_token = ?
         RETURNING *`,
      )
      .bind(agenda.id, agenda.url, at, key, token)
      .first<MeetingRow>();
    return row === null ? null : meetingFromRow(row);
  }

  /**
   * Records why this run could not prepare the meeting. It is tried again, while still due, from
   * `retryAfterMs` on.
   */
  async fail(key: string, token: string, reason: string, retryAfterMs: number, at: string): Promise<void> {
    await this.db
      .prepare(
        `UPDATE meetings SET status = 'failed', error = ?, retry_after = ?, claim_token = NULL, claim_expires_at = NULL,
           updated_at = ? WHERE key = ? AND status = 'claimed' AND claim_token = ?`,
      )
      .bind(reason, retryAfterMs, at, key, token)
      .run();
  }

  /**
   * What D1 knows before a meeting is prepared, in one query: the agenda recorded for the pair's latest
   * earlier meeting, and whether an attempt before this one may have written something (it was claimed
   * before: crashed, failed, or lost its answer), in which case the destination must look, not trust.
   */
  async knownBefore(
    key: string,
    pairId: string,
    date: string,
  ): Promise<{ previous: { id: string; url: string; date: string } | null; earlierAttempt: boolean }> {
    const row = await this.db
      .prepare(
        `SELECT (SELECT attempts FROM meetings WHERE key = ?1) AS attempts, p.agenda_id, p.agenda_url, p.date
         FROM (SELECT 1) LEFT JOIN (
           SELECT agenda_id, agenda_url, date FROM meetings
           WHERE pair_id = ?2 AND status = 'created' AND date < ?3 AND agenda_id IS NOT NULL AND agenda_url IS NOT NULL
           ORDER BY date DESC LIMIT 1
         ) p`,
      )
      .bind(key, pairId, date)
      .first<{
        attempts: number | null;
        agenda_id: string | null;
        agenda_url: string | null;
        date: string | null;
      }>();
    const previous =
      row?.agenda_id && row.agenda_url && row.date
        ? { id: row.agenda_id, url: row.agenda_url, date: row.date }
        : null;
    return { previous, earlierAttempt: (row?.attempts ?? 0) > 1 };
  }

  /** Lets a failed meeting be claimed at once (an operator's replay), whatever its retry time said. */
  async allowRetryNow(key: string): Promise<void> {
    await this.db
      .prepare("UPDATE meetings SET retry_after = NULL WHERE key = ? AND status = 'failed'")
      .bind(key)
      .run();
  }

  async get(key: string): Promise<MeetingRecord | null> {
    const row = await this.db.prepare("SELECT * FROM meetings WHERE key = ?").bind(key).first<MeetingRow>();
    return row ? meetingFromRow(row) : null;
  }

  async listForPair(pairId: string): Promise<MeetingRecord[]> {
    const { results } = await this.db
      .prepare("SELECT * FROM meetings WHERE pair_id = ? ORDER BY date DESC")
      .bind(pairId)
      .all<MeetingRow>();
    return results.map(meetingFromRow);
  }

  /**
   * How many meetings dated `from`..`to` (local dates, both included) are in each status, and how many
   * created ones carried nothing: one query, for an operator (or the bench) watching a busy morning.
   */
  async summary(from: string, to: string): Promise<MeetingSummary> {
    const { results } = await this.db
      .prepare(
        `SELECT status, COUNT(*) AS meetings, SUM(CASE WHEN carried_count = 0 THEN 1 ELSE 0 END) AS carried_none
         FROM meetings WHERE date BETWEEN ? AND ? GROUP BY status`,
      )
      .bind(from, to)
      .all<{ status: MeetingStatus; meetings: number; carried_none: number }>();
    const summary: MeetingSummary = { claimed: 0, created: 0, failed: 0, createdCarryingNothing: 0 };
    for (const row of results) {
      summary[row.status] = row.meetings;
      if (row.status === "created") summary.createdCarryingNothing = row.carried_none;
    }
    return summary;
  }

  /** Created meetings whose digests are not enqueued yet (of one pair, if given), oldest first. */
  async owingDigests(limit: number, pairId?: string): Promise<MeetingRecord[]> {
    const { results } = await this.db
      .prepare(
        `SELECT * FROM meetings WHERE status = 'created' AND digests_enqueued_at IS NULL
           AND (?2 IS NULL OR pair_id = ?2)
         ORDER BY starts_at, key LIMIT ?1`,
      )
      .bind(Math.max(0, Math.floor(limit)), pairId ?? null)
      .all<MeetingRow>();
    return results.map(meetingFromRow);
  }

  /**
   * Where each of these meetings stands, by key, in one query; a key with no row is absent. Planning
   * uses it to leave alone what is done, held by a live claim, or failed and not due for a retry.
   */
  async planStates(keys: readonly string[]): Promise<Map<string, PlanState>> {
    const states = new Map<string, PlanState>();
    if (keys.length === 0) return states;
    const { results } = await this.db
      .prepare(
        `SELECT key, status, claim_expires_at, retry_after, digests_enqueued_at FROM meetings
         WHERE key IN (SELECT value FROM json_each(?1))`,
      )
      .bind(JSON.stringify(keys))
      .all<{
        key: string;
        status: MeetingStatus;
        claim_expires_at: number | null;
        retry_after: number | null;
        digests_enqueued_at: string | null;
      }>();
    for (const row of results) {
      states.set(row.key, {
        status: row.status,
        claimExpiresAt: row.claim_expires_at,
        retryAfter: row.retry_after,
        digestsEnqueued: row.digests_enqueued_at !== null,
      });
    }
    return states;
  }

  /** The latest meeting of each pair whose agenda exists, keyed by pair id. */
  async latestCreated(pairIds: readonly string[]): Promise<Map<string, MeetingRecord>> {
    const latest = new Map<string, MeetingRecord>();
    if (pairIds.length === 0) return latest;
    const { results } = await this.db
      .prepare(
        `SELECT m.* FROM meetings m
         WHERE m.status = 'created' AND m.pair_id IN (SELECT value FROM json_each(?1))
           AND m.date = (SELECT max(date) FROM meetings WHERE pair_id = m.pair_id AND status = 'created')`,
      )
      .bind(JSON.stringify(pairIds))
      .all<MeetingRow>();
    for (const row of results) latest.set(row.pair_id, meetingFromRow(row));
    return latest;
  }

  /** The latest meeting of each pair whatever its status (what the console shows as the pair's state). */
  async latestOfPairs(pairIds: readonly string[]): Promise<Map<string, MeetingRecord>> {
    const latest = new Map<string, MeetingRecord>();
    if (pairIds.length === 0) return latest;
    const { results } = await this.db
      .prepare(
        `SELECT m.* FROM meetings m
         WHERE m.pair_id IN (SELECT value FROM json_each(?1))
           AND m.date = (SELECT max(date) FROM meetings WHERE pair_id = m.pair_id)`,
      )
      .bind(JSON.stringify(pairIds))
      .all<MeetingRow>();
    for (const row of results) latest.set(row.pair_id, meetingFromRow(row));
    return latest;
  }

  /** Failed meetings across pairs, the latest first: what the console lists as failures. */
  async listFailed(limit: number): Promise<MeetingRecord[]> {
    const { results } = await this.db
      .prepare("SELECT * FROM meetings WHERE status = 'failed' ORDER BY updated_at DESC, key LIMIT ?")
      .bind(Math.max(0, Math.floor(limit)))
      .all<MeetingRow>();
    return results.map(meetingFromRow);
  }

  /**
   * Takes a created meeting's sync lease for one pass: returns false when its agenda is not recorded, or
   * another pass holds a lease that has not expired. Only the prepare claim's writes check claim_token,
   * and only this lease's check sync_token, so a sync pass never blocks or fences out a digest.
   */
  async claimSync(request: SyncLeaseRequest): Promise<boolean> {
    const result = await this.db
      .prepare(
        `UPDATE meetings SET sync_token = ?2, sync_expires_at = ?3
         WHERE key = ?1 AND status = 'created' AND agenda_id IS NOT NULL
           AND (sync_expires_at IS NULL OR sync_expires_at <= ?4)`,
      )
      .bind(request.key, request.token, request.nowMs + request.leaseMs, request.nowMs)
      .run();
    return result.meta.changes > 0;
  }

  /** The meeting's ledger as a sync pass plans from it, in the order the items were carried. */
  async syncLedger(key: string): Promise<SyncLedger> {
    const [ledger, meeting] = await this.db.batch<unknown>([
      this.db.prepare("SELECT * FROM carried_items WHERE meeting_key = ? ORDER BY role, position").bind(key),
      this.db.prepare("SELECT previous_agenda_id FROM meetings WHERE key = ?").bind(key),
    ]);
    const results = carriedItemRows(key, ledger?.results ?? []);
    const items: SyncLedgerItem[] = [];
    for (const row of results) {
      const item = syncItemFromRow(row);
      if (item !== null) items.push(item);
    }
    // The meeting names its previous agenda even when nothing was carried from it; meetings made before it
    // did have only their rows, which all name the same agenda (an empty id is a first agenda's: no source).
    const recorded = (meeting?.results[0] as { previous_agenda_id: string | null } | undefined)
      ?.previous_agenda_id;
    const sourceAgendaId =
      recorded ?? results.find((row) => row.source_agenda_id !== "")?.source_agenda_id ?? null;
    return { items, unfollowed: results.length - items.length, sourceAgendaId };
  }

  /**
   * Writes the ledger a sync pass planned (before it applies its actions, so an add that crashed is
   * known to the next pass; and again after, with the new copies' block ids). Items already in the ledger
   * are updated by item id; new ones go after the last of their role. Renews the lease from `nowMs` and
   * recounts the meeting's carried items. One batch, every statement fenced by the lease's token: returns
   * false, writing nothing, when this pass no longer holds it.
   */
  async saveSync(fence: Fence, sync: SyncWrite): Promise<boolean> {
    const items = syncItemsJson(sync.ledger);
    const lease =
      sync.finish === undefined
        ? this.db
            .prepare(
              `UPDATE meetings SET sync_expires_at = ?3 WHERE key = ?1 AND status = 'created' AND sync_token = ?2`,
            )
            .bind(fence.key, fence.token, sync.nowMs + sync.leaseMs)
        : this.finishStatement(fence, sync.finish.at, sync.finish.readFromMs);
    const statements = [lease];
    if (sync.changed) statements.push(this.syncUpdateStatement(fence, items));
    if (sync.newItems) statements.push(...this.syncInsertStatements(fence, items, sync.sourceAgendaId));
    const results = await this.db.batch(statements);
    return (results[0]?.meta.changes ?? 0) > 0;
  }

  /** Rewrites the ledger's items (`items`: `syncItemsJson`) that are already in it, by item id. */
  private syncUpdateStatement(fence: Fence, items: string): D1PreparedStatement {
    return this.db
      .prepare(
        `UPDATE carried_items SET source_block_id = j.v ->> '$.sourceId', target_block_id = j.v ->> '$.targetId',
           source_fingerprint = j.v ->> '$.sourceFingerprint', copy_fingerprint = j.v ->> '$.copyFingerprint',
           closed_at = j.v ->> '$.closedAt', kept_by_person = j.v ->> '$.keptByPerson',
           added_at = j.v ->> '$.addedAt', text = j.v ->> '$.text', owner_user_id = j.v ->> '$.ownerUserId',
           owner_name = j.v ->> '$.ownerName', due_date = j.v ->> '$.dueDate', overdue = j.v ->> '$.overdue'
         FROM (SELECT value AS v FROM json_each(?3)) AS j
         WHERE carried_items.meeting_key = ?1 AND carried_items.item_id = j.v ->> '$.itemId' AND ${HOLDS_SYNC}`,
      )
      .bind(fence.key, fence.token, items);
  }

  /** Adds the items not in the ledger yet, each after the last of its role, and recounts the meeting's. */
  private syncInsertStatements(fence: Fence, items: string, sourceAgendaId: string): D1PreparedStatement[] {
    return [
      this.db
        .prepare(
          `INSERT INTO carried_items (meeting_key, role, position, text, origin_date, times_carried, owner_user_id,
             owner_name, due_date, overdue, source_agenda_id, item_id, source_block_id, target_block_id,
             source_fingerprint, copy_fingerprint, closed_at, kept_by_person, added_at)
           SELECT ?1, j.role,
             (SELECT coalesce(max(c.position), -1) FROM carried_items c WHERE c.meeting_key = ?1 AND c.role = j.role)
               + row_number() OVER (PARTITION BY j.role ORDER BY j.k),
             j.v ->> '$.text', j.v ->> '$.originDate', j.v ->> '$.timesCarried', j.v ->> '$.ownerUserId',
             j.v ->> '$.ownerName', j.v ->> '$.dueDate', j.v ->> '$.overdue', ?4, j.v ->> '$.itemId',
             j.v ->> '$.sourceId', j.v ->> '$.targetId', j.v ->> '$.sourceFingerprint',
             j.v ->> '$.copyFingerprint', j.v ->> '$.closedAt', j.v ->> '$.keptByPerson', j.v ->> '$.addedAt'
           FROM (SELECT CAST(key AS INTEGER) AS k, value ->> '$.role' AS role, value AS v FROM json_each(?3)) AS j
           WHERE NOT EXISTS (
               SELECT 1 FROM carried_items c WHERE c.meeting_key = ?1 AND c.item_id = j.v ->> '$.itemId'
             ) AND ${HOLDS_SYNC}`,
        )
        .bind(fence.key, fence.token, items, sourceAgendaId),
      this.db
        .prepare(
          `UPDATE meetings SET carried_count = (SELECT count(*) FROM carried_items WHERE meeting_key = ?1)
           WHERE key = ?1 AND status = 'created' AND sync_token = ?2`,
        )
        .bind(fence.key, fence.token),
    ];
  }

  /**
   * Ends a sync pass: records when it finished and when it started reading (`readFromMs`: changes a look
   * saw before then were read by this pass, so they are no longer owed), and lets the next pass take the
   * lease at once. A pass that read nothing (it skipped the meeting) passes no `readFromMs`.
   */
  async finishSync(fence: Fence, at: string, readFromMs?: number): Promise<boolean> {
    const result = await this.finishStatement(fence, at, readFromMs).run();
    return result.meta.changes > 0;
  }

  private finishStatement(fence: Fence, at: string, readFromMs: number | undefined): D1PreparedStatement {
    // The token stays: the statements after it in a batch are fenced by it too.
    return this.db
      .prepare(
        `UPDATE meetings SET synced_at = ?3, sync_expires_at = NULL,
           sync_read_at = CASE WHEN ?4 IS NULL THEN sync_read_at ELSE max(coalesce(sync_read_at, 0), ?4) END
         WHERE key = ?1 AND status = 'created' AND sync_token = ?2`,
      )
      .bind(fence.key, fence.token, at, readFromMs ?? null);
  }

  async ledger(key: string): Promise<LedgerEntry[]> {
    const { results } = await this.db
      .prepare("SELECT * FROM carried_items WHERE meeting_key = ? ORDER BY role, position")
      .bind(key)
      .all();
    return carriedItemRows(key, results).map(ledgerFromRow);
  }
}
