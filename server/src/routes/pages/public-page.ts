import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { floodLevelLabel, type FloodLevel } from '@ioc/shared'

/** The public page's address: "mực nước" (water level), read at a glance by a Vietnamese citizen. */
export const PUBLIC_PAGE_PATH = '/muc-nuoc'
const LEVEL_WORDS = ['Dưới mức báo động', 'Báo động I', 'Báo động II', 'Báo động III'] as const

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

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
 * Serves the public page (web/dist/public.html) at /muc-nuoc and at /muc-nuoc/{station}, with Open
 * Graph tags written for the city or for that flood point, so a link shared in a chat app previews
 * with the place and its level.
 */
const publicPage: FastifyPluginAsync<PublicPageOptions> = async (fastify, opts) => {
  const file = join(opts.webDir, 'public.html')
  const template = existsSync(file) ? readFileSync(file, 'utf8') : null
  const cityName = fastify.city.city.name.vi

  async function send(reply: FastifyReply, stationId: string | undefined) {
    if (!template) return reply.code(503).type('text/html; charset=utf-8').send('<!doctype html><meta charset="utf-8"><p>Trang chưa được build. Chạy <code>pnpm build</code>. / Not built: run <code>pnpm build</code>.</p>')
    let title = `Mực nước lũ — ${cityName}`
    let description = 'Mực nước và cảnh báo lũ trực tiếp tại các điểm đo của thành phố. / Live flood levels and warnings.'
    let status = 200
    if (stationId !== undefined) {
      const station = fastify.city.stationsById.get(stationId)
      if (!station) status = 404
      else {
        const point = (await fastify.publicFlood.get()).points.find((p) => p.id === stationId)
        const level = (point?.floodLevel ?? 0) as FloodLevel
        title = point?.latest ? `${station.name.vi}: ${Math.round(point.latest.waterLevelCm)} cm — ${LEVEL_WORDS[level]}` : `${station.name.vi} — ${cityName}`
        description = `${station.place.vi}. ${floodLevelLabel(level) ? `Đang ở ${floodLevelLabel(level)}. ` : ''}Mực nước cập nhật trực tiếp. / Live water level.`
      }
    }
    const html = template
      .replaceAll('%OG_TITLE%', escapeHtml(title))
      .replaceAll('%OG_DESCRIPTION%', escapeHtml(description))
      .replaceAll('%OG_URL%', escapeHtml(`${opts.publicUrl}${PUBLIC_PAGE_PATH}${stationId && status === 200 ? `/${encodeURIComponent(stationId)}` : ''}`))
    // Short: the level in the preview is a few seconds old at most, like the API's.
    return reply.code(status).header('cache-control', 'public, max-age=5').type('text/html; charset=utf-8').send(html)
  }

  fastify.get(PUBLIC_PAGE_PATH, { config: { access: 'public' }, schema: { hide: true } }, (_request, reply) => send(reply, undefined))
  fastify.get(`${PUBLIC_PAGE_PATH}/:stationId`, { config: { access: 'public' }, schema: { hide: true } }, (request, reply) =>
    send(reply, (request.params as { stationId: string }).stationId),
  )
}
export default publicPage
