import type { FastifyPluginAsync } from 'fastify'
import { ICONS, iconSvg, type IconName } from './public-share/icon.ts'
import { BRAND, PAGE } from './public-share/levels.ts'
import { renderPng } from './public-share/renderer.ts'

export const MANIFEST_PATH = '/muc-nuoc/manifest.webmanifest'

/**
 * The public page as an app a citizen can add to the home screen: the web app manifest and its icons
 * (a water drop with the water level inside it, on the page's blue), drawn by the same renderer as
 * the share images when first asked for and kept. Served under /muc-nuoc, the app's scope.
 */
const publicManifest: FastifyPluginAsync = async (fastify) => {
  const city = fastify.city.city
  const manifest = JSON.stringify({
    id: '/muc-nuoc',
    name: `Mực nước lũ ${city.name.vi}`,
    short_name: 'Mực nước',
    description: `Mực nước và cảnh báo lũ trực tiếp tại các điểm đo của ${city.name.vi}. / Live flood levels and warnings, ${city.name.en}.`,
    lang: 'vi',
    dir: 'ltr',
    start_url: '/muc-nuoc',
    scope: '/muc-nuoc',
    display: 'standalone',
    theme_color: BRAND,
    background_color: PAGE,
    icons: (Object.entries(ICONS) as [IconName, (typeof ICONS)[IconName]][])
      .filter(([name]) => name !== 'apple-touch-icon.png')
      .map(([name, { size, kind }]) => ({ src: `/muc-nuoc/${name}`, sizes: `${size}x${size}`, type: 'image/png', purpose: kind })),
  })

  fastify.get(MANIFEST_PATH, { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('application/manifest+json; charset=utf-8').send(manifest),
  )

  const rendered = new Map<IconName, Promise<Buffer>>()
  for (const [name, { size, kind }] of Object.entries(ICONS) as [IconName, (typeof ICONS)[IconName]][]) {
    fastify.get(`/muc-nuoc/${name}`, { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
      let png = rendered.get(name)
      if (!png) {
        png = renderPng(iconSvg(size, kind))
        rendered.set(name, png)
        png.catch(() => rendered.delete(name))
      }
      return reply.header('cache-control', 'public, max-age=86400').type('image/png').send(await png)
    })
  }
}
export default publicManifest
