import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { describe, expect, it, onTestFinished } from 'vitest'
import { openDatabase, type DatabaseHandle } from './database-handle.ts'
import { classifyStoreError, type StoreErrorKind } from './store-errors.ts'
import { createReadingsRepository } from '../readings/readings.repository.ts'

/**
 * classifyStoreError against errors real SQLite and real PostgreSQL (127.0.0.1:5432, database `test`;
 * IOC_TEST_DB_URL to point elsewhere) raise — never hand-made objects: each test provokes one failure,
 * checks it got the error it meant to (its code), and that the ingest would treat it right: a message
 * the store refuses becomes a dead letter (`rejected`), a failing store is retried (`transient`).
 */
const PG_URL = process.env.IOC_TEST_DB_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const TS = Date.parse('2024-10-30T07:00:00Z')

/** The error `work` fails with (the test fails if it does not). */
async function failureOf(work: () => unknown): Promise<unknown> {
  try {
    await work()
  } catch (error) {
    return error
  }
  throw new Error('expected the store to fail')
}

/** The code the error carries (SQLSTATE, SQLite result code, errno), and how it is classified. */
function judged(error: unknown): { code: unknown; kind: StoreErrorKind } {
  return { code: (error as { code?: unknown }).code, kind: classifyStoreError(error) }
}

async function sqliteStore(): Promise<{ store: DatabaseHandle; file: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ioc-store-errors-'))
  const store = await openDatabase({ dataDir })
  onTestFinished(async () => {
    await store.close().catch(() => undefined)
    rmSync(dataDir, { recursive: true, force: true })
  })
  return { store, file: join(dataDir, 'ioc.sqlite') }
}

async function postgresStore(): Promise<{ store: DatabaseHandle; schema: string }> {
  const schema = `ioc_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`
  await withClient((client) => client.query(`CREATE SCHEMA ${schema}`))
  const store = await openDatabase({ url: PG_URL, schema })
  onTestFinished(async () => {
    await store.close().catch(() => undefined)
    await withClient((client) => client.query(`DROP SCHEMA ${schema} CASCADE`))
  })
  return { store, schema }
}

/** A connection of its own, ended after `work`. */
async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end().catch(() => undefined)
  }
}

const deadLetter = { received_at: TS, topic: 't', payload: Buffer.from('p'), reason: 'schema', detail: 'd' }

