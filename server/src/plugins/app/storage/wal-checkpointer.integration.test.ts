import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { sql } from 'kysely'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { createReadingsRepository } from '../readings/readings.repository.ts'
import { openDatabase } from './database-handle.ts'
import { sqliteFile } from './database.ts'
import { BACKSTOP_AUTOCHECKPOINT_PAGES, DEFAULT_AUTOCHECKPOINT_PAGES, startWalCheckpointer } from './wal-checkpointer.ts'
import { T0, reading } from './test-databases.ts'

const log = () => ({ warn: vi.fn(), error: vi.fn() })

async function openStore() {
  const dataDir = mkdtempSync(join(tmpdir(), 'ioc-wal-'))
  onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }))
  const database = await openDatabase({ dataDir })
  return { dataDir, file: sqliteFile(dataDir)!, database }
}

const autocheckpoint = async (database: Awaited<ReturnType<typeof openStore>>['database']) =>
  (await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(database.db)).rows[0]!.wal_autocheckpoint

/**
 * Readings in the database file itself, without its log: what checkpoints have copied there. Read
 * from a copy of the file alone (a copy taken mid-checkpoint may be torn: then none are counted).
 */
function readingsCheckpointed(file: string, dir: string): number {
  const copy = join(dir, `copy-${Math.random().toString(16).slice(2)}.sqlite`)
  copyFileSync(file, copy)
  try {
    const db = new BetterSqlite3(copy)
    try {
      return (db.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n
    } finally {
      db.close()
    }
  } catch {
    return -1
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true })
  }
}

describe('WAL checkpointer (SQLite)', () => {
  it('copies what the server commits into the database file on its own thread, the server’s own checkpoints held back to the backstop', async () => {
    const { dataDir, file, database } = await openStore()
    const checkpointer = await startWalCheckpointer({ file, db: database.db, log: log(), busyMs: 5, idleMs: 20 })
    onTestFinished(async () => {
      await checkpointer.stop()
      await database.close()
    })
    expect(checkpointer.running()).toBe(true)
    expect(await autocheckpoint(database)).toBe(BACKSTOP_AUTOCHECKPOINT_PAGES)

    const readings = createReadingsRepository(database.db)
    const batch = Array.from({ length: 200 }, (_, i) => {
      const [r, tsMs] = reading(`station-${i}`, T0, 100 + i)
      return { reading: r, tsMs }
    })
    await readings.insertBatch(batch)
    // Far below the backstop's 10,000 pages: only the worker can have copied these into the file.
    await expect.poll(() => readingsCheckpointed(file, dataDir), { timeout: 30_000, interval: 50 }).toBe(200)
  })

  it('stops with its connection closed: the store then closes with its log folded in and removed, checkpoints back at SQLite’s default', async () => {
    const { file, database } = await openStore()
    const checkpointer = await startWalCheckpointer({ file, db: database.db, log: log() })
    await createReadingsRepository(database.db).insert(...reading('cau-xuan-quy', T0, 80))
    await checkpointer.stop()
    expect(checkpointer.running()).toBe(false)
    expect(await autocheckpoint(database)).toBe(DEFAULT_AUTOCHECKPOINT_PAGES)
    await database.close()
    // SQLite removes the log only when the last connection to the file closes.
    expect(existsSync(`${file}-wal`)).toBe(false)
    const reopened = new BetterSqlite3(file, { readonly: true })
    expect((reopened.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n).toBe(1)
    reopened.close()
  })

  it('says so when it cannot start, and leaves the server’s connection checkpointing for itself', async () => {
    const { dataDir, database } = await openStore()
    onTestFinished(() => database.close())
    const logger = log()
    const checkpointer = await startWalCheckpointer({ file: join(dataDir, 'missing.sqlite'), db: database.db, log: logger })
    expect(checkpointer.running()).toBe(false)
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ reason: expect.stringMatching(/cannot open .*missing.sqlite/) }), expect.stringContaining('checkpoints the store itself'))
    expect(await autocheckpoint(database)).toBe(DEFAULT_AUTOCHECKPOINT_PAGES)
    await checkpointer.stop()
  })
})
