import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { describe, expect, it, onTestFinished } from 'vitest'
import { openDatabase, type DatabaseHandle } from './database-handle.ts'
import { migrations } from './migrations.ts'
import { BackupError, backupDatabase, databaseFile, readMigrationState, restoreDatabase, type BackupProblem, type KnownSchema } from './sqlite-backup.ts'
import { createCameraStatusesRepository } from '../readings/camera-statuses.repository.ts'
import { createReadingsRepository } from '../readings/readings.repository.ts'

const T0 = Date.parse('2024-10-30T00:00:00Z')
const KNOWN: KnownSchema = { migrations: Object.keys(migrations('sqlite')) }
const NOW = new Date('2025-01-02T03:04:05Z')

/** A fresh directory for this test only; stores opened through it are closed when the test ends. */
function tempDir(): { dir: string; open: (dataDir: string) => Promise<DatabaseHandle> } {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-backup-test-'))
  const opened: DatabaseHandle[] = []
  onTestFinished(async () => {
    for (const store of opened) await store.close().catch(() => undefined)
    rmSync(dir, { recursive: true, force: true })
  })
  return {
    dir,
    open: async (dataDir) => {
      const store = await openDatabase({ dataDir })
      opened.push(store)
      return store
    },
  }
}

async function storeWithReadings(open: (dataDir: string) => Promise<DatabaseHandle>, dataDir: string, n: number): Promise<DatabaseHandle> {
  const store = await open(dataDir)
  for (let i = 0; i < n; i++) await createReadingsRepository(store.db).insert({ stationId: 'tam-ky-river', ts: new Date(T0 + i * 60_000).toISOString(), waterLevelCm: 100 + i }, T0 + i * 60_000)
  await createCameraStatusesRepository(store.db).insert({ cameraId: 'cam-cau-tam-ky', ts: new Date(T0).toISOString(), state: 'online' }, T0)
  return store
}

