// D1 access for the managers' weekly roll-up settings, one row per manager email. Like pairs, a stored
// config is parsed again on read, so a row that no longer validates is reported, never half-used.

import type { RollupConfig } from "../domain/rollup-schedule";
import { rollupConfigSchema } from "../domain/rollup-schedule";
import { describeIssues } from "../lib/issues";

export interface StoredRollup {
  managerEmail: string;
  config: RollupConfig | null;
  problems: string[];
  createdAt: string;
  updatedAt: string;
}

interface RollupRow {
  manager_email: string;
  config: string;
  created_at: string;
  updated_at: string;
}

function fromRow(row: RollupRow): StoredRollup {
  const base = { managerEmail: row.manager_email, createdAt: row.created_at, updatedAt: row.updated_at };
  let json: unknown;
  try {
    json = JSON.parse(row.config);
  } catch {
    return { ...base, config: null, problems: ["stored config is not JSON"] };
  }
  const parsed = rollupConfigSchema.safeParse(json);
  return parsed.success
    ? { ...base, config: parsed.data, problems: [] }
    : { ...base, config: null, problems: describeIssues(parsed.error) };
}

export class RollupStore {
  constructor(private readonly db: D1Database) {}

  async list(): Promise<StoredRollup[]> {
    const { results } = await this.db
      .prepare("SELECT * FROM rollups ORDER BY manager_email")
      .all<RollupRow>();
    return results.map(fromRow);
  }

  async get(managerEmail: string): Promise<StoredRollup | null> {
    const row = await this.db
      .prepare("SELECT * FROM rollups WHERE manager_email = ?")
      .bind(managerEmail.toLowerCase())
      .first<RollupRow>();
    return row ? fromRow(row) : null;
  }

  /** Creates or replaces the manager's roll-up; returns whether it was new. */
  async put(config: RollupConfig, at: string): Promise<boolean> {
    const result = await this.db
      .prepare(
        `INSERT INTO rollups (manager_email, config, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)
         ON CONFLICT (manager_email) DO UPDATE SET config = ?2, updated_at = ?3
         RETURNING created_at = updated_at AS created`,
      )
      .bind(config.manager.email, JSON.stringify(config), at)
      .first<{ created: number }>();
    return result?.created === 1;
  }

  async delete(managerEmail: string): Promise<boolean> {
    const result = await this.db
      .prepare("DELETE FROM rollups WHERE manager_email = ?")
      .bind(managerEmail.toLowerCase())
      .run();
    return result.meta.changes > 0;
  }
}
