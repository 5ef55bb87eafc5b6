// D1 access for change signals: the pages and data sources Notion's webhooks said changed, one row each,
// until a sync pass has re-read them. Recording is idempotent (an event id counts once however often it is
// delivered) and order-free (the newest event time wins whatever order events arrive in). A pass reads
// with `pending`, does its work, then `clear`s what it read: a row that got another event meanwhile has a
// newer revision and stays, so a change made during a pass is never lost.

export type SignalKind = "page" | "data_source";

/** One event as the webhook route hands it over: what changed, when (Notion's time), and the event's id. */
export interface SignalEvent {
  /** Notion's event id: redeliveries carry the same one. */
  eventId: string;
  kind: SignalKind;
  /** Notion's id of the page or data source; stored lower-case with dashes. */
  id: string;
  type: string;
  /** The event's timestamp, epoch ms. */
  at: number;
}

export interface ChangeSignal {
  kind: SignalKind;
  id: string;
  /** The newest event's time (epoch ms) and type. */
  lastEventAt: number;
  lastEventType: string;
  /** Distinct events since the row was made. */
  events: number;
  revision: number;
  /** When the Worker first and last recorded an event for it (epoch ms, its own clock). */
  firstReceivedAt: number;
  receivedAt: number;
}

export interface PendingSignals {
  signals: ChangeSignal[];
  /** Pass it to `clear`: rows that got an event after this read have a later revision and are kept. */
  upTo: number;
}

interface SignalRow {
  kind: SignalKind;
  id: string;
  last_event_at: number;
  last_event_type: string;
  events: number;
  revision: number;
  first_received_at: number;
  received_at: number;
}

/**
 * How long a signal and a seen event id are kept: longer than Notion's redeliveries and than any sync
 * window, so an old row only ever means a pass has not run for a week (the periodic pass catches up).
 */
export const SIGNAL_KEEP_MS = 7 * 86_400_000;

/** Signals one `pending` read returns unless asked for fewer; a pass reads again for the rest. */
const DEFAULT_PENDING_LIMIT = 500;

/** D1 binds at most 100 parameters per statement: ids are cleared in chunks below that. */
const CLEAR_CHUNK = 40;

/** A Notion id as stored: lower-case, dashed; 32 hex digits gain their dashes. */
export function normalizeNotionId(id: string): string {
  const lower = id.trim().toLowerCase();
  const hex = lower.replaceAll("-", "");
  if (!/^[0-9a-f]{32}$/.test(hex)) return lower;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function fromRow(row: SignalRow): ChangeSignal {
  return {
    kind: row.kind,
    id: row.id,
    lastEventAt: row.last_event_at,
    lastEventType: row.last_event_type,
    events: row.events,
    revision: row.revision,
    firstReceivedAt: row.first_received_at,
    receivedAt: row.received_at,
  };
}

export class ChangeSignalStore {
  constructor(private readonly db: D1Database) {}

  /**
   * Records events received at `nowMs` (the Worker's clock), in one transaction, and forgets rows and
   * event ids older than SIGNAL_KEEP_MS. An event id already seen changes nothing.
   */
  async record(events: readonly SignalEvent[], nowMs: number): Promise<void> {
    const statements = events.flatMap((event) => [
      this.db.prepare("UPDATE change_signal_revision SET revision = revision + 1 WHERE id = 1"),
      // The WHERE makes a redelivery a no-op; on conflict the newest time (and its type) wins, and the
      // revision moves so a pass that read the row before this event keeps it.
      this.db
        .prepare(
          `INSERT INTO change_signals
             (kind, id, last_event_at, last_event_type, events, revision, first_received_at, received_at)
           SELECT ?1, ?2, ?3, ?4, 1, r.revision, ?5, ?5 FROM change_signal_revision r
           WHERE r.id = 1 AND NOT EXISTS (SELECT 1 FROM notion_webhook_events e WHERE e.id = ?6)
           ON CONFLICT (kind, id) DO UPDATE SET
             events = change_signals.events + 1,
             revision = excluded.revision,
             received_at = excluded.received_at,
             last_event_type = CASE WHEN excluded.last_event_at > change_signals.last_event_at
               THEN excluded.last_event_type ELSE change_signals.last_event_type END,
             last_event_at = max(change_signals.last_event_at, excluded.last_event_at)`,
        )
        .bind(event.kind, normalizeNotionId(event.id), event.at, event.type, nowMs, event.eventId),
      this.db
        .prepare("INSERT OR IGNORE INTO notion_webhook_events (id, received_at) VALUES (?, ?)")
        .bind(event.eventId, nowMs),
    ]);
    const expired = nowMs - SIGNAL_KEEP_MS;
    await this.db.batch([
      ...statements,
      this.db.prepare("DELETE FROM change_signals WHERE received_at < ?").bind(expired),
      this.db.prepare("DELETE FROM notion_webhook_events WHERE received_at < ?").bind(expired),
    ]);
  }

  /**
   * Signals not cleared yet, oldest event first; `since` keeps only those whose newest event is at or
   * after it (epoch ms). Reading changes nothing: a pass that dies before `clear` leaves them for the next.
   */
  async pending(options: { since?: number; limit?: number } = {}): Promise<PendingSignals> {
    const { results } = await this.db
      .prepare(
        `SELECT * FROM change_signals WHERE last_event_at >= ?
         ORDER BY last_event_at, kind, id LIMIT ?`,
      )
      .bind(options.since ?? 0, options.limit ?? DEFAULT_PENDING_LIMIT)
      .all<SignalRow>();
    const signals = results.map(fromRow);
    return { signals, upTo: Math.max(0, ...signals.map((signal) => signal.revision)) };
  }

  /**
   * Removes the named signals a pass has handled, unless an event arrived for one after the read that
   * returned `upTo`: that one stays pending. Answers how many were removed.
   */
  async clear(ids: ReadonlyArray<{ kind: SignalKind; id: string }>, upTo: number): Promise<number> {
    const statements: D1PreparedStatement[] = [];
    for (let start = 0; start < ids.length; start += CLEAR_CHUNK) {
      const chunk = ids.slice(start, start + CLEAR_CHUNK);
      const keys = chunk.map((_, index) => `(?${index * 2 + 2}, ?${index * 2 + 3})`).join(", ");
      statements.push(
        this.db
          .prepare(`DELETE FROM change_signals WHERE revision <= ?1 AND (kind, id) IN (VALUES ${keys})`)
          .bind(upTo, ...chunk.flatMap((key) => [key.kind, normalizeNotionId(key.id)])),
      );
    }
    if (statements.length === 0) return 0;
    const results = await this.db.batch(statements);
    return results.reduce((sum, result) => sum + result.meta.changes, 0);
  }

  /** How many signals wait, and the newest event time among them (epoch ms), for the admin API. */
  async summary(): Promise<{ pending: number; newestEventAt: number | null }> {
    const row = await this.db
      .prepare("SELECT count(*) AS pending, max(last_event_at) AS newest FROM change_signals")
      .first<{ pending: number; newest: number | null }>();
    return { pending: row?.pending ?? 0, newestEventAt: row?.newest ?? null };
  }
}
