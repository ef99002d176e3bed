import type { FastifyPluginAsync } from 'fastify'
import type { FloodLevel } from '@ioc/shared'
import { cityCardSvg, stationCardSvg } from './public-share/og-card.ts'
import { createPngCache } from './public-share/renderer.ts'

export interface PublicShareImageOptions {
  /** IOC_PUBLIC_URL (no trailing slash): the address printed on the card. */
  publicUrl: string
}

/** Enough for the city card and every point's at a few levels each; each is ~20–25 kB. */
const KEPT_IMAGES = 64

/**
 * The Open Graph images of the public page: `/muc-nuoc/og.png` for the city (how many points at each
 * level) and `/muc-nuoc/{station}/og.png` for one point (its level in words on a band of the level's
 * colour, its reading and the time of it). 1200×630 PNG, cached a minute by whoever asks.
 *
 * Rendering costs a few tens of milliseconds, so images are memoised by what they show (renderer.ts):
 * when a link goes round a chat group and every crawler fetches the preview, one render serves them.
 * An unknown point answers a plain JSON 404, like any other unknown address: a crawler then shows
 * the page's text without an image.
 */
const publicShareImage: FastifyPluginAsync<PublicShareImageOptions> = async (fastify, opts) => {
  const images = createPngCache(KEPT_IMAGES)
  const city = fastify.city.city
  const shownUrl = opts.publicUrl.replace(/^https?:\/\//, '')
  const headers = { 'content-type': 'image/png', 'cache-control': 'public, max-age=60' }

  fastify.get('/muc-nuoc/og.png', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    const flood = await fastify.publicFlood.get()
    const counts: [number, number, number, number] = [0, 0, 0, 0]
    let noData = 0
    for (const point of flood.points) {
      if (point.latest) counts[point.floodLevel as FloodLevel]++
      else noData++
    }
    const svg = cityCardSvg({ cityName: city.name.vi, counts, noData, atMs: Date.parse(flood.generatedAt), timeZone: city.timezone, link: `${shownUrl}/muc-nuoc` })
    return reply.headers(headers).send(await images.get(svg))
  })

  fastify.get('/muc-nuoc/:stationId/og.png', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const { stationId } = request.params as { stationId: string }
    const station = fastify.city.stationsById.get(stationId)
    if (!station) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no flood point "${stationId}"` })
    const point = (await fastify.publicFlood.get()).points.find((p) => p.id === stationId)
    const latest = point?.latest ?? null
    const svg = stationCardSvg({
      name: station.name.vi,
      place: station.place.vi,
      level: latest ? ((point?.floodLevel ?? 0) as FloodLevel) : -1,
      cm: latest?.waterLevelCm ?? null,
      readingMs: latest ? Date.parse(latest.ts) : null,
      levels: point?.levels ?? fastify.stationSettings.get(stationId).levels,
      cityName: city.name.vi,
      timeZone: city.timezone,
      link: `${shownUrl}/muc-nuoc/${encodeURIComponent(stationId)}`,
    })
    return reply.headers(headers).send(await images.get(svg))
  })
}
export default publicShareImage
