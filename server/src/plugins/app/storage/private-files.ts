import { chmodSync, closeSync, existsSync, fchmodSync, mkdirSync, openSync, statSync } from 'node:fs'

/**
 * Owner-only files for the SQLite store and its backups: they hold password hashes, session digests,
 * device credential hashes and every reading, and no other account of the machine should read them.
 * The modes are set explicitly, not left to the umask — a umask of 022, the common default, would
 * leave them readable by every user.
 */

export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600
/** What SQLite keeps beside a database in WAL mode. */
const COMPANIONS = ['-wal', '-shm'] as const

/**
 * Creates `dir` (with any missing parents) owner-only. An existing directory keeps its mode: an
 * operator who opened it to a group did so on purpose.
 */
export function ensurePrivateDir(dir: string): void {
  if (existsSync(dir)) return
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  chmodSync(dir, PRIVATE_DIR_MODE)
}

/**
 * Creates `file` empty and owner-only unless it exists (an existing file keeps its mode). An empty file
 * is an empty SQLite database: better-sqlite3 and the backup API then write into a file whose mode is
 * already right, with no moment in which it is readable by others.
 */
export function createPrivateFile(file: string): void {
  let fd: number
  try {
    fd = openSync(file, 'wx', PRIVATE_FILE_MODE)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return
    throw error
  }
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE)
  } finally {
    closeSync(fd)
  }
}

/** Gives the database's `-wal` and `-shm` files, where present, the database file's own mode. */
export function matchCompanionModes(file: string): void {
  const mode = statSync(file).mode & 0o777
  for (const suffix of COMPANIONS) {
    try {
      chmodSync(file + suffix, mode)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
  }
}
