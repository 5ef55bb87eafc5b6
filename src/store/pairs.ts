// D1 access for pairs. Stored configs were validated on the way in and are parsed again on the way
// out, so a row written by an older version that no longer fits fails that pair alone, loudly.
import type { Pair } from "../config/pair";
import { pairSchema } from "../config/pair";
import { describeIssues } from "../lib/issues";

export interface StoredPair {
  pair: Pair | null;
  id: string;
  /** Why a stored row no longer parses, when `pair` is null. */
  problems: string[];
  createdAt: string;
  updatedAt: string;
}

interface PairRow {
  id: string;
  config: string;
  created_at: string;
  updated_at: string;
}

function fromRow(row: PairRow): StoredPair {
  let json: unknown;
  try {
    json = JSON.parse(row.config);
  } catch {
    return {
      id: row.id,
      pair: null,
      problems: ["stored config is not JSON"],
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
  const parsed = pairSchema.safeParse(json);
  return {
    id: row.id,
    pair: parsed.success ? parsed.data : null,
    problems: parsed.success ? [] : describeIssues(parsed.error),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface PairPage {
  pairs: StoredPair[];
  /** The last id of this page when more follow; the next page starts after it. */
  lastId: string | null;
}

export class PairStore {
  constructor(private readonly db: D1Database) {}

  /** Every pair, for the tick, which prepares them all. */
  async list(): Promise<StoredPair[]> {
    const { results } = await this.db.prepare("SELECT * FROM pairs ORDER BY id").all<PairRow>();
    return results.map(fromRow);
  }

  /** Up to `limit` pairs in id order, after `afterId` when given: one page, read and parsed alone. */
  async page(limit: number, afterId: string | null): Promise<PairPage> {
    // One row more than asked says whether another page follows, without counting the table.
    const { results } = await (afterId === null
      ? this.db.prepare("SELECT * FROM pairs ORDER BY id LIMIT ?").bind(limit + 1)
      : this.db.prepare("SELECT * FROM pairs WHERE id > ? ORDER BY id LIMIT ?").bind(afterId, limit + 1)
    ).all<PairRow>();
    const rows = results.slice(0, limit);
    return {
      pairs: rows.map(fromRow),
      lastId: results.length > limit ? (rows.at(-1)?.id ?? null) : null,
    };
  }

  /** A number that changes whenever any pair is added, changed or deleted (a trigger keeps it). */
  async revision(): Promise<number> {
    const row = await this.db
      .prepare("SELECT revision FROM pairs_revision WHERE id = 1")
      .first<{ revision: number }>();
    return row?.revision ?? 0;
  }

  async get(id: string): Promise<StoredPair | null> {
    const row = await this.db.prepare("SELECT * FROM pairs WHERE id = ?").bind(id).first<PairRow>();
    return row ? fromRow(row) : null;
  }

  /** Inserts new pairs; returns false when one of the ids already exists (then nothing is written). */
  async insert(pairs: readonly Pair[], at: string): Promise<boolean> {
    const statements = pairs.map((pair) =>
      this.db
        .prepare("INSERT INTO pairs (id, config, created_at, updated_at) VALUES (?, ?, ?, ?)")
        .bind(pair.id, JSON.stringify(pair), at, at),
    );
    try {
      await this.db.batch(statements);
      return true;
    } catch (error) {
      if (String(error).includes("UNIQUE constraint failed")) return false;
      throw error;
    }
  }

  /** Inserts or replaces pairs in one transaction: the bulk import either stores all of them or none. */
  async upsert(pairs: readonly Pair[], at: string): Promise<void> {
    await this.db.batch(
      pairs.map((pair) =>
        this.db
          .prepare(
            `INSERT INTO pairs (id, config, created_at, updated_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at`,
          )
          .bind(pair.id, JSON.stringify(pair), at, at),
      ),
    );
  }

  /** Replaces an existing pair; false when there is none. */
  async replace(pair: Pair, at: string): Promise<boolean> {
    const result = await this.db
      .prepare("UPDATE pairs SET config = ?, updated_at = ? WHERE id = ?")
      .bind(JSON.stringify(pair), at, pair.id)
      .run();
    return result.meta.changes > 0;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.prepare("DELETE FROM pairs WHERE id = ?").bind(id).run();
    return result.meta.changes > 0;
  }
}