function expectRefusal(run: () => unknown, problem: BackupProblem, message: RegExp): void {
  let thrown: unknown
  try {
    run()
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(BackupError)
  expect((thrown as BackupError).problem).toBe(problem)
  expect((thrown as BackupError).message).toMatch(message)
}

/**
 * Another connection, on another thread, inserting readings one transaction at a time until told to
 * stop. `committed()` counts the inserts that have returned, i.e. committed: rows ts0 … ts0 + (n − 1) s.
 */
function startWriter(file: string, stationId: string) {
  const shared = new Int32Array(new SharedArrayBuffer(8))
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads')
     const Database = require(workerData.driver)
     const db = new Database(workerData.file, { timeout: 5000 })
     const insert = db.prepare('INSERT INTO readings (station_id, ts, water_level_cm, received_at) VALUES (?, ?, ?, ?)')
     const state = new Int32Array(workerData.shared)
     for (let n = 0; Atomics.load(state, 0) === 0; ) {
       insert.run(workerData.stationId, workerData.ts0 + n * 1000, n % 500, Date.now())
       Atomics.store(state, 1, ++n)
     }
     db.close()`,
    { eval: true, workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file, stationId, ts0: T0, shared: shared.buffer } },
  )
  const exited = new Promise<void>((resolve, reject) => {
    worker.once('error', reject)
    worker.once('exit', () => resolve())
  })
  return {
    committed: () => Atomics.load(shared, 1),
    async stop() {
      Atomics.store(shared, 0, 1)
      await exited
    },
  }
}

describe('backupDatabase', () => {
  it('copies a store while another connection writes to it, keeping every row committed before it started', { timeout: 60_000 }, async () => {
    const { dir, open } = tempDir()
    const live = join(dir, 'live')
    const store = await open(live)
    // Enough data that the copy takes a while: the writer's inserts land while it runs.
    const bulk = new Database(databaseFile(live))
    const insert = bulk.prepare('INSERT INTO readings (station_id, ts, water_level_cm, received_at) VALUES (?, ?, ?, ?)')
    bulk.transaction(() => {
      for (let i = 0; i < 200_000; i++) insert.run('bulk', T0 + i * 1000, i % 300, T0)
    })()
    bulk.close()

    const writer = startWriter(databaseFile(live), 'writer')
    onTestFinished(() => writer.stop())
    while (writer.committed() < 500) await nextTurn()
    const committedBefore = writer.committed()
    const out = join(dir, 'backups', 'ioc-test.sqlite')
    const report = await backupDatabase(databaseFile(live), out)
    const committedAfter = writer.committed()
    await writer.stop()
    // The writer went on committing while the copy ran.
    expect(committedAfter).toBeGreaterThan(committedBefore)

    // One self-contained file, in rollback-journal mode, nothing left beside it.
    expect(readdirSync(join(dir, 'backups'))).toEqual(['ioc-test.sqlite'])
    expect(report.file).toBe(out)
    expect(report.rows.readings).toBeGreaterThanOrEqual(200_000 + committedBefore)
    expect(report.schema).toEqual({ kind: 'kysely', applied: KNOWN.migrations })

    const restoredDir = join(dir, 'restored')
    const restored = restoreDatabase(out, restoredDir, KNOWN, NOW)
    expect(restored.keptAs).toBeUndefined()
    const copy = await open(restoredDir)
    expect(await createReadingsRepository(copy.db).count('bulk')).toBe(200_000)
    // A consistent snapshot: the writer's first k rows for some k between "before" and "after".
    const written = await createReadingsRepository(copy.db).count('writer')
    expect(written).toBeGreaterThanOrEqual(committedBefore)
    expect(written).toBeLessThanOrEqual(committedAfter)
    expect(await createReadingsRepository(copy.db).count('writer', T0, T0 + (written - 1) * 1000)).toBe(written)
    expect(await createReadingsRepository(store.db).count('writer')).toBe(writer.committed())
  })

  it('reports the backup’s size, row counts and schema', async () => {
    const { dir, open } = tempDir()
    await storeWithReadings(open, join(dir, 'data'), 25)
    const report = await backupDatabase(databaseFile(join(dir, 'data')), join(dir, 'b.sqlite'))
    expect(report.rows).toEqual({ readings: 25, cameraStatuses: 1 })
    expect(report.bytes).toBeGreaterThan(0)
    const copy = new Database(report.file, { readonly: true })
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete')
    expect(readMigrationState(copy)).toEqual({ kind: 'kysely', applied: KNOWN.migrations })
    copy.close()
  })

  it('refuses when there is no database, and never overwrites a file', async () => {
    const { dir, open } = tempDir()
    await expect(backupDatabase(databaseFile(join(dir, 'nothing')), join(dir, 'b.sqlite'))).rejects.toMatchObject({ problem: 'missing' })
    await storeWithReadings(open, join(dir, 'data'), 1)
    writeFileSync(join(dir, 'b.sqlite'), 'precious')
    await expect(backupDatabase(databaseFile(join(dir, 'data')), join(dir, 'b.sqlite'))).rejects.toMatchObject({ problem: 'exists' })
  })

  it('refuses a database that is not this app’s, leaving no partial file', async () => {
    const { dir } = tempDir()
    const other = new Database(join(dir, 'other.sqlite'))
    other.exec('CREATE TABLE invoices (id INTEGER)')
    other.close()
    await expect(backupDatabase(join(dir, 'other.sqlite'), join(dir, 'b.sqlite'))).rejects.toMatchObject({ problem: 'not_this_app' })
    expect(readdirSync(dir)).toEqual(['other.sqlite'])
  })
})

describe('restoreDatabase', () => {
  it('puts a backup in place, keeping the current database whole and leaving no old WAL beside the restored one', async () => {
    const { dir, open } = tempDir()
    const data = join(dir, 'data')
    const store = await storeWithReadings(open, data, 10)
    const backup = await backupDatabase(databaseFile(data), join(dir, 'b.sqlite'))
    // Written after the backup, and — the store still open — held in its WAL only.
    await createReadingsRepository(store.db).insert({ stationId: 'tam-ky-river', ts: new Date(T0 - 60_000).toISOString(), waterLevelCm: 1 }, T0 - 60_000)
    expect(existsSync(`${databaseFile(data)}-wal`)).toBe(true)
    await store.close()

    const report = restoreDatabase(backup.file, data, KNOWN, NOW)
    expect(report.keptAs).toBe(`${databaseFile(data)}.before-restore-20250102T030405Z`)
    expect(report.rows).toEqual({ readings: 10, cameraStatuses: 1 })
    expect(report.pending).toEqual([])
    expect(readdirSync(data).sort()).toEqual(['ioc.sqlite', 'ioc.sqlite.before-restore-20250102T030405Z'])

    const kept = new Database(report.keptAs!, { readonly: true })
    expect(kept.prepare('SELECT COUNT(*) FROM readings').pluck().get()).toBe(11)
    kept.close()
    const restored = await open(data)
    expect(await createReadingsRepository(restored.db).count()).toBe(10)
  })

  it('refuses while another connection has the database open, and changes nothing', async () => {
    const { dir, open } = tempDir()
    const data = join(dir, 'data')
    await storeWithReadings(open, join(dir, 'source'), 3)
    const backup = await backupDatabase(databaseFile(join(dir, 'source')), join(dir, 'b.sqlite'))
    const running = await storeWithReadings(open, data, 7)

    expectRefusal(() => restoreDatabase(backup.file, data, KNOWN, NOW), 'in_use', /stop the server first/)
    expect(readdirSync(data).filter((name) => name.includes('restor'))).toEqual([])
    expect(await createReadingsRepository(running.db).count()).toBe(7)
  })

  it('refuses a file that is not a SQLite database', () => {
    const { dir } = tempDir()
    writeFileSync(join(dir, 'notes.sqlite'), 'Mực nước hôm nay: 235 cm\n'.repeat(20))
    writeFileSync(join(dir, 'empty.sqlite'), '')
    expectRefusal(() => restoreDatabase(join(dir, 'notes.sqlite'), join(dir, 'data'), KNOWN, NOW), 'not_sqlite', /is not a SQLite database/)
    expectRefusal(() => restoreDatabase(join(dir, 'empty.sqlite'), join(dir, 'data'), KNOWN, NOW), 'not_sqlite', /is not a SQLite database/)
    expectRefusal(() => restoreDatabase(join(dir, 'missing.sqlite'), join(dir, 'data'), KNOWN, NOW), 'missing', /there is no file/)
  })

  it('refuses a SQLite database of another application, naming what it lacks', () => {
    const { dir } = tempDir()
    const other = new Database(join(dir, 'other.sqlite'))
    other.exec('CREATE TABLE invoices (id INTEGER); CREATE TABLE readings (x)')
    other.close()
    expectRefusal(() => restoreDatabase(join(dir, 'other.sqlite'), join(dir, 'data'), KNOWN, NOW), 'not_this_app', /lacks camera_statuses \(it has tables invoices, readings\)/)
    expect(readdirSync(join(dir, 'data'))).toEqual([])
  })

  it('refuses a database migrated by a newer server', async () => {
    const { dir, open } = tempDir()
    await storeWithReadings(open, join(dir, 'source'), 1)
    const backup = await backupDatabase(databaseFile(join(dir, 'source')), join(dir, 'b.sqlite'))
    const older: KnownSchema = { migrations: KNOWN.migrations.slice(0, -1) }
    expectRefusal(() => restoreDatabase(backup.file, join(dir, 'data'), older, NOW), 'newer_schema', new RegExp(`migrations ${KNOWN.migrations.at(-1)} are unknown here`))
  })

  it('restores a database made before versioned migrations, which the server then brings up to date', async () => {
    const { dir, open } = tempDir()
    const legacy = new Database(join(dir, 'legacy.sqlite'))
    legacy.exec(`CREATE TABLE readings (station_id TEXT NOT NULL, ts INTEGER NOT NULL, water_level_cm REAL NOT NULL, rainfall_mm REAL,
                   battery_pct REAL, seq INTEGER, received_at INTEGER NOT NULL, PRIMARY KEY (station_id, ts)) WITHOUT ROWID;
                 CREATE TABLE camera_statuses (camera_id TEXT NOT NULL, ts INTEGER NOT NULL, state TEXT NOT NULL, fps REAL, bitrate_kbps REAL,
                   last_frame_at TEXT, tamper INTEGER, received_at INTEGER NOT NULL, PRIMARY KEY (camera_id, ts)) WITHOUT ROWID;
                 CREATE TABLE dead_letters (id INTEGER PRIMARY KEY AUTOINCREMENT, received_at INTEGER NOT NULL, topic TEXT NOT NULL,
                   payload BLOB NOT NULL, reason TEXT NOT NULL, detail TEXT NOT NULL);
                 INSERT INTO readings VALUES ('tam-ky-river', ${T0}, 120, NULL, NULL, NULL, ${T0});
                 PRAGMA user_version = 1;`)
    legacy.close()

    const report = restoreDatabase(join(dir, 'legacy.sqlite'), join(dir, 'data'), KNOWN, NOW)
    expect(report.schema).toEqual({ kind: 'user_version', version: 1 })
    expect(report.pending).toEqual(KNOWN.migrations)
    const store = await open(join(dir, 'data'))
    expect(await createReadingsRepository(store.db).count('tam-ky-river')).toBe(1)
  })

  it('moves aside WAL files left without their database instead of letting SQLite replay them', async () => {
    const { dir, open } = tempDir()
    await storeWithReadings(open, join(dir, 'source'), 2)
    const backup = await backupDatabase(databaseFile(join(dir, 'source')), join(dir, 'b.sqlite'))
    const data = join(dir, 'data')
    mkdirSync(data)
    writeFileSync(join(data, 'ioc.sqlite-wal'), 'left by a crash')

    const report = restoreDatabase(backup.file, data, KNOWN, NOW)
    expect(report.orphansKept).toEqual([join(data, 'ioc.sqlite.before-restore-20250102T030405Z-wal')])
    expect(existsSync(join(data, 'ioc.sqlite-wal'))).toBe(false)
  })
})
