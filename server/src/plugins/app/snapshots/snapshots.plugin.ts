import { join } from 'node:path'
import fp from 'fastify-plugin'
import { createSnapshotsRepository, type SnapshotRow, type SnapshotsRepository } from './snapshots.repository.ts'
import { downscaleJpeg } from './jpeg-resize.ts'
import { pruneSnapshots, type SnapshotPolicy } from './snapshot-retention.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Cameras' snapshots: stored by the ingest and the camera's own PUT, read by the camera routes. */
    snapshots: SnapshotsService
  }
}

export interface SnapshotsOptions {
  /** IOC_DATA_DIR: with SQLite, pictures are files under its `snapshots/` folder. */
  dataDir: string
  policy: SnapshotPolicy
  /**
   * How often retention runs, on the cluster's leader.
   * @defaultValue 60 000 ms
   */
  maintenanceEveryMs?: number
}

/** How many downscaled pictures are remembered (a 640 px one is ~40 KB; a 160 px one ~5 KB). */
const MEMO_ENTRIES = 256
/** The camera panel's and the citizens' page's picture width: thumbnails are made from it. */
const PANEL_WIDTH = 640

export interface SnapshotsService {
  repository: SnapshotsRepository
  policy: SnapshotPolicy
  /**
   * A snapshot's JPEG — the newest, or the one at `tsMs` — no wider than `maxWidth` when given;
   * undefined when there is none. Downscaled pictures are remembered (the same few are asked for by
   * every open dashboard and every citizen's phone).
   */
  picture(cameraId: string, tsMs: number | 'latest', maxWidth?: number): Promise<{ snapshot: SnapshotRow; jpeg: Buffer } | undefined>
  /** One retention run now (the background one runs on the leader every minute). */
  prune(nowMs?: number): Promise<number>
}

/** Camera snapshots: their store (files or PostgreSQL), downscaled copies, and their retention. */
export default fp(
  async (fastify, opts: SnapshotsOptions) => {
    const { db, engine } = fastify.database
    const repository = createSnapshotsRepository({ db, dir: engine === 'sqlite' ? join(opts.dataDir, 'snapshots') : undefined })
    // Downscaled pictures, by camera, time and width; a promise, so that the dashboards asking for the
    // same new picture at once share one decode.
    const memo = new Map<string, Promise<Buffer>>()
    const remember = (key: string, jpeg: Promise<Buffer>) => {
      memo.delete(key)
      memo.set(key, jpeg)
      while (memo.size > MEMO_ENTRIES) memo.delete(memo.keys().next().value!)
    }
    /**
     * A thumbnail narrower than the panel's picture is made from that one (memoised too): a tenth of
     * the pixels to decode. The work runs on sharp's threads, off the event loop.
     */
    const downscaled = (found: { snapshot: SnapshotRow; jpeg: Buffer }, maxWidth: number): Promise<Buffer> => {
      const key = `${found.snapshot.cameraId}/${found.snapshot.tsMs}/${maxWidth}`
      let jpeg = memo.get(key)
      if (!jpeg) {
        const from = maxWidth < PANEL_WIDTH && found.snapshot.width > PANEL_WIDTH ? downscaled(found, PANEL_WIDTH) : Promise.resolve(found.jpeg)
        jpeg = from.then((source) => downscaleJpeg(source, maxWidth))
        // A picture that fails to decode is not remembered: the next request says so again.
        jpeg.catch(() => memo.delete(key))
      }
      remember(key, jpeg)
      return jpeg
    }

    let sinceMs = 0
    const service: SnapshotsService = {
      repository,
      policy: opts.policy,
      async picture(cameraId, tsMs, maxWidth) {
        const found = await repository.read(cameraId, tsMs)
        if (!found || maxWidth === undefined || found.snapshot.width <= maxWidth) return found
        return { snapshot: found.snapshot, jpeg: await downscaled(found, maxWidth) }
      },
      async prune(nowMs = Date.now()) {
        const { dropped, nextSinceMs } = await pruneSnapshots(repository, nowMs, opts.policy, sinceMs)
        sinceMs = nextSinceMs
        // A file a killed process left without its row: removed once it is an hour old.
        await repository.removeStrayFiles(nowMs - 3_600_000)
        return dropped
      },
    }
    fastify.decorate('snapshots', service)
    fastify.log.info({ intervalMinutes: opts.policy.intervalMs / 60_000, keepDays: opts.policy.keepMs / 86_400_000, where: engine === 'sqlite' ? join(opts.dataDir, 'snapshots') : 'PostgreSQL' }, 'camera snapshots: the newest per camera, and one per interval for the days kept')

    // Where readings' retention runs: in the background, on the leader only, one run at a time.
    let running: Promise<void> | undefined
    const log = fastify.log.child({ component: 'snapshots' })
    const timer = setInterval(() => {
      if (!fastify.cluster.leadership.isLeader()) return
      running ??= service
        .prune()
        .then((dropped) => void (dropped > 0 && log.debug({ dropped }, 'snapshot retention')))
        .catch((error: unknown) => log.error({ err: error }, 'snapshot retention failed; retrying at the next run'))
        .finally(() => (running = undefined))
    }, opts.maintenanceEveryMs ?? 60_000)
    timer.unref()
    fastify.addHook('onClose', async () => {
      clearInterval(timer)
      await running
    })
  },
  { name: 'snapshots', dependencies: ['storage', 'cluster'] },
)
