import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { floodLevelLabel, type FloodLevel, type PublicFloodResponse } from '@ioc/shared'
import { snapshotInfo } from '../api/cameras/snapshots.ts'
import { escapeHtml, renderPublicLevels, snapshotJson, type PublicCameraPicture } from './public-levels-html.ts'
import { LEVEL_WORDS } from './public-share/levels.ts'

/** The public page's address: "mực nước" (water level), read at a glance by a Vietnamese citizen. */
export const PUBLIC_PAGE_PATH = '/muc-nuoc'

export interface PublicPageOptions {
  webDir: string
  /**
   * IOC_PUBLIC_URL (no trailing slash): the base of every absolute link the page carries. Never the
   * request's Host or X-Forwarded-Host, which a client writes: a crafted one would make the previews
   * of a shared link point at another site.
   */
  publicUrl: string
}

/**
 * What the preview card shows, in its address: chat apps keep an image by its URL, so a point that
 * went from BĐ1 to BĐ2 must not keep its old card. The server renders a card once per content anyway.
 */
function imageVersion(data: PublicFloodResponse | null, stationId: string | undefined): string {
  if (!data) return '0'
  if (stationId !== undefined) {
    const point = data.points.find((p) => p.id === stationId)
    return point?.latest ? `${point.floodLevel}-${Math.round(point.latest.waterLevelCm)}` : 'none'
  }
  return [0, 1, 2, 3].map((level) => data.points.filter((p) => p.latest && p.floodLevel === level).length).join('-')
}

/**
 * Serves the public page (web/dist/public.html) at /muc-nuoc and at /muc-nuoc/{station}, with Open
 * Graph tags written for the city or for that flood point, so a link shared in a chat app previews
 * with the place and its level — and with every point's level already in the HTML, and the data the
 * script starts from beside it: readable before (or without) any script.
 */
const publicPage: FastifyPluginAsync<PublicPageOptions> = async (fastify, opts) => {
  const file = join(opts.webDir, 'public.html')
  const template = existsSync(file) ? readFileSync(file, 'utf8') : null
  const cityName = fastify.city.city.name.vi
  const publicCameras = fastify.city.cameras.filter((camera) => camera.public === true)

  /** The cameras the city marks public with their latest picture, as `GET /api/public/cameras` lists them. */
  async function publicCameraPictures(): Promise<PublicCameraPicture[]> {
    if (publicCameras.length === 0) return []
    const latest = await fastify.snapshots.repository.latest(publicCameras.map((camera) => camera.id))
    return publicCameras.map(({ id, name, lat, lon }) => {
      const row = latest.get(id)
      return { id, name, lat, lon, latest: row ? snapshotInfo(row) : null }
    })
  }

  async function send(reply: FastifyReply, stationId: string | undefined) {
    if (!template) return reply.code(503).type('text/html; charset=utf-8').send('<!doctype html><meta charset="utf-8"><p>Trang chưa được build. Chạy <code>pnpm build</code>. / Not built: run <code>pnpm build</code>.</p>')
    let title = `Mực nước lũ — ${cityName}`
    let description = 'Mực nước và cảnh báo lũ trực tiếp tại các điểm đo của thành phố. / Live flood levels and warnings.'
    let status = 200
    // The levels are the page's point, but a store that cannot answer must not take the page down:
    // then the script loads them as it did before the server wrote them in.
    const data = await fastify.publicFlood.get().catch((error: unknown): PublicFloodResponse | null => {
      fastify.log.warn({ err: error }, 'public page: levels not written into the page')
      return null
    })
    // Likewise the public cameras' latest pictures: without them the page still shows the levels.
    const cameras = await publicCameraPictures().catch((error: unknown): PublicCameraPicture[] => {
      fastify.log.warn({ err: error }, 'public page: camera pictures not written into the page')
      return []
    })
    if (stationId !== undefined) {
      const station = fastify.city.stationsById.get(stationId)
      if (!station) status = 404
      else {
        const point = data?.points.find((p) => p.id === stationId)
        const level = (point?.floodLevel ?? 0) as FloodLevel
        title = point?.latest ? `${station.name.vi}: ${Math.round(point.latest.waterLevelCm)} cm — ${LEVEL_WORDS[level].vi}` : `${station.name.vi} — ${cityName}`
        description = `${station.place.vi}. ${floodLevelLabel(level) ? `Đang ở ${floodLevelLabel(level)}. ` : ''}Mực nước cập nhật trực tiếp. / Live water level.`
      }
    }
    const pageUrl = `${PUBLIC_PAGE_PATH}${stationId && status === 200 ? `/${encodeURIComponent(stationId)}` : ''}`
    // Replacements are functions: a `$&` in a station's name is text, not a pattern.
    const html = template
      .replace('%PUBLIC_LEVELS%', () => data ? renderPublicLevels(data, { pageUrl, focusId: status === 200 ? stationId : undefined, cameras }) : '')
      .replace('%FLOOD_SNAPSHOT%', () => data ? snapshotJson(data) : 'null')
      .replaceAll('%OG_TITLE%', () => escapeHtml(title))
      .replaceAll('%OG_DESCRIPTION%', () => escapeHtml(description))
      .replaceAll('%OG_URL%', () => escapeHtml(`${opts.publicUrl}${pageUrl}`))
      .replaceAll('%OG_IMAGE%', () => escapeHtml(`${opts.publicUrl}${pageUrl}/og.png?v=${imageVersion(data, status === 200 ? stationId : undefined)}`))
    // Short: the level in the preview is a few seconds old at most, like the API's.
    return reply.code(status).header('cache-control', 'public, max-age=5').type('text/html; charset=utf-8').send(html)
  }

  fastify.get(PUBLIC_PAGE_PATH, { config: { access: 'public' }, schema: { hide: true } }, (_request, reply) => send(reply, undefined))
  fastify.get(`${PUBLIC_PAGE_PATH}/:stationId`, { config: { access: 'public' }, schema: { hide: true } }, (request, reply) =>
    send(reply, (request.params as { stationId: string }).stationId),
  )
}
export default publicPage
