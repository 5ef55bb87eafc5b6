// D1 access for ticks: what each cron tick handed out, and how far the queue has got with it, read from
// the meetings and deliveries themselves so the progress is never a second record that can drift.

export interface TickProgress {
  id: string;
  scheduledAt: number;
  startedAt: string;
  /** Meetings owed an agenda at the tick's time. */
  due: number;
  /** Of those, the meetings the tick handed out to the queue. */
  dispatched: number;
  /** Handed-out meetings whose agenda exists. */
  created: number;
  /** Handed-out meetings that failed; a passing failure is still being retried by the queue. */
  failed: number;
  /** Digest deliveries of those meetings: sent, still owed (pending or being sent), and given up. */
  delivered: number;
  owed: number;
  undelivered: number;
}

interface TickRow {
  id: string;
  scheduled_at: number;
  started_at: string;
  due: number;
  dispatched: number;
  created: number;
  failed: number;
  delivered: number;
  owed: number;
  undelivered: number;
}

/** How long ticks are kept. */
const KEEP_MS = 30 * 86_400_000;

export class TickStore {
  constructor(private readonly db: D1Database) {}

  /** Records a tick's plan, and forgets ticks older than 30 days. */
  async record(tick: {
    id: string;
    scheduledAt: number;
    nowMs: number;
    due: number;
    keys: readonly string[];
  }) {
    await this.db.batch([
      this.db
        .prepare("INSERT INTO ticks (id, scheduled_at, started_at, due, meeting_keys) VALUES (?, ?, ?, ?, ?)")
        .bind(
          tick.id,
          tick.scheduledAt,
          new Date(tick.nowMs).toISOString(),
          tick.due,
          JSON.stringify(tick.keys),
        ),
      this.db
        .prepare("DELETE FROM ticks WHERE started_at < ?")
        .bind(new Date(tick.nowMs - KEEP_MS).toISOString()),
    ]);
  }

  /** The latest ticks, newest first, each with the progress of what it handed out. */
  async latest(limit: number): Promise<TickProgress[]> {
    const { results } = await this.db
      .prepare(
        `SELECT t.id, t.scheduled_at, t.started_at, t.due, json_array_length(t.meeting_keys) AS dispatched,
           (SELECT count(*) FROM meetings m WHERE m.key IN (SELECT value FROM json_each(t.meeting_keys))
              AND m.status = 'created') AS created,
           (SELECT count(*) FROM meetings m WHERE m.key IN (SELECT value FROM json_each(t.meeting_keys))
              AND m.status = 'failed') AS failed,
           (SELECT count(*) FROM deliveries d WHERE d.meeting_key IN (SELECT value FROM json_each(t.meeting_keys))
              AND d.status = 'delivered') AS delivered,
           (SELECT count(*) FROM deliveries d WHERE d.meeting_key IN (SELECT value FROM json_each(t.meeting_keys))
              AND d.status IN ('pending', 'sending')) AS owed,
           (SELECT count(*) FROM deliveries d WHERE d.meeting_key IN (SELECT value FROM json_each(t.meeting_keys))
              AND d.status IN ('failed', 'expired')) AS undelivered
         FROM ticks t ORDER BY t.started_at DESC, t.id LIMIT ?`,
      )
      .bind(limit)
      .all<TickRow>();
    return results.map((row) => ({
      id: row.id,
      scheduledAt: row.scheduled_at,
      startedAt: row.started_at,
      due: row.due,
      dispatched: row.dispatched,
      created: row.created,
      failed: row.failed,
      delivered: row.delivered,
      owed: row.owed,
      undelivered: row.undelivered,
    }));
  }
}
