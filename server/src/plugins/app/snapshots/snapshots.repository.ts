import { randomBytes } from 'node:crypto'
import { link, mkdir, open, readdir, readFile, rm, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../storage/database.ts'
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../storage/private-files.ts'

/** A stored snapshot, without its picture. `tsMs` is its key with the camera. */
export interface SnapshotRow {
  cameraId: string
  tsMs: number
  width: number
  height: number
  bytes: number
}

export interface NewSnapshot extends Omit<SnapshotRow, 'bytes'> {
  jpeg: Uint8Array
}

export interface SnapshotsStoreOptions {
  db: Kysely<Database>
  /**
   * Where the pictures are files (SQLite: IOC_DATA_DIR/snapshots). Undefined: in the row itself
   * (PostgreSQL), so that every instance of a cluster reads every picture.
   */
  dir: string | undefined
}

/**
 * The snapshots of every camera: their metadata in `camera_snapshots`, their JPEG in a file
 * `<dir>/<cameraId>/<tsMs>.jpg` (SQLite) or in the row's `jpeg` column (PostgreSQL). A file is written
 * whole (a temporary file, then a hard link to its name) before its row, and a row deleted before its
 * file: a row never points at nothing, and a process killed in between leaves at most a stray file.
 */
export function createSnapshotsRepository({ db, dir }: SnapshotsStoreOptions) {
  const fileOf = (cameraId: string, tsMs: number) => join(dir!, cameraId, `${tsMs}.jpg`)
  const toRow = (r: { camera_id: string; ts: number; width: number; height: number; bytes: number }): SnapshotRow => ({
    cameraId: r.camera_id,
    tsMs: Number(r.ts),
    width: Number(r.width),
    height: Number(r.height),
    bytes: Number(r.bytes),
  })

  /** Writes the picture's file, unless one of that name is there (a redelivery): the first one stays, as its row does. */
  async function writeFile(cameraId: string, tsMs: number, jpeg: Uint8Array): Promise<void> {
    const folder = join(dir!, cameraId)
    await mkdir(folder, { recursive: true, mode: PRIVATE_DIR_MODE })
    const temporary = join(folder, `.${tsMs}.${randomBytes(6).toString('hex')}.tmp`)
    const handle = await open(temporary, 'wx', PRIVATE_FILE_MODE)
    try {
      await handle.writeFile(jpeg)
      // On disk before the row that names it: a power cut must not leave a row with half a picture.
      await handle.sync()
    } finally {
      await handle.close()
    }
    try {
      await link(temporary, fileOf(cameraId, tsMs))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    } finally {
      await unlink(temporary)
    }
  }

  async function deleteRows(cameraId: string, tsList: readonly number[]): Promise<void> {
    for (let i = 0; i < tsList.length; i += 500) {
      const batch = tsList.slice(i, i + 500)
      await db.deleteFrom('camera_snapshots').where('camera_id', '=', cameraId).where('ts', 'in', batch).execute()
      if (dir) await Promise.all(batch.map((ts) => rm(fileOf(cameraId, ts), { force: true })))
    }
  }

  return {
    /** Where pictures are files, or undefined when they are in the database. */
    dir,

    /** Stores one snapshot; false when that camera already has one at that time (a redelivery). */
    async insert(snapshot: NewSnapshot, receivedAtMs: number): Promise<boolean> {
      const { cameraId, tsMs, width, height, jpeg } = snapshot
      if (dir) await writeFile(cameraId, tsMs, jpeg)
      const result = await db
        .insertInto('camera_snapshots')
        .values({ camera_id: cameraId, ts: tsMs, width, height, bytes: jpeg.byteLength, jpeg: dir ? null : Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength), received_at: receivedAtMs })
        .onConflict((oc) => oc.columns(['camera_id', 'ts']).doNothing())
        .executeTakeFirst()
      return Number(result.numInsertedOrUpdatedRows ?? 0) === 1
    },

    /** The newest snapshot of each of these cameras that has one. */
    async latest(cameraIds: readonly string[]): Promise<Map<string, SnapshotRow>> {
      const latest = new Map<string, SnapshotRow>()
      if (cameraIds.length === 0) return latest
      const rows = await db
        .selectFrom('camera_snapshots as s')
        .select(['s.camera_id', 's.ts', 's.width', 's.height', 's.bytes'])
        .where('s.camera_id', 'in', cameraIds)
        .where('s.ts', '=', (eb) => eb.selectFrom('camera_snapshots as m').select(sql<number>`max(m.ts)`.as('ts')).whereRef('m.camera_id', '=', 's.camera_id'))
        .execute()
      for (const row of rows) latest.set(row.camera_id, toRow(row))
      return latest
    },

    /** A camera's snapshots with `fromMs <= ts <= toMs`, oldest first. */
    async list(cameraId: string, fromMs: number, toMs: number): Promise<SnapshotRow[]> {
      const rows = await db
        .selectFrom('camera_snapshots')
        .select(['camera_id', 'ts', 'width', 'height', 'bytes'])
        .where('camera_id', '=', cameraId)
        .where('ts', '>=', fromMs)
        .where('ts', '<=', toMs)
        .orderBy('ts')
        .execute()
      return rows.map(toRow)
    },

    /** One snapshot and its picture: the one at `tsMs`, or the newest; undefined when there is none. */
    async read(cameraId: string, tsMs: number | 'latest'): Promise<{ snapshot: SnapshotRow; jpeg: Buffer } | undefined> {
      let query = db.selectFrom('camera_snapshots').select(['camera_id', 'ts', 'width', 'height', 'bytes', 'jpeg']).where('camera_id', '=', cameraId)
      query = tsMs === 'latest' ? query.orderBy('ts', 'desc').limit(1) : query.where('ts', '=', tsMs)
      const row = await query.executeTakeFirst()
      if (!row) return undefined
      const snapshot = toRow(row)
      if (!dir) return { snapshot, jpeg: row.jpeg! }
      try {
        return { snapshot, jpeg: await readFile(fileOf(cameraId, snapshot.tsMs)) }
      } catch (error) {
        // Deleted by retention between the row's read and the file's: as if it had gone a moment sooner.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
        throw error
      }
    },

    /** Every camera's snapshots taken before `beforeMs`, oldest first, and its newest snapshot's time. */
    async expired(beforeMs: number): Promise<Map<string, { times: number[]; newestMs: number }>> {
      const rows = await db
        .selectFrom('camera_snapshots as s')
        .select(['s.camera_id', 's.ts', (eb) => eb.selectFrom('camera_snapshots as m').select(sql<number>`max(m.ts)`.as('n')).whereRef('m.camera_id', '=', 's.camera_id').as('newest')])
        .where('s.ts', '<', beforeMs)
        .orderBy('s.camera_id')
        .orderBy('s.ts')
        .execute()
      const byCamera = new Map<string, { times: number[]; newestMs: number }>()
      for (const row of rows) {
        const entry = byCamera.get(row.camera_id) ?? { times: [], newestMs: Number(row.newest) }
        entry.times.push(Number(row.ts))
        byCamera.set(row.camera_id, entry)
      }
      return byCamera
    },

    /** The oldest snapshot time, per camera, among those received at or after `sinceMs` (what thinning must look at again). */
    async receivedSince(sinceMs: number): Promise<Map<string, number>> {
      const rows = await db
        .selectFrom('camera_snapshots')
        .select(['camera_id', sql<number>`min(ts)`.as('ts')])
        .where('received_at', '>=', sinceMs)
        .groupBy('camera_id')
        .execute()
      return new Map(rows.map((r) => [r.camera_id, Number(r.ts)]))
    },

    /** The times of a camera's snapshots from `fromMs` on, oldest first. */
    async timesFrom(cameraId: string, fromMs: number): Promise<number[]> {
      const rows = await db.selectFrom('camera_snapshots').select('ts').where('camera_id', '=', cameraId).where('ts', '>=', fromMs).orderBy('ts').execute()
      return rows.map((r) => Number(r.ts))
    },

    /** Deletes these snapshots of a camera, rows first, then their files. */
    deleteMany: deleteRows,

    /**
     * Files under `dir` no row names (a process killed between a file and its row, or a temporary file):
     * removed when last modified before `olderThanMs`, so that a write under way is never taken.
     */
    async removeStrayFiles(olderThanMs: number): Promise<number> {
      if (!dir) return 0
      let removed = 0
      let cameras: string[]
      try {
        cameras = await readdir(dir)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
        throw error
      }
      for (const cameraId of cameras) {
        const names = await readdir(join(dir, cameraId)).catch(() => [] as string[])
        const kept = new Set((await db.selectFrom('camera_snapshots').select('ts').where('camera_id', '=', cameraId).execute()).map((r) => `${Number(r.ts)}.jpg`))
        for (const name of names) {
          if (kept.has(name)) continue
          const modified = await stat(join(dir, cameraId, name)).then((st) => st.mtimeMs, () => Infinity)
          if (!(modified < olderThanMs)) continue
          await rm(join(dir, cameraId, name), { force: true })
          removed++
        }
      }
      return removed
    },
  }
}
export type SnapshotsRepository = ReturnType<typeof createSnapshotsRepository>
