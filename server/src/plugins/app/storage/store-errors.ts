import BetterSqlite3 from 'better-sqlite3'
import pg from 'pg'

/**
 * What a failed store write means for the message behind it:
 * - `rejected`: the store refused this write for what it holds — a value it cannot represent, or a
 *   constraint it breaks. The same write fails the same way on every retry, so retrying it would hold
 *   every message queued behind it forever.
 * - `transient`: the store itself is failing — unreachable, busy, shutting down, out of disk, or a
 *   table missing mid-restore. That passes, and nothing written meanwhile may be lost: retry.
 */
export type StoreErrorKind = 'rejected' | 'transient'

/**
 * PostgreSQL SQLSTATE classes of errors about the data written: 22 data exception (a number out of
 * range, a NUL byte in text, an invalid date…) and 23 integrity constraint violation (NOT NULL, CHECK,
 * UNIQUE, foreign key).
 */
const PG_REJECTED_CLASSES = new Set(['22', '23'])

/**
 * SQLite result codes of the same kind: a constraint (every SQLITE_CONSTRAINT_* extended code, a
 * trigger's RAISE(ABORT) included), a value of the wrong type for an INTEGER PRIMARY KEY, a string or
 * blob over SQLite's length limit, a parameter index out of range.
 */
const SQLITE_REJECTED_CODES = new Set(['SQLITE_CONSTRAINT', 'SQLITE_MISMATCH', 'SQLITE_TOOBIG', 'SQLITE_RANGE'])

/**
 * Classifies a store error by whether retrying the same write can ever succeed. Only the errors known
 * to be about the data are `rejected`; everything else is `transient` — connections refused or reset,
 * PostgreSQL classes 08 (connection), 40 (transaction rollback: serialization, deadlock), 53
 * (insufficient resources), 57 (operator intervention: shutdown, cancel), 42 (a table renamed or
 * dropped, a privilege revoked), SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, and errors of
 * no known kind. That default is deliberate: a failure of the store affects every message, and
 * turning each into a dead letter while it lasts would acknowledge them all into a table that keeps
 * only the newest 10,000; retrying holds them at the broker instead, and loses nothing.
 */
export function classifyStoreError(error: unknown): StoreErrorKind {
  if (error instanceof pg.DatabaseError) {
    return typeof error.code === 'string' && PG_REJECTED_CLASSES.has(error.code.slice(0, 2)) ? 'rejected' : 'transient'
  }
  if (error instanceof BetterSqlite3.SqliteError) {
    // Extended codes name their primary code first: SQLITE_CONSTRAINT_CHECK, SQLITE_CONSTRAINT_NOTNULL…
    const primary = /^SQLITE_[A-Z]+/.exec(error.code)?.[0]
    return primary !== undefined && SQLITE_REJECTED_CODES.has(primary) ? 'rejected' : 'transient'
  }
  return 'transient'
}

/** A store error as one line for a dead letter's detail: its code and message, e.g. `22003 value "…" is out of range for type bigint`. */
export function describeStoreError(error: unknown): string {
  if (error instanceof pg.DatabaseError || error instanceof BetterSqlite3.SqliteError) return `${error.code ?? 'error'} ${error.message}`
  return error instanceof Error ? error.message : String(error)
}
