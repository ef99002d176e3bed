import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fp from 'fastify-plugin'
import { BASEMAP_STYLE_PATH, BASEMAP_TILES_PATH, type BasemapView } from '@ioc/shared'
import type { BasemapDef } from '@ioc/shared/city-packs'
import { cityPackDir } from '@ioc/shared/city-packs/node'
import { ArchiveError, openMbtiles, type MbtilesArchive } from './mbtiles-archive.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The basemap both maps draw: IOC_BASEMAP_URL, else the city pack's, else none (docs/basemap.md). */
    basemap: Basemap
  }
}

export interface Basemap {
  /** What the browser is told to draw (`GET /api/public/basemap`). */
  view: BasemapView
  /** The pack's tile archive, served at /tiles/{z}/{x}/{y}; null when the basemap is online or none. */
  archive: MbtilesArchive | null
  /** The pack's style for its vector archive, its vector sources pointed at the IOC's tiles; else null. */
  style: Record<string, unknown> | null
  /** The origin of an online basemap, which the browser must be allowed to fetch from (CSP); else undefined. */
  onlineOrigin: string | undefined
}

export interface BasemapOptions {
  /** IOC_CITY: the pack whose `basemap` this serves. */
  cityId: string
  /** IOC_BASEMAP_URL and IOC_BASEMAP_ATTRIBUTION: an online basemap that wins over the pack's. */
  override: { url: string; attribution: string | undefined } | undefined
}

/** An online basemap URL: a style (`….json`), vector tiles (`.pbf`, `.mvt`) or raster tiles. */
export function onlineBasemap(url: string, attribution: string): BasemapView {
  const path = url.split(/[?#]/)[0] ?? url
  if (path.endsWith('.json')) return { kind: 'style', styleUrl: url, attribution }
  if (/\.(pbf|mvt)$/.test(path)) return { kind: 'vector', tiles: [url], minzoom: 0, maxzoom: 14, attribution }
  return { kind: 'raster', tiles: [url], tileSize: 256, minzoom: 0, maxzoom: 19, attribution }
}

/**
 * A pack's style file made to draw the pack's archive: every vector source gets the IOC's tile URL
 * and the archive's zoom range in place of whatever `url` or `tiles` the tool that wrote it put there.
 */
export function styleForArchive(style: unknown, archive: MbtilesArchive, attribution: string, file: string): Record<string, unknown> {
  if (typeof style !== 'object' || style === null || (style as { version?: unknown }).version !== 8 || !Array.isArray((style as { layers?: unknown }).layers)) {
    throw new ArchiveError(`basemap style ${file} is not a MapLibre style (version 8, with layers)`)
  }
  const sources = (style as { sources?: unknown }).sources
  const vector = Object.entries(typeof sources === 'object' && sources !== null ? sources : {}).filter(([, source]) => (source as { type?: unknown }).type === 'vector')
  if (vector.length === 0) throw new ArchiveError(`basemap style ${file} has no vector source to draw the archive with`)
  const pointed = Object.fromEntries(vector.map(([id]) => [id, { type: 'vector', tiles: [BASEMAP_TILES_PATH], minzoom: archive.minzoom, maxzoom: archive.maxzoom, attribution }]))
  return { ...(style as Record<string, unknown>), sources: { ...(sources as object), ...pointed } }
}

function fromPack(def: BasemapDef, packDir: string): Basemap {
  if ('url' in def) return { view: onlineBasemap(def.url, def.attribution), archive: null, style: null, onlineOrigin: new URL(def.url).origin }
  const archive = openMbtiles(join(packDir, def.archive))
  try {
    const { minzoom, maxzoom, attribution } = { ...archive, attribution: def.attribution }
    if (archive.format !== 'pbf') {
      if (def.style) throw new ArchiveError(`basemap style ${def.style}: ${def.archive} holds ${archive.format} images, which are drawn as they are; a style is for vector archives`)
      return { view: { kind: 'raster', tiles: [BASEMAP_TILES_PATH], tileSize: 256, minzoom, maxzoom, attribution }, archive, style: null, onlineOrigin: undefined }
    }
    let style: Record<string, unknown> | null = null
    if (def.style) {
      let parsed: unknown
      try {
        parsed = JSON.parse(readFileSync(join(packDir, def.style), 'utf8'))
      } catch (error) {
        throw new ArchiveError(`basemap style ${def.style}: ${(error as Error).message}`)
      }
      style = styleForArchive(parsed, archive, attribution, def.style)
    }
    const view: BasemapView = { kind: 'vector', tiles: [BASEMAP_TILES_PATH], minzoom, maxzoom, attribution, ...(style && { styleUrl: BASEMAP_STYLE_PATH }) }
    return { view, archive, style, onlineOrigin: undefined }
  } catch (error) {
    archive.close()
    throw error
  }
}

/**
 * The basemap, resolved once at start: a pack's archive that cannot be served stops the server with
 * a message naming the file (a map without its streets is found in a flood, not before).
 */
export default fp(
  async (fastify, opts: BasemapOptions) => {
    const def = fastify.city.city.basemap
    let basemap: Basemap = { view: { kind: 'none' }, archive: null, style: null, onlineOrigin: undefined }
    if (opts.override) {
      const { url, attribution } = opts.override
      basemap = { view: onlineBasemap(url, attribution ?? ''), archive: null, style: null, onlineOrigin: new URL(url.replaceAll('{', '%7B').replaceAll('}', '%7D')).origin }
    } else if (def) {
      basemap = fromPack(def, cityPackDir(opts.cityId))
    }
    fastify.decorate('basemap', basemap)
    fastify.addHook('onClose', async () => basemap.archive?.close())
    fastify.log.info({ kind: basemap.view.kind, source: opts.override ? 'IOC_BASEMAP_URL' : def ? 'city pack' : 'none' }, 'basemap')
  },
  { name: 'basemap', dependencies: ['city'] },
)
