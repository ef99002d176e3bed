import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ApiError, BasemapView, PublicFloodResponse } from '@ioc/shared'

/**
 * Generous per address: mobile carriers put many phones behind one address (carrier-grade NAT). The
 * real protection of the operators' IOC is the cache: the answer is made once per TTL.
 */
export const PUBLIC_RATE_LIMIT = { max: 300, timeWindow: 60_000 } as const

/** What citizens' phones read, without login: flood points, their levels and open flood warnings. */
const publicRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const flood = fastify.publicFlood
  fastify.get(
    '/flood',
    {
      config: { access: 'public', rateLimit: PUBLIC_RATE_LIMIT },
      schema: {
        tags: ['public'],
        summary: 'Every flood point with its level, trend data (24 h hourly) and the open flood warnings, with what to do; cached 5 s',
        response: { 200: PublicFloodResponse, 429: ApiError },
      },
    },
    async (_request, reply) => {
      void reply.header('cache-control', `public, max-age=${Math.floor(flood.ttlMs / 1000)}`)
      return flood.get()
    },
  )

  fastify.get(
    '/basemap',
    {
      config: { access: 'public', rateLimit: PUBLIC_RATE_LIMIT },
      schema: {
        tags: ['public'],
        summary: "The basemap both maps draw under areas and stations: IOC_BASEMAP_URL, else the city pack's archive or URL, else none",
        response: { 200: BasemapView, 429: ApiError },
      },
    },
    async (_request, reply) => {
      void reply.header('cache-control', 'public, max-age=300')
      return fastify.basemap.view
    },
  )
}
export default publicRoutes
