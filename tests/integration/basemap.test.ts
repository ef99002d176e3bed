import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { BasemapView } from '@ioc/shared'
import { loadConfig } from '@ioc/server/config'
import { writeCityPack, writeVectorArchive } from '../helpers/basemap-archive.ts'
import { startServer, type TestServer } from '../helpers/server.ts'

const cleanup: (() => unknown)[] = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-basemap-'))
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}
async function server(env: NodeJS.ProcessEnv): Promise<TestServer> {
  const s = await startServer({ env })
  cleanup.push(() => s.close())
  return s
}
const basemapOf = async (s: TestServer) => (await (await fetch(`${s.baseUrl}/api/public/basemap`)).json()) as BasemapView

/** A pack folder holding the test archive of Tam Kỳ's streets; `style` adds a style file for it. */
function packWithArchive(style?: object): { dir: string; archive: string } {
  const dir = writeCityPack(tempDir(), { archive: 'basemap.mbtiles', ...(style && { style: 'basemap-style.json' }), attribution: '© OpenStreetMap contributors' })
  if (style) writeFileSync(join(dir, 'basemap-style.json'), JSON.stringify(style))
  writeVectorArchive(join(dir, 'basemap.mbtiles'))
  return { dir, archive: join(dir, 'basemap.mbtiles') }
}

/** The one stored tile at zoom 14 (XYZ numbering), read from the archive itself, y flipped from TMS. */
function storedTile(archive: string, z: number): { x: number; y: number; data: Buffer } {
  const db = new Database(archive, { readonly: true })
  const row = db.prepare('SELECT tile_column AS x, tile_row AS row, tile_data AS data FROM tiles WHERE zoom_level = ? ORDER BY length(tile_data) DESC LIMIT 1').get(z) as { x: number; row: number; data: Buffer }
  db.close()
  return { x: row.x, y: 2 ** z - 1 - row.row, data: row.data }
}

