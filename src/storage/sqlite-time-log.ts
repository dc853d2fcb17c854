import type { TimedEntry, TimeLog } from '../core/store.js';

/** Runs one SQL statement with positional parameters and resolves with its rows. */
export type SqlQuery = (sql: string, ...parameters: unknown[]) => Promise<unknown>;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS time_log (family TEXT NOT NULL, stream TEXT NOT NULL, id TEXT NOT NULL,
     at INTEGER NOT NULL, expires INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (family, stream, id))`,
  'CREATE INDEX IF NOT EXISTS time_log_by_time ON time_log (family, stream, at)',
  'CREATE INDEX IF NOT EXISTS time_log_by_expiry ON time_log (family, expires)',
];

/**
 * A time log in the SQLite file, in its own table indexed by time, so a month of one workspace's
 * records is one index range read. `family` is the namespace's full name (prefix included).
 */
export class SqliteTimeLog<T> implements TimeLog<T> {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly query: SqlQuery,
    private readonly family: string,
  ) {}

  async append(stream: string, entry: TimedEntry<T>, ttlMs: number): Promise<boolean> {
    await this.schema();
    const now = Date.now();
    const row = [this.family, stream, entry.id, entry.at, now + ttlMs, JSON.stringify(entry.value)];
    // RETURNING yields a row only when the insert happened, which tells a new id from a repeat.
    const inserted = (await this.query(
      `INSERT OR IGNORE INTO time_log (family, stream, id, at, expires, value) VALUES (?, ?, ?, ?, ?, ?)
       RETURNING id`,
      ...row,
    )) as unknown[];
    if (inserted.length === 0) {
      await this.query(
        `UPDATE time_log SET at = ?, expires = ?, value = ? WHERE family = ? AND stream = ? AND id = ?`,
        entry.at,
        now + ttlMs,
        JSON.stringify(entry.value),
        this.family,
        stream,
        entry.id,
      );
    }
    // SQLite does not expire rows by itself; each write clears what has lapsed (an index range).
    await this.query('DELETE FROM time_log WHERE family = ? AND expires <= ?', this.family, now);
    return inserted.length > 0;
  }

  async range(stream: string, from: number, to: number): Promise<T[]> {
    await this.schema();
    const rows = (await this.query(
      `SELECT value FROM time_log WHERE family = ? AND stream = ? AND at >= ? AND at < ? AND expires > ?
       ORDER BY at, id`,
      this.family,
      stream,
      from,
      to,
      Date.now(),
    )) as { value: string }[];
    return rows.map((row) => JSON.parse(row.value) as T);
  }

  private schema(): Promise<void> {
    this.ready ??= (async () => {
      for (const statement of SCHEMA) await this.query(statement);
    })();
    // A failed attempt (file locked, disk full) is tried again on the next call.
    this.ready.catch(() => (this.ready = undefined));
    return this.ready;
  }
}
