import fp from 'fastify-plugin'
import { createPublicFlood, type PublicFlood } from './public-flood.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The public page's data, made at most once per few seconds (public-flood.ts). */
    publicFlood: PublicFlood
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('publicFlood', createPublicFlood(fastify))
  },
  { name: 'public', dependencies: ['readings', 'city', 'station-settings', 'alarms', 'forecast'] },
)
