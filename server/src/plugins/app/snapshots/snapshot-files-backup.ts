import { copyFile, link, mkdir, readdir, rename, stat } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { PRIVATE_DIR_MODE } from '../storage/private-files.ts'

/**
 * Camera snapshots in SQLite deployments are files (IOC_DATA_DIR/snapshots), not rows: `pnpm backup`
 * copies them beside the database backup, `ioc-<time>.snapshots/` next to `ioc-<time>.sqlite`, and
 * `pnpm restore` puts them back. A picture is never changed once written, so the copy is a hard link
 * where the backup is on the same file system: instant, and no second copy of the bytes.
 */

/** The snapshots folder that goes with a database backup file. */
export const snapshotsBackupOf = (backupFile: string): string => `${backupFile.replace(/\.sqlite$/, '')}.snapshots`

/** Links (or, across file systems, copies) every picture under `from` into `to`; returns how many and their bytes. */
async function copyTree(from: string, to: string): Promise<{ files: number; bytes: number }> {
  let files = 0
  let bytes = 0
  await mkdir(to, { recursive: true, mode: PRIVATE_DIR_MODE })
  for (const cameraId of await readdir(from)) {
    const source = join(from, cameraId)
    if (!(await stat(source)).isDirectory()) continue
    await mkdir(join(to, cameraId), { recursive: true, mode: PRIVATE_DIR_MODE })
    for (const name of await readdir(source)) {
      // Temporary files of a write under way are not pictures yet.
      if (!name.endsWith('.jpg') || name.startsWith('.')) continue
      const file = join(source, name)
      try {
        await link(file, join(to, cameraId, name))
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'EEXIST') continue
        if (code !== 'EXDEV' && code !== 'EPERM') throw error
        await copyFile(file, join(to, cameraId, name))
      }
      files++
      bytes += (await stat(file)).size
    }
  }
  return { files, bytes }
}

/**
 * Copies the data directory's snapshots beside the database backup `backupFile`. Run after the
 * database is backed up: a picture is written before its row, so every row in the backup has its
 * file. Undefined when there are no snapshots.
 */
export async function backupSnapshotFiles(dataDir: string, backupFile: string): Promise<{ dir: string; files: number; bytes: number } | undefined> {
  const from = join(dataDir, 'snapshots')
  if (!existsSync(from)) return undefined
  const dir = snapshotsBackupOf(backupFile)
  return { dir, ...(await copyTree(from, dir)) }
}

/**
 * Puts the snapshots kept with `backupFile` in place of the data directory's (server stopped), the
 * replaced folder kept beside it as `snapshots.before-restore-<stamp>`. Undefined when the backup has
 * none (a backup made before snapshots existed): the data directory's are left as they are.
 */
export async function restoreSnapshotFiles(backupFile: string, dataDir: string, stamp: string): Promise<{ files: number; keptAs: string | undefined } | undefined> {
  const from = snapshotsBackupOf(backupFile)
  if (!existsSync(from)) return undefined
  const live = join(dataDir, 'snapshots')
  let keptAs: string | undefined
  if (existsSync(live)) {
    keptAs = `${live}.before-restore-${stamp}`
    await rename(live, keptAs)
  }
  const { files } = await copyTree(from, live)
  return { files, keptAs }
}