describe('classifyStoreError on SQLite', () => {
  describe('rejected: the write can never succeed', () => {
    it('a second row with the same key (SQLITE_CONSTRAINT_PRIMARYKEY)', async () => {
      const { store } = await sqliteStore()
      const row = { station_id: 'tam-ky-river', ts: TS, water_level_cm: 100, rainfall_mm: null, battery_pct: null, seq: null, received_at: TS }
      await store.db.insertInto('readings').values(row).execute()
      expect(judged(await failureOf(() => store.db.insertInto('readings').values(row).execute()))).toEqual({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY', kind: 'rejected' })
    })

    it('a NULL in a NOT NULL column (SQLITE_CONSTRAINT_NOTNULL)', async () => {
      const { store } = await sqliteStore()
      const error = await failureOf(() => sql`INSERT INTO dead_letters (received_at, topic, payload, reason, detail) VALUES (${TS}, NULL, x'00', 'schema', '')`.execute(store.db))
      expect(judged(error)).toEqual({ code: 'SQLITE_CONSTRAINT_NOTNULL', kind: 'rejected' })
    })

    it("a trigger's RAISE(ABORT), as a database administrator's rule would refuse a row (SQLITE_CONSTRAINT_TRIGGER)", async () => {
      const { store } = await sqliteStore()
      await sql`CREATE TRIGGER refuse_high BEFORE INSERT ON readings WHEN NEW.water_level_cm > 1000 BEGIN SELECT RAISE(ABORT, 'too high'); END`.execute(store.db)
      const error = await failureOf(() => createReadingsRepository(store.db).insert({ stationId: 'tam-ky-river', ts: new Date(TS).toISOString(), waterLevelCm: 4000 }, TS))
      expect(judged(error)).toEqual({ code: 'SQLITE_CONSTRAINT_TRIGGER', kind: 'rejected' })
    })

    it('a CHECK constraint (SQLITE_CONSTRAINT_CHECK)', async () => {
      const { store } = await sqliteStore()
      await sql`CREATE TABLE checked (level REAL CHECK (level < 5000))`.execute(store.db)
      expect(judged(await failureOf(() => sql`INSERT INTO checked VALUES (${1e308})`.execute(store.db)))).toEqual({ code: 'SQLITE_CONSTRAINT_CHECK', kind: 'rejected' })
    })

    it('a text id for an INTEGER PRIMARY KEY (SQLITE_MISMATCH)', async () => {
      const { store } = await sqliteStore()
      const error = await failureOf(() => store.db.insertInto('dead_letters').values({ ...deadLetter, id: 'not a number' as unknown as number }).execute())
      expect(judged(error)).toEqual({ code: 'SQLITE_MISMATCH', kind: 'rejected' })
    })

    it('a blob over SQLite’s length limit (SQLITE_TOOBIG)', async () => {
      const { store } = await sqliteStore()
      expect(judged(await failureOf(() => sql`SELECT zeroblob(2000000000)`.execute(store.db)))).toEqual({ code: 'SQLITE_TOOBIG', kind: 'rejected' })
    })
  })

  describe('transient: the store is failing, the write may pass later', () => {
    it('another connection holding the write lock (SQLITE_BUSY)', async () => {
      const { file } = await sqliteStore()
      const holder = new BetterSqlite3(file)
      const waiter = new BetterSqlite3(file, { timeout: 0 })
      onTestFinished(() => {
        holder.close()
        waiter.close()
      })
      holder.exec('BEGIN IMMEDIATE')
      const error = await failureOf(() => waiter.prepare("INSERT INTO job_state (name, value) VALUES ('x', 1)").run())
      holder.exec('ROLLBACK')
      expect(judged(error)).toEqual({ code: 'SQLITE_BUSY', kind: 'transient' })
    })

    it('a full database (SQLITE_FULL)', async () => {
      const { store } = await sqliteStore()
      const [pages] = (await sql<{ page_count: number }>`PRAGMA page_count`.execute(store.db)).rows
      await sql.raw(`PRAGMA max_page_count = ${pages!.page_count}`).execute(store.db)
      const error = await failureOf(() => store.db.insertInto('dead_letters').values({ ...deadLetter, payload: Buffer.alloc(1_000_000) }).execute())
      expect(judged(error)).toEqual({ code: 'SQLITE_FULL', kind: 'transient' })
    })

    it('a read-only database file (SQLITE_READONLY)', async () => {
      const { file } = await sqliteStore()
      const readOnly = new BetterSqlite3(file, { readonly: true })
      onTestFinished(() => {
        readOnly.close()
      })
      const error = await failureOf(() => readOnly.prepare("INSERT INTO job_state (name, value) VALUES ('x', 1)").run())
      expect(judged(error)).toEqual({ code: 'SQLITE_READONLY', kind: 'transient' })
    })

    it('a table missing, renamed away during a repair (SQLITE_ERROR)', async () => {
      const { store } = await sqliteStore()
      await sql`ALTER TABLE dead_letters RENAME TO dead_letters_away`.execute(store.db)
      expect(judged(await failureOf(() => store.db.insertInto('dead_letters').values(deadLetter).execute()))).toEqual({ code: 'SQLITE_ERROR', kind: 'transient' })
    })

    it('a store already closed', async () => {
      const { store } = await sqliteStore()
      await store.close()
      expect(classifyStoreError(await failureOf(() => createReadingsRepository(store.db).insert({ stationId: 'tam-ky-river', ts: new Date(TS).toISOString(), waterLevelCm: 100 }, TS)))).toBe('transient')
    })
  })
})

describe('classifyStoreError on PostgreSQL', () => {
  describe('rejected: the write can never succeed', () => {
    it('a sequence number of 1e20, out of bigint range (22003): the reading that stalled the ingest', async () => {
      const { store } = await postgresStore()
      const error = await failureOf(() => createReadingsRepository(store.db).insert({ stationId: 'tam-ky-river', ts: new Date(TS).toISOString(), waterLevelCm: 100, seq: 1e20 }, TS))
      expect(judged(error)).toEqual({ code: '22003', kind: 'rejected' })
    })

    it('a NUL character in text (22021), as a JSON.parse error quoting a payload would put in a dead letter', async () => {
      const { store } = await postgresStore()
      // Past the store's own NUL replacement, to get the error PostgreSQL raises.
      const error = await failureOf(() => store.db.withoutPlugins().insertInto('dead_letters').values({ ...deadLetter, detail: `Unexpected token '\u0000', "{"a":\u0000}" is not valid JSON` }).execute())
      expect(judged(error)).toEqual({ code: '22021', kind: 'rejected' })
    })

    it('a second row with the same key (23505)', async () => {
      const { store } = await postgresStore()
      const row = { station_id: 'tam-ky-river', ts: TS, water_level_cm: 100, rainfall_mm: null, battery_pct: null, seq: null, received_at: TS }
      await store.db.insertInto('readings').values(row).execute()
      expect(judged(await failureOf(() => store.db.insertInto('readings').values(row).execute()))).toEqual({ code: '23505', kind: 'rejected' })
    })

    it("a CHECK constraint a database administrator added (23514)", async () => {
      const { store, schema } = await postgresStore()
      await withClient((client) => client.query(`ALTER TABLE ${schema}.readings ADD CONSTRAINT plausible_level CHECK (water_level_cm < 1000)`))
      const error = await failureOf(() => createReadingsRepository(store.db).insert({ stationId: 'tam-ky-river', ts: new Date(TS).toISOString(), waterLevelCm: 4000 }, TS))
      expect(judged(error)).toEqual({ code: '23514', kind: 'rejected' })
    })

    it('a NULL in a NOT NULL column (23502)', async () => {
      const { store } = await postgresStore()
      const error = await failureOf(() => sql`INSERT INTO dead_letters (received_at, topic, payload, reason, detail) VALUES (${TS}, NULL, '\\x00', 'schema', '')`.execute(store.db))
      expect(judged(error)).toEqual({ code: '23502', kind: 'rejected' })
    })
  })

  describe('transient: the store is failing, the write may pass later', () => {
    it('no server listening (ECONNREFUSED)', async () => {
      const port = await new Promise<number>((resolve) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
          const { port } = server.address() as AddressInfo
          server.close(() => resolve(port))
        })
      })
      const db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${port}/test`, max: 1 }) }) })
      onTestFinished(() => db.destroy())
      expect(judged(await failureOf(() => sql`SELECT 1`.execute(db)))).toEqual({ code: 'ECONNREFUSED', kind: 'transient' })
    })

    it('the connection terminated by an administrator (57P01)', async () => {
      const error = await withClient((client) => failureOf(() => client.query('SELECT pg_terminate_backend(pg_backend_pid())')))
      expect(judged(error)).toEqual({ code: '57P01', kind: 'transient' })
    })

    it('a statement cancelled by its timeout (57014)', async () => {
      const error = await withClient(async (client) => {
        await client.query("SET statement_timeout = '10ms'")
        return failureOf(() => client.query('SELECT pg_sleep(5)'))
      })
      expect(judged(error)).toEqual({ code: '57014', kind: 'transient' })
    })

    it('a deadlock between two writers (40P01)', async () => {
      const { schema } = await postgresStore()
      const [a, b] = [new pg.Client({ connectionString: PG_URL }), new pg.Client({ connectionString: PG_URL })]
      await Promise.all([a.connect(), b.connect()])
      onTestFinished(async () => {
        await a.end().catch(() => undefined)
        await b.end().catch(() => undefined)
      })
      await a.query(`INSERT INTO ${schema}.job_state (name, value) VALUES ('a', 0), ('b', 0)`)
      for (const client of [a, b]) await client.query("SET deadlock_timeout = '50ms'")
      await a.query('BEGIN')
      await b.query('BEGIN')
      await a.query(`UPDATE ${schema}.job_state SET value = 1 WHERE name = 'a'`)
      await b.query(`UPDATE ${schema}.job_state SET value = 1 WHERE name = 'b'`)
      // Each now waits for the row the other holds: PostgreSQL breaks the cycle by failing one.
      const outcomes = await Promise.allSettled([a.query(`UPDATE ${schema}.job_state SET value = 2 WHERE name = 'b'`), b.query(`UPDATE ${schema}.job_state SET value = 2 WHERE name = 'a'`)])
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')
      expect(judged(failed?.reason)).toEqual({ code: '40P01', kind: 'transient' })
    })

    it('a temporary file over its limit (53400, insufficient resources)', async () => {
      const error = await withClient(async (client) => {
        await client.query("SET work_mem = '64kB'")
        await client.query("SET temp_file_limit = '64kB'")
        return failureOf(() => client.query('SELECT g FROM generate_series(1, 1000000) g ORDER BY g DESC LIMIT 1'))
      })
      expect(judged(error)).toEqual({ code: '53400', kind: 'transient' })
    })

    it('a table missing, renamed away during a restore (42P01)', async () => {
      const { store, schema } = await postgresStore()
      await withClient((client) => client.query(`ALTER TABLE ${schema}.dead_letters RENAME TO dead_letters_away`))
      expect(judged(await failureOf(() => store.db.insertInto('dead_letters').values(deadLetter).execute()))).toEqual({ code: '42P01', kind: 'transient' })
    })
  })
})
