import fp from 'fastify-plugin'
import { openDatabase, type DatabaseHandle } from './database-handle.ts'
import { sqliteFile } from './database.ts'
import { startWalCheckpointer } from './wal-checkpointer.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The database every repository is made on (`fastify.database.db`). */
    database: DatabaseHandle
  }
}

export interface StorageOptions {
  /** PostgreSQL (IOC_DB_URL); unset: SQLite under dataDir. */
  dbUrl: string | undefined
  dataDir: string
}

/**
 * Opens the database (migrating it), and closes it last. A SQLite file gets its WAL checkpoints on a
 * thread of their own (wal-checkpointer.ts), stopped before the store closes.
 */
export default fp(
  async (fastify, opts: StorageOptions) => {
    const database = await openDatabase(opts.dbUrl ? { url: opts.dbUrl } : { dataDir: opts.dataDir })
    fastify.decorate('database', database)
    fastify.log.info({ engine: database.engine, ...(opts.dbUrl ? {} : { dataDir: opts.dataDir }) }, 'store opened')
    const file = opts.dbUrl ? undefined : sqliteFile(opts.dataDir)
    const checkpointer = file ? await startWalCheckpointer({ file, db: database.db, log: fastify.log }) : undefined
    fastify.addHook('onClose', async () => {
      await checkpointer?.stop()
      await database.close()
    })
  },
  { name: 'storage' },
)
