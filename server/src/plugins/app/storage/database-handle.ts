import { sql, type Kysely } from 'kysely'
import { connectDatabase, type Database, type DatabaseLocation, type Engine } from './database.ts'
import { migrateToLatest } from './migrations.ts'

/**
 * The database every repository works on, opened once per process (`fastify.database`), over Kysely
 * for SQLite (embedded default) or PostgreSQL (IOC_DB_URL). The SQL itself lives with each capability,
 * one repository per table group (readings/, ingest/dead-letters.repository.ts, alarms/, auth/ …),
 * each a `create…Repository(db)` over this `db`; the same contract tests run them against both engines.
 */
export interface DatabaseHandle {
  readonly engine: Engine
  /** The database itself, for the repositories: they share the connection and the migrations. */
  readonly db: Kysely<Database>
  /** Runs the schema migrations; called once before the database is used. */
  migrate(): Promise<void>
  /** Throws when the database cannot answer (readiness). */
  ping(): Promise<void>
  close(): Promise<void>
}

/** Opens (and migrates) the database at `location`: SQLite under a data dir, or PostgreSQL by URL. */
export async function openDatabase(location: DatabaseLocation): Promise<DatabaseHandle> {
  const { db, engine } = connectDatabase(location)
  const database: DatabaseHandle = {
    engine,
    db,
    migrate: () => migrateToLatest(db, engine),
    async ping() {
      await sql`SELECT 1`.execute(db)
    },
    async close() {
      await db.destroy()
    },
  }
  try {
    await database.migrate()
  } catch (error) {
    await database.close()
    throw error
  }
  return database
}
