import type BetterSqlite3 from 'better-sqlite3'
import type { SqliteDatabase } from 'kysely'

/**
 * The SQLite handle Kysely is given, keeping prepared statements by their SQL. Kysely's SQLite driver
 * prepares every query it runs, and preparing costs about as much as a small insert: a CPU profile of
 * the ingest (one message at a time, from an external broker) showed `prepare` at 7.6 % of the
 * process. Kysely runs one query at a time on its one SQLite connection (and holds it through a
 * streamed query), so a statement is never used by two queries at once. At most `capacity` are kept,
 * the least recently used dropped first: a group commit's multi-row inserts differ by their row count.
 */
export function withStatementCache(database: BetterSqlite3.Database, capacity = 256): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>()
  return {
    close: () => database.close(),
    prepare(sql) {
      const cached = statements.get(sql)
      if (cached) {
        // Most recently used last: Map keeps insertion order.
        statements.delete(sql)
        statements.set(sql, cached)
        return cached
      }
      const statement = database.prepare(sql)
      statements.set(sql, statement)
      if (statements.size > capacity) statements.delete(statements.keys().next().value!)
      return statement
    },
  }
}
