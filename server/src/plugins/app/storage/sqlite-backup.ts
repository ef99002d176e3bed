import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, openSync, readSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { PRIVATE_FILE_MODE, createPrivateFile, ensurePrivateDir } from './private-files.ts'

/**
 * Online backup and offline restore of the embedded SQLite store (`pnpm backup`, `pnpm restore`;
 * docs/storage-and-backups.md, "Backups and export"). Works on the database file, below the repositories: the server
 * keeps running during a backup, and must be stopped for a restore.
 */

/** The store's file inside IOC_DATA_DIR. */
export const DB_FILE_NAME = 'ioc.sqlite'
/** Tables every database of this app holds, whatever its schema version. */
export const EXPECTED_TABLES = ['readings', 'camera_statuses'] as const
/**
 * The schema version (PRAGMA user_version) of the store before versioned Kysely migrations; the first
 * migration adopts such a database, so a backup that old still restores.
 */
export const LEGACY_USER_VERSION = 1
/** How long a restore waits for a lock on the current database before deciding a server holds it. */
const LOCK_WAIT_MS = 1000
/** Pages per backup step, chosen so the whole copy is one step: see backupDatabase. */
const ALL_PAGES = 0x7fffffff
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1')
/** Files SQLite keeps beside a database while it is open or after a crash. */
const SIDE_FILES = ['-wal', '-shm', '-journal'] as const

export type BackupProblem = 'missing' | 'exists' | 'not_sqlite' | 'not_this_app' | 'corrupt' | 'newer_schema' | 'in_use' | 'same_file'

/** A refusal, with a message written for the person who typed the command. */
export class BackupError extends Error {
  override name = 'BackupError'
  constructor(
    readonly problem: BackupProblem,
    message: string,
  ) {
    super(message)
  }
}

/** What a database says about its schema: Kysely's migration table, else SQLite's user_version. */
export type MigrationState = { kind: 'kysely'; applied: string[] } | { kind: 'user_version'; version: number }

/** The schema this server can run. */
export interface KnownSchema {
  /** Names of the migrations this server has. */
  migrations: readonly string[]
}

export interface DatabaseReport {
  schema: MigrationState
  rows: { readings: number; cameraStatuses: number }
}

export interface BackupReport extends DatabaseReport {
  file: string
  bytes: number
}

export interface RestoreReport extends DatabaseReport {
  /** Where the database that was in place now is; undefined when the data directory had none. */
  keptAs: string | undefined
  /** Side files of a database that was not there (a crash left them), moved aside rather than replayed. */
  orphansKept: string[]
  /** Migrations the server will apply when it starts on the restored database. */
  pending: string[]
}

export const databaseFile = (dataDir: string) => join(dataDir, DB_FILE_NAME)

/** `20241030T070000Z`: UTC, sortable, and legal in a file name everywhere. */
export function fileTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}/, '').replaceAll(/[-:]/g, '')
}

/**
 * Copies the live database to `out` while the server keeps writing to it, through SQLite's online
 * backup API, and checks the copy. `out` appears only once it is complete: until then it is
 * `<out>.partial`. The copy is one self-contained file (rollback-journal mode, no `-wal`).
 */
export async function backupDatabase(source: string, out: string): Promise<BackupReport> {
  if (!existsSync(source)) throw new BackupError('missing', `there is no database at ${source}: has the server run with this data directory?`)
  if (existsSync(out)) throw new BackupError('exists', `${out} already exists; choose another file`)
  ensurePrivateDir(dirname(out))
  const partial = `${out}.partial`
  removeWithSideFiles(partial)
  // Owner-only from its first byte, like the store it copies (private-files.ts).
  createPrivateFile(partial)

  const live = new Database(source, { fileMustExist: true, timeout: 5000 })
  try {
    requireAppTables(live, source)
    // All pages in one step: one read transaction, hence one consistent snapshot. Copied in small
    // steps, every write the server commits between two steps would restart the copy, and a busy
    // server could keep it from ever finishing. In WAL mode the server goes on writing meanwhile.
    await live.backup(partial, { progress: () => ALL_PAGES })
  } catch (error) {
    removeWithSideFiles(partial)
    throw error
  } finally {
    live.close()
  }

  try {
    const copy = new Database(partial, { fileMustExist: true })
    let report: DatabaseReport
    try {
      // The copy carries the live file's WAL flag; a backup should be one file that can be moved alone.
      copy.pragma('journal_mode = DELETE')
      requireIntegrity(copy, `the backup of ${source}`)
      report = inspect(copy)
    } finally {
      copy.close()
    }
    removeSideFiles(partial)
    renameSync(partial, out)
    syncDirectory(dirname(out))
    return { ...report, file: out, bytes: statSync(out).size }
  } catch (error) {
    removeWithSideFiles(partial)
    throw error
  }
}