describe("the city pack's basemap archive", () => {
  it('tells both maps to draw the vector archive with the IOC style, and serves its tiles at /tiles/{z}/{x}/{y}', async () => {
    const pack = packWithArchive()
    const s = await server({ IOC_CITY: pack.dir })
    expect(await basemapOf(s)).toEqual({ kind: 'vector', tiles: ['/tiles/{z}/{x}/{y}'], minzoom: 10, maxzoom: 15, attribution: '© OpenStreetMap contributors' })

    const stored = storedTile(pack.archive, 14)
    const response = await fetch(`${s.baseUrl}/tiles/14/${stored.x}/${stored.y}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile')
    expect(response.headers.get('content-encoding')).toBe('gzip')
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400')
    // fetch undoes the gzip: the body is the archive's tile, unzipped.
    expect(Buffer.from(await response.arrayBuffer()).equals(gunzipSync(stored.data))).toBe(true)
    // In TMS numbering the same row names another tile, which this archive does not have.
    const tmsRow = 2 ** 14 - 1 - stored.y
    expect((await fetch(`${s.baseUrl}/tiles/14/${stored.x}/${tmsRow}`)).status).toBe(204)
  })

  it('answers 204 where the archive has no tile, 404 outside the world and 400 for a zoom that cannot be', async () => {
    const s = await server({ IOC_CITY: packWithArchive().dir })
    const empty = await fetch(`${s.baseUrl}/tiles/3/0/0`)
    expect(empty.status).toBe(204)
    expect(await empty.text()).toBe('')
    const outside = await fetch(`${s.baseUrl}/tiles/2/4/0`)
    expect(outside.status).toBe(404)
    expect(((await outside.json()) as { message: string }).message).toMatch(/outside the world/)
    expect((await fetch(`${s.baseUrl}/tiles/25/0/0`)).status).toBe(400)
    expect((await fetch(`${s.baseUrl}/tiles/14/x/1`)).status).toBe(400)
  })

  it("serves the pack's own style with its vector source pointed at the IOC's tiles", async () => {
    const s = await server({
      IOC_CITY: packWithArchive({
        version: 8,
        sources: { openmaptiles: { type: 'vector', url: 'https://tiles.example.org/planet.json' } },
        layers: [{ id: 'roads', type: 'line', source: 'openmaptiles', 'source-layer': 'transportation' }],
      }).dir,
    })
    expect(await basemapOf(s)).toMatchObject({ kind: 'vector', styleUrl: '/tiles/style.json' })
    const style = (await (await fetch(`${s.baseUrl}/tiles/style.json`)).json()) as { sources: Record<string, unknown>; layers: unknown[] }
    expect(style.sources).toEqual({ openmaptiles: { type: 'vector', tiles: ['/tiles/{z}/{x}/{y}'], minzoom: 10, maxzoom: 15, attribution: '© OpenStreetMap contributors' } })
    expect(style.layers).toHaveLength(1)
  })

  it('serves a raster archive as images, as they are stored', async () => {
    const dir = writeCityPack(tempDir(), { archive: 'anh.mbtiles', attribution: '© Sở TN&MT Quảng Nam' })
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')
    const db = new Database(join(dir, 'anh.mbtiles'))
    db.exec("CREATE TABLE metadata (name TEXT, value TEXT); CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB); INSERT INTO metadata VALUES ('format', 'png'), ('minzoom', '12'), ('maxzoom', '17')")
    db.prepare('INSERT INTO tiles VALUES (12, 3281, ?, ?)').run(2 ** 12 - 1 - 1897, png)
    db.close()
    const s = await server({ IOC_CITY: dir })
    expect(await basemapOf(s)).toEqual({ kind: 'raster', tiles: ['/tiles/{z}/{x}/{y}'], tileSize: 256, minzoom: 12, maxzoom: 17, attribution: '© Sở TN&MT Quảng Nam' })
    const tile = await fetch(`${s.baseUrl}/tiles/12/3281/1897`)
    expect(tile.headers.get('content-type')).toBe('image/png')
    expect(tile.headers.get('content-encoding')).toBeNull()
    expect(Buffer.from(await tile.arrayBuffer()).equals(png)).toBe(true)
  })

  it('refuses to start on an archive it cannot serve, naming the file', async () => {
    const dir = writeCityPack(tempDir(), { archive: 'khong-co.mbtiles', attribution: '© OpenStreetMap contributors' })
    await expect(startServer({ env: { IOC_CITY: dir } })).rejects.toThrow(/khong-co\.mbtiles/)
    writeFileSync(join(dir, 'khong-co.mbtiles'), 'not sqlite')
    await expect(startServer({ env: { IOC_CITY: dir } })).rejects.toThrow(/khong-co\.mbtiles/)
  })
})

describe('IOC_BASEMAP_URL', () => {
  it("overrides the pack's archive at run time, and only its origin is let into the page's CSP", async () => {
    const s = await server({ IOC_CITY: packWithArchive().dir, IOC_BASEMAP_URL: 'https://tiles.tamky.gov.vn/osm/{z}/{x}/{y}.png', IOC_BASEMAP_ATTRIBUTION: '© OpenStreetMap contributors' })
    expect(await basemapOf(s)).toEqual({ kind: 'raster', tiles: ['https://tiles.tamky.gov.vn/osm/{z}/{x}/{y}.png'], tileSize: 256, minzoom: 0, maxzoom: 19, attribution: '© OpenStreetMap contributors' })
    const csp = (await fetch(`${s.baseUrl}/api/public/basemap`)).headers.get('content-security-policy') ?? ''
    expect(csp).toContain("img-src 'self' data: blob: https://tiles.tamky.gov.vn;")
    expect(csp).toContain("connect-src 'self' https://tiles.tamky.gov.vn;")
    expect(csp).toContain("script-src 'self';")
    // The archive is not served while an online basemap replaces it.
    expect((await fetch(`${s.baseUrl}/tiles/14/13112/7591`)).status).toBe(404)
  })

  it('takes a style URL as a whole style; with neither, the map has no basemap and the CSP no other origin', async () => {
    const styled = await server({ IOC_BASEMAP_URL: 'https://maps.example.vn/styles/bright/style.json' })
    expect(await basemapOf(styled)).toEqual({ kind: 'style', styleUrl: 'https://maps.example.vn/styles/bright/style.json', attribution: '' })
    const plain = await server({})
    expect(await basemapOf(plain)).toEqual({ kind: 'none' })
    expect((await fetch(`${plain.baseUrl}/api/public/basemap`)).headers.get('content-security-policy')).toContain("connect-src 'self';")
  })

  it('stops the server with a message naming a URL that is neither tiles nor a style', () => {
    const base = { IOC_DATA_DIR: tempDir() }
    expect(() => loadConfig({ ...base, IOC_BASEMAP_URL: 'https://tiles.example.vn/osm.png' })).toThrow(/IOC_BASEMAP_URL="https:\/\/tiles.example.vn\/osm.png" must be XYZ tiles naming \{z\}, \{x\} and \{y\}/)
    expect(() => loadConfig({ ...base, IOC_BASEMAP_URL: 'ftp://tiles.example.vn/{z}/{x}/{y}.png' })).toThrow(/IOC_BASEMAP_URL=.* must be an http:\/\/ or https:\/\/ URL/)
    expect(() => loadConfig({ ...base, IOC_BASEMAP_ATTRIBUTION: '© OSM' })).toThrow(/IOC_BASEMAP_ATTRIBUTION credits the basemap of IOC_BASEMAP_URL/)
  })
})
