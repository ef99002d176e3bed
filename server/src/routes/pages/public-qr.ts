import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import QRCode from 'qrcode'
import { POSTER_CSS, POSTER_CSS_PATH, posterHtml } from './public-share/poster.ts'

export interface PublicQrOptions {
  /** IOC_PUBLIC_URL (no trailing slash): the base of the address each QR code holds — never the request's Host. */
  publicUrl: string
}

/** A host no phone in the street can reach: the QR code of such an address is useless on a poster. */
const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/i

/**
 * QR codes for the flood points, to print and stick up beside them:
 * - `/muc-nuoc/{station}/qr.svg`: the code alone, an SVG of the point's public page address;
 * - `/muc-nuoc/{station}/ma-qr` ("mã QR"): an A4 poster page around it — no script, its style from
 *   `/muc-nuoc/ma-qr.css` since the CSP allows no inline style.
 * Error correction M (15 %): survives a scuffed or rain-spotted print and stays a small code.
 */
const publicQr: FastifyPluginAsync<PublicQrOptions> = async (fastify, opts) => {
  const city = fastify.city.city
  const localOnly = LOCAL_HOST.test(new URL(opts.publicUrl).hostname)
  const codes = new Map<string, Promise<string>>()
  const pageUrl = (stationId: string) => `${opts.publicUrl}/muc-nuoc/${encodeURIComponent(stationId)}`
  /** The code of one point's address; made once (the stations are the city pack's, fixed at start). */
  function qrSvg(stationId: string): Promise<string> {
    let code = codes.get(stationId)
    if (!code) {
      code = QRCode.toString(pageUrl(stationId), { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } })
      codes.set(stationId, code)
    }
    return code
  }
  const notFound = (reply: FastifyReply, stationId: string) => reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no flood point "${stationId}"` })

  fastify.get(POSTER_CSS_PATH, { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(POSTER_CSS),
  )

  fastify.get('/muc-nuoc/:stationId/qr.svg', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const { stationId } = request.params as { stationId: string }
    if (!fastify.city.stationsById.has(stationId)) return notFound(reply, stationId)
    return reply.header('cache-control', 'public, max-age=3600').type('image/svg+xml; charset=utf-8').send(await qrSvg(stationId))
  })

  fastify.get('/muc-nuoc/:stationId/ma-qr', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const { stationId } = request.params as { stationId: string }
    const station = fastify.city.stationsById.get(stationId)
    if (!station) {
      return reply
        .code(404)
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Không có điểm đo này</title></head>' +
            '<body><main><p>Không có điểm đo này. <a href="/muc-nuoc">Xem các điểm đo</a>.</p><p lang="en">No such flood point. <a href="/muc-nuoc">See the flood points</a>.</p></main></body></html>',
        )
    }
    const html = posterHtml(
      {
        stationId,
        name: station.name,
        place: station.place,
        cityName: city.name,
        levels: fastify.stationSettings.get(stationId).levels,
        meanings: city.floodAdvice ? { 1: city.floodAdvice['1'].meaning, 2: city.floodAdvice['2'].meaning, 3: city.floodAdvice['3'].meaning } : null,
        url: pageUrl(stationId),
        qrSvg: await qrSvg(stationId),
      },
      { localOnly },
    )
    // The alarm levels printed come from the station settings, which an admin may change: not cached long.
    return reply.header('cache-control', 'public, max-age=300').type('text/html; charset=utf-8').send(html)
  })
}
export default publicQr