/**
 * Puts the database `file` in place of the data directory's, after checking it is a sound database
 * of this app with a schema this server knows, and that no server has the current one open. The
 * current database is kept beside it as `ioc.sqlite.before-restore-<timestamp>`.
 */
export function restoreDatabase(file: string, dataDir: string, known: KnownSchema, now: Date = new Date()): RestoreReport {
  if (!existsSync(file)) throw new BackupError('missing', `there is no file ${file}`)
  requireSqliteHeader(file)
  ensurePrivateDir(dataDir)
  const target = databaseFile(dataDir)
  if (existsSync(target) && realpathSync(target) === realpathSync(file)) {
    throw new BackupError('same_file', `${file} is the database in use in ${dataDir}; restore from a backup, not from the database itself`)
  }

  // Held until the restored file is in place: a server starting meanwhile waits, then fails to open.
  const lock = lockCurrent(target)
  const stamp = fileTimestamp(now)
  const staging = `${target}.restoring-${stamp}`
  try {
    // Checks run on the copy that will be put in place, so what was checked is what is restored.
    copyFileSync(file, staging)
    // The copy carries the backup's mode; the store is owner-only whatever the backup was.
    chmodSync(staging, PRIVATE_FILE_MODE)
    // A database copied while open may have committed pages still in its WAL: they belong together.
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${staging}-wal`)
    let report: DatabaseReport
    const copy = new Database(staging, { fileMustExist: true })
    try {
      requireAppTables(copy, file)
      requireIntegrity(copy, file)
      report = inspect(copy)
      requireKnownSchema(report.schema, known, file)
      // Folds any copied WAL into the file: the restored database is complete by itself.
      copy.pragma('journal_mode = DELETE')
    } finally {
      copy.close()
    }
    removeSideFiles(staging)

    let keptAs: string | undefined
    const orphansKept: string[] = []
    if (lock) {
      // Checkpoints the current WAL into its file, which SQLite then deletes: the kept database is
      // complete, and no WAL is left behind for SQLite to replay onto the restored file.
      lock.pragma('journal_mode = DELETE')
      keptAs = `${target}.before-restore-${stamp}`
      renameSync(target, keptAs)
      removeSideFiles(target)
    } else {
      // Side files with no database (a crash, or a database deleted by hand) would be replayed onto
      // the restored one: move them aside, unread.
      for (const suffix of SIDE_FILES) {
        if (!existsSync(target + suffix)) continue
        const aside = `${target}.before-restore-${stamp}${suffix}`
        renameSync(target + suffix, aside)
        orphansKept.push(aside)
      }
    }
    renameSync(staging, target)
    syncDirectory(dataDir)
    const pending = known.migrations.filter((name) => report.schema.kind === 'user_version' || !report.schema.applied.includes(name))
    return { ...report, keptAs, orphansKept, pending }
  } catch (error) {
    removeWithSideFiles(staging)
    throw error
  } finally {
    lock?.close()
  }
}

/** The schema state a database records, read without assuming which migration system made it. */
export function readMigrationState(db: Database.Database): MigrationState {
  const kysely = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'").get()
  if (kysely) return { kind: 'kysely', applied: db.prepare<[], string>('SELECT name FROM kysely_migration ORDER BY name').pluck().all() }
  return { kind: 'user_version', version: db.pragma('user_version', { simple: true }) as number }
}

/** One line about a schema, for people. */
export function describeSchema(state: MigrationState): string {
  if (state.kind === 'user_version') return `no Kysely migrations; PRAGMA user_version ${state.version} (made before versioned migrations)`
  const n = state.applied.length
  return `${n} Kysely migration${n === 1 ? '' : 's'} applied${n > 0 ? `, latest ${state.applied[n - 1]}` : ''}`
}

function inspect(db: Database.Database): DatabaseReport {
  const count = (table: string) => db.prepare<[], number>(`SELECT COUNT(*) FROM ${table}`).pluck().get()!
  return { schema: readMigrationState(db), rows: { readings: count('readings'), cameraStatuses: count('camera_statuses') } }
}

function requireSqliteHeader(file: string): void {
  const header = Buffer.alloc(SQLITE_MAGIC.length)
  const fd = openSync(file, 'r')
  let read: number
  try {
    read = readSync(fd, header, 0, header.length, 0)
  } finally {
    closeSync(fd)
  }
  if (read < header.length || !header.equals(SQLITE_MAGIC)) throw new BackupError('not_sqlite', `${file} is not a SQLite database`)
}

function requireAppTables(db: Database.Database, file: string): void {
  let tables: string[]
  try {
    tables = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') throw new BackupError('not_sqlite', `${file} is not a SQLite database`)
    if ((error as { code?: string }).code === 'SQLITE_CORRUPT') throw new BackupError('corrupt', `${file} is damaged: ${(error as Error).message}`)
    throw error
  }
  const missing = EXPECTED_TABLES.filter((table) => !tables.includes(table))
  if (missing.length > 0) {
    const found = tables.length === 0 ? 'no tables at all' : `tables ${tables.slice(0, 8).join(', ')}${tables.length > 8 ? ', …' : ''}`
    throw new BackupError('not_this_app', `${file} is a SQLite database, but not one of Tam Kỳ IOC: it lacks ${missing.join(', ')} (it has ${found})`)
  }
}

function requireIntegrity(db: Database.Database, what: string): void {
  const problems = db.prepare<[], string>('PRAGMA integrity_check').pluck().all()
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new BackupError('corrupt', `${what} fails SQLite's integrity check: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`)
  }
}

