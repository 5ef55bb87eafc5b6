// D1 access for live sync's per-tick look: which meetings are in their sync window, which are owed a pass
// (a look said their previous agenda may have changed after their last pass started reading), and where
// each watched place was last looked at. A meeting stays owed until a pass that started after the look
// finishes, so a pass that fails is sent again by the next tick, and a change is never dropped.

/** A meeting whose agenda is made and whose meeting has not started: a sync pass may still change it. */
export interface SyncWindowMeeting {
  key: string;
  pairId: string;
  date: string;
  /** The previous agenda the meeting carries from. */
  previousAgendaId: string;
  /** The latest look that said the previous agenda may have changed (epoch ms); null when none has. */
  wantedAt: number | null;
  /** When the last finished pass started reading (epoch ms); null before the first. */
  readAt: number | null;
}

interface WindowRow {
  key: string;
  pair_id: string;
  date: string;
  previous_agenda_id: string;
  sync_wanted_at: number | null;
  sync_read_at: number | null;
}

/** Meetings one window read returns at most; the rest wait for the next tick (the oldest meetings first). */
const WINDOW_LIMIT = 5_000;

function fromRow(row: WindowRow): SyncWindowMeeting {
  return {
    key: row.key,
    pairId: row.pair_id,
    date: row.date,
    previousAgendaId: row.previous_agenda_id,
    wantedAt: row.sync_wanted_at,
    readAt: row.sync_read_at,
  };
}

/** Whether a meeting is owed a pass: a look saw a change after its last pass started reading. */
export function owesPass(meeting: Pick<SyncWindowMeeting, "wantedAt" | "readAt">): boolean {
  return meeting.wantedAt !== null && meeting.wantedAt > (meeting.readAt ?? -1);
}

export class SyncWatchStore {
  constructor(private readonly db: D1Database) {}

  /** Meetings in their sync window at `nowIso` that carry from a previous agenda, the soonest first. */
  async window(nowIso: string): Promise<SyncWindowMeeting[]> {
    const { results } = await this.db
      .prepare(
        `SELECT key, pair_id, date, previous_agenda_id, sync_wanted_at, sync_read_at FROM meetings
         WHERE status = 'created' AND agenda_id IS NOT NULL AND starts_at > ?1
           AND previous_agenda_id IS NOT NULL AND previous_agenda_id <> ''
         ORDER BY starts_at, key LIMIT ?2`,
      )
      .bind(nowIso, WINDOW_LIMIT)
      .all<WindowRow>();
    return results.map(fromRow);
  }

  /** The meetings in their sync window at `nowIso` that carry from the agenda `previousAgendaId`. */
  async carryingFrom(previousAgendaId: string, nowIso: string): Promise<SyncWindowMeeting[]> {
    const { results } = await this.db
      .prepare(
        `SELECT key, pair_id, date, previous_agenda_id, sync_wanted_at, sync_read_at FROM meetings
         WHERE previous_agenda_id = ?1 AND status = 'created' AND agenda_id IS NOT NULL AND starts_at > ?2`,
      )
      .bind(previousAgendaId, nowIso)
      .all<WindowRow>();
    return results.map(fromRow);
  }

  /** The cursors of the watched places `scopes`; a place never looked at has none. */
  async cursors(scopes: readonly string[]): Promise<Map<string, string>> {
    if (scopes.length === 0) return new Map();
    const { results } = await this.db
      .prepare("SELECT scope, cursor FROM sync_cursors WHERE scope IN (SELECT value FROM json_each(?1))")
      .bind(JSON.stringify(scopes))
      .all<{ scope: string; cursor: string }>();
    return new Map(results.map((row) => [row.scope, row.cursor]));
  }

  /**
   * Records what the looks found, in one batch: the meetings `keys` are owed a pass from `lookedAt` (a later
   * mark is never moved back), then each place's new cursor. Marks go first, so a cursor never moves past a
   * change that no meeting records.
   */
  async recordLooks(
    keys: readonly string[],
    lookedAt: number,
    cursors: ReadonlyMap<string, string>,
  ): Promise<void> {
    const statements: D1PreparedStatement[] = [];
    if (keys.length > 0) {
      statements.push(
        this.db
          .prepare(
            `UPDATE meetings SET sync_wanted_at = max(coalesce(sync_wanted_at, 0), ?2)
             WHERE key IN (SELECT value FROM json_each(?1))`,
          )
          .bind(JSON.stringify(keys), lookedAt),
      );
    }
    if (cursors.size > 0) {
      statements.push(
        this.db
          .prepare(
            `INSERT INTO sync_cursors (scope, cursor, looked_at)
             SELECT value ->> '$.scope', value ->> '$.cursor', ?2 FROM json_each(?1) WHERE true
             ON CONFLICT (scope) DO UPDATE SET cursor = excluded.cursor, looked_at = excluded.looked_at
             WHERE excluded.looked_at >= sync_cursors.looked_at`,
          )
          .bind(JSON.stringify([...cursors].map(([scope, cursor]) => ({ scope, cursor }))), lookedAt),
      );
    }
    if (statements.length > 0) await this.db.batch(statements);
  }
}
