// D1 access for dead letters: work the queue gave up on, one row per meeting or delivery, kept until an
// operator replays it. Bodies are stored as the queue carried them (validated), reasons in our own words.
type DeadLetterKind = "prepare" | "deliver";

export interface DeadLetter {
  /** `meeting:<key>` or `delivery:<id>`: what the work was about. */
  subject: string;
  kind: DeadLetterKind;
  /** The message body as JSON text; a replay sends it again. */
  body: string;
  reason: string;
  /** How many messages about this subject died. */
  deaths: number;
  /** Deliveries of the last message that died, the queue's retries included. */
  attempts: number;
  firstDiedAt: string;
  lastDiedAt: string;
  replayedAt: string | null;
}

interface DeadLetterRow {
  subject: string;
  kind: DeadLetterKind;
  body: string;
  reason: string;
  deaths: number;
  attempts: number;
  first_died_at: string;
  last_died_at: string;
  replayed_at: string | null;
}

function fromRow(row: DeadLetterRow): DeadLetter {
  return {
    subject: row.subject,
    kind: row.kind,
    body: row.body,
    reason: row.reason,
    deaths: row.deaths,
    attempts: row.attempts,
    firstDiedAt: row.first_died_at,
    lastDiedAt: row.last_died_at,
    replayedAt: row.replayed_at,
  };
}

export interface RecordDeath {
  subject: string;
  kind: DeadLetterKind;
  body: string;
  reason: string;
  attempts: number;
  at: string;
}

export class DeadLetterStore {
  constructor(private readonly db: D1Database) {}

  /** Records a message that died: a new row, or one more death (and the latest reason) on its subject's. */
  async record(death: RecordDeath): Promise<void> {
    await this.db
      .prepare(
        `INSERT INTO dead_letters (subject, kind, body, reason, deaths, attempts, first_died_at, last_died_at)
         VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?6)
         ON CONFLICT (subject) DO UPDATE SET body = ?3, reason = ?4, attempts = ?5, last_died_at = ?6,
           deaths = dead_letters.deaths + 1, replayed_at = NULL`,
      )
      .bind(death.subject, death.kind, death.body, death.reason, death.attempts, death.at)
      .run();
  }

  /**
   * Dead letters not replayed since they last died and whose work is still not done (a meeting whose
   * agenda was made since, or a delivery sent since, by a later tick, is no longer a problem), newest first.
   */
  async listOpen(limit: number): Promise<DeadLetter[]> {
    const { results } = await this.db
      .prepare(
        `SELECT * FROM dead_letters d WHERE d.replayed_at IS NULL
           AND NOT (d.kind = 'prepare' AND EXISTS (SELECT 1 FROM meetings m
             WHERE m.key = substr(d.subject, ${"meeting:".length + 1}) AND m.status = 'created'))
           AND NOT (d.kind = 'deliver' AND EXISTS (SELECT 1 FROM deliveries x
             WHERE x.id = substr(d.subject, ${"delivery:".length + 1}) AND x.status = 'delivered'))
         ORDER BY d.last_died_at DESC, d.subject LIMIT ?`,
      )
      .bind(limit)
      .all<DeadLetterRow>();
    return results.map(fromRow);
  }

  async get(subject: string): Promise<DeadLetter | null> {
    const row = await this.db
      .prepare("SELECT * FROM dead_letters WHERE subject = ?")
      .bind(subject)
      .first<DeadLetterRow>();
    return row === null ? null : fromRow(row);
  }

  /** Marks it replayed at `at`; false when it does not exist or was already replayed. */
  async markReplayed(subject: string, at: string): Promise<boolean> {
    const result = await this.db
      .prepare("UPDATE dead_letters SET replayed_at = ? WHERE subject = ? AND replayed_at IS NULL")
      .bind(at, subject)
      .run();
    return result.meta.changes > 0;
  }
}