function requireKnownSchema(state: MigrationState, known: KnownSchema, file: string): void {
  if (state.kind === 'kysely') {
    const unknown = state.applied.filter((name) => !known.migrations.includes(name))
    if (unknown.length > 0) {
      throw new BackupError('newer_schema', `${file} was migrated by a newer server (migrations ${unknown.join(', ')} are unknown here): upgrade this server, then restore`)
    }
  } else if (state.version > LEGACY_USER_VERSION) {
    throw new BackupError('newer_schema', `${file} has schema version ${state.version} (PRAGMA user_version) and no Kysely migrations: this server does not know that schema`)
  }
}

/**
 * Opens the current database and takes SQLite's exclusive lock on it. A plain `BEGIN EXCLUSIVE` is
 * not enough in WAL mode — readers, and an idle server, do not conflict with it — but a connection in
 * exclusive locking mode needs the database file to itself, which fails while any other connection
 * (another process included) has it open.
 */
function lockCurrent(target: string): Database.Database | undefined {
  if (!existsSync(target)) return undefined
  const db = new Database(target, { fileMustExist: true, timeout: LOCK_WAIT_MS })
  try {
    db.pragma('locking_mode = EXCLUSIVE')
    db.exec('BEGIN EXCLUSIVE')
    db.exec('COMMIT')
    return db
  } catch (error) {
    db.close()
    const code = (error as { code?: string }).code
    if (code === 'SQLITE_BUSY') {
      throw new BackupError('in_use', `${target} is in use (a server is running on this data directory?): stop the server first, then restore`)
    }
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new BackupError('corrupt', `the current database ${target} cannot be read (${(error as Error).message}): move it out of the data directory by hand, then restore`)
    }
    throw error
  }
}

function removeSideFiles(file: string): void {
  for (const suffix of SIDE_FILES) rmSync(file + suffix, { force: true })
}

function removeWithSideFiles(file: string): void {
  rmSync(file, { force: true })
  removeSideFiles(file)
}

/** Makes renames in `dir` durable: a power cut right after must not bring back the old names. */
function syncDirectory(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // Some platforms cannot open or sync a directory; the rename stands, only its durability is weaker.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
