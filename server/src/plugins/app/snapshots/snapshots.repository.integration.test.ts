import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ENGINES, MINUTE, T0, freshLocation } from '../storage/test-databases.ts'
import { createSnapshotsRepository } from './snapshots.repository.ts'
import { pruneSnapshots } from './snapshot-retention.ts'

const DAY = 86_400_000
/** A stand-in picture: the repository stores bytes as they are (the ingest checks them). */
const jpeg = (n: number) => Buffer.from(`\xff\xd8 picture ${n} \xff\xd9`, 'latin1')

/** The snapshots contract, against SQLite (pictures in files) and PostgreSQL (pictures in the rows). */
describe.each(ENGINES)('snapshots repository on $name', (engine) => {
  const freshStore = async () => {
    const located = freshLocation(engine)
    const database = await located.open()
    const location = await located.location
    const dir = 'dataDir' in location && location.dataDir ? join(location.dataDir, 'snapshots') : undefined
    return { snapshots: createSnapshotsRepository({ db: database.db, dir }), dir }
  }
  const put = (repo: Awaited<ReturnType<typeof freshStore>>['snapshots'], cameraId: string, tsMs: number, n = tsMs) =>
    repo.insert({ cameraId, tsMs, width: 640, height: 360, jpeg: jpeg(n) }, tsMs)

  it('stores a picture and gives back the same bytes, newest or by time', async () => {
    const { snapshots, dir } = await freshStore()
    expect(await put(snapshots, 'cam-cau-tam-ky', T0)).toBe(true)
    expect(await put(snapshots, 'cam-cau-tam-ky', T0 + MINUTE)).toBe(true)
    const latest = await snapshots.read('cam-cau-tam-ky', 'latest')
    expect(latest?.snapshot).toEqual({ cameraId: 'cam-cau-tam-ky', tsMs: T0 + MINUTE, width: 640, height: 360, bytes: jpeg(T0 + MINUTE).byteLength })
    expect(latest?.jpeg.equals(jpeg(T0 + MINUTE))).toBe(true)
    expect((await snapshots.read('cam-cau-tam-ky', T0))?.jpeg.equals(jpeg(T0))).toBe(true)
    expect(await snapshots.read('cam-cau-tam-ky', T0 + 1)).toBeUndefined()
    expect(await snapshots.read('cam-bach-dang', 'latest')).toBeUndefined()
    // SQLite: a file per picture, and no temporary file left behind. PostgreSQL: nothing on disk.
    if (dir) expect(readdirSync(join(dir, 'cam-cau-tam-ky')).sort()).toEqual([`${T0}.jpg`, `${T0 + MINUTE}.jpg`])
  })

  it('keeps the first of a redelivered snapshot, picture and row alike', async () => {
    const { snapshots } = await freshStore()
    await put(snapshots, 'cam-cau-tam-ky', T0, 1)
    expect(await put(snapshots, 'cam-cau-tam-ky', T0, 2)).toBe(false)
    expect((await snapshots.read('cam-cau-tam-ky', T0))?.jpeg.equals(jpeg(1))).toBe(true)
  })

  it('lists a window oldest first, and the newest of each camera', async () => {
    const { snapshots } = await freshStore()
    for (const ts of [T0 + 2 * MINUTE, T0, T0 + MINUTE]) await put(snapshots, 'cam-cau-tam-ky', ts)
    await put(snapshots, 'cam-bach-dang', T0)
    expect((await snapshots.list('cam-cau-tam-ky', T0, T0 + MINUTE)).map((s) => s.tsMs)).toEqual([T0, T0 + MINUTE])
    const latest = await snapshots.latest(['cam-cau-tam-ky', 'cam-bach-dang', 'cam-ql1-tam-ngoc'])
    expect(Object.fromEntries([...latest].map(([id, s]) => [id, s.tsMs]))).toEqual({ 'cam-cau-tam-ky': T0 + 2 * MINUTE, 'cam-bach-dang': T0 })
  })

  it('thins to one per 10 minutes, drops after 7 days, always keeps the newest — files too', async () => {
    const { snapshots, dir } = await freshStore()
    const now = T0 + 8 * DAY
    // A camera silent for 8 days: its one old picture stays. Another: one a minute for the last 20 minutes, and one 8 days old.
    await put(snapshots, 'cam-bach-dang', T0)
    await put(snapshots, 'cam-cau-tam-ky', T0)
    for (let i = 20; i >= 1; i--) await put(snapshots, 'cam-cau-tam-ky', now - i * MINUTE)
    const policy = { intervalMs: 10 * MINUTE, keepMs: 7 * DAY }
    const { dropped } = await pruneSnapshots(snapshots, now, policy, 0)
    const kept = (await snapshots.list('cam-cau-tam-ky', 0, now)).map((s) => s.tsMs)
    // Slots start on the epoch's 10 minutes: now - 20 min and now - 10 min each begin one; now - 1 min is the newest.
    expect(kept).toEqual([now - 20 * MINUTE, now - 10 * MINUTE, now - MINUTE])
    expect(dropped).toBe(21 - 3)
    expect((await snapshots.list('cam-bach-dang', 0, now)).map((s) => s.tsMs)).toEqual([T0])
    if (dir) expect(readdirSync(join(dir, 'cam-cau-tam-ky')).sort()).toEqual(kept.map((ts) => `${ts}.jpg`).sort())
    if (dir) expect(existsSync(join(dir, 'cam-cau-tam-ky', `${T0}.jpg`))).toBe(false)
  })
})
