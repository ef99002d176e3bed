import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ApiError } from '@ioc/shared'
import { NotFound } from '../../domain-errors.ts'

/**
 * A map view asks for a few dozen tiles and panning for more, so the limit is far above the public
 * API's; tiles are cached by the browser for a day, so a reload asks for none of them again.
 */
export const TILE_RATE_LIMIT = { max: 3000, timeWindow: 60_000 } as const
/** A day: an archive changes when the city makes a new one, rarely; a stale day of streets is harmless. */
const TILE_CACHE = 'public, max-age=86400'

const TileParams = Type.Object({
  z: Type.Integer({ minimum: 0, maximum: 24 }),
  x: Type.Integer({ minimum: 0 }),
  y: Type.Integer({ minimum: 0 }),
})

/**
 * The city pack's basemap archive, served by the IOC itself so the maps need no internet
 * (docs/basemap.md). No login: the citizens' page draws them too.
 */
const tileRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { archive, style } = fastify.basemap

  fastify.get(
    '/:z/:x/:y',
    {
      config: { access: 'public', rateLimit: TILE_RATE_LIMIT },
      schema: {
        tags: ['city'],
        summary: "One tile of the city pack's basemap archive (XYZ numbering): vector tiles gzip'd, images as they are; 204 where the archive has none",
        params: TileParams,
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'a Mapbox Vector Tile, PNG, JPEG or WebP image' }),
          204: Type.Null({ description: 'no tile here: nothing to draw' }),
          404: ApiError,
          429: ApiError,
        },
      },
    },
    async (request, reply) => {
      if (!archive) throw new NotFound('this IOC serves no basemap archive (its city pack has none, or IOC_BASEMAP_URL names an online one)')
      const { z, x, y } = request.params
      if (x >= 2 ** z || y >= 2 ** z) throw new NotFound(`tile ${z}/${x}/${y} is outside the world: at zoom ${z}, x and y go up to ${2 ** z - 1}`)
      void reply.header('cache-control', TILE_CACHE)
      const tile = archive.tile(z, x, y)
      // MapLibre draws nothing for a 204 and logs no error, as for an empty tile (sea, or outside the city).
      if (!tile) return reply.code(204).send(null)
      void reply.header('content-type', tile.contentType)
      if (tile.encoding) void reply.header('content-encoding', tile.encoding)
      return reply.send(tile.data)
    },
  )

  fastify.get(
    '/style.json',
    {
      config: { access: 'public', rateLimit: TILE_RATE_LIMIT },
      schema: {
        tags: ['city'],
        summary: "The city pack's MapLibre style for its vector archive, its vector sources pointed at /tiles/{z}/{x}/{y}",
        response: { 200: Type.Object({ version: Type.Literal(8) }, { additionalProperties: true }), 404: ApiError, 429: ApiError },
      },
    },
    async (_request, reply) => {
      if (!style) throw new NotFound('the city pack has no basemap style: its vector archive is drawn with the IOC\'s own style')
      void reply.header('cache-control', 'public, max-age=3600')
      return style as { version: 8 }
    },
  )
}
export default tileRoutes
