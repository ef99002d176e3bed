import fp from 'fastify-plugin'
import { openDatabase, type DatabaseHandle } from './database-handle.ts'

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

/** Opens the database (migrating it), and closes it last. */
export default fp(
  async (fastify, opts: StorageOptions) => {
    const database = await openDatabase(opts.dbUrl ? { url: opts.dbUrl } : { dataDir: opts.dataDir })
    fastify.decorate('database', database)
    fastify.log.info({ engine: database.engine, ...(opts.dbUrl ? {} : { dataDir: opts.dataDir }) }, 'store opened')
    fastify.addHook('onClose', () => database.close())
  },
  { name: 'storage' },
)
