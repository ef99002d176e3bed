import fp from 'fastify-plugin'
import { openSqliteStore } from './sqlite-store.ts'
import type { Store } from './store.ts'

declare module 'fastify' {
  interface FastifyInstance {
    store: Store
  }
}

export default fp(
  async (fastify, opts: { dataDir: string }) => {
    const store = openSqliteStore({ dataDir: opts.dataDir })
    fastify.decorate('store', store)
    fastify.addHook('onClose', async () => store.close())
    fastify.log.info({ engine: store.engine, dataDir: opts.dataDir }, 'store opened')
  },
  { name: 'storage' },
)
