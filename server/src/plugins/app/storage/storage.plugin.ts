import fp from 'fastify-plugin'
import { openStore } from '../readings/readings.repository.ts'
import type { Store } from './database-handle.ts'

declare module 'fastify' {
  interface FastifyInstance {
    store: Store
  }
}

export interface StorageOptions {
  /** PostgreSQL (IOC_DB_URL); unset: SQLite under dataDir. */
  dbUrl: string | undefined
  dataDir: string
  /** Days raw readings and camera statuses are kept (IOC_RETENTION_DAYS); hourly rollups stay. */
  retentionDays: number
  /**
   * How often rollups and pruning run.
   * @defaultValue 60 000 ms
   */
  maintenanceEveryMs?: number
}

/** Opens the store (migrating it) and keeps rollups and retention up to date in the background. */
export default fp(
  async (fastify, opts: StorageOptions) => {
    const store = await openStore(opts.dbUrl ? { url: opts.dbUrl } : { dataDir: opts.dataDir })
    fastify.decorate('store', store)
    fastify.log.info({ engine: store.engine, ...(opts.dbUrl ? {} : { dataDir: opts.dataDir }), retentionDays: opts.retentionDays }, 'store opened')

    const log = fastify.log.child({ component: 'storage' })
    let running: Promise<void> | undefined
    const maintain = () => {
      // Several instances: the leader alone, so rollups are not computed twice at once.
      if (!fastify.cluster.leadership.isLeader()) return
      running ??= (async () => {
        const rolledUp = await store.rollUp()
        const pruned = await store.prune(Date.now() - opts.retentionDays * 86_400_000)
        if (rolledUp > 0 || pruned.readings > 0 || pruned.cameraStatuses > 0) log.debug({ rolledUp, pruned }, 'storage maintenance')
      })()
        .catch((error: unknown) => log.error({ err: error }, 'storage maintenance failed; retrying at the next run'))
        .finally(() => (running = undefined))
    }
    const timer = setInterval(maintain, opts.maintenanceEveryMs ?? 60_000)
    timer.unref()
    fastify.addHook('onClose', async () => {
      clearInterval(timer)
      await running
      await store.close()
    })
  },
  { name: 'storage', dependencies: ['cluster'] },
)
