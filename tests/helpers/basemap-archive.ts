import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import Database from 'better-sqlite3'
import { GeoJSONVT } from '@maplibre/geojson-vt'
import { fromGeojsonVt } from '@maplibre/vt-pbf'

type Position = [number, number]
interface Feature {
  type: 'Feature'
  properties: Record<string, string>
  geometry: { type: 'LineString'; coordinates: Position[] } | { type: 'Point'; coordinates: Position }
}
interface Layer {
  type: 'FeatureCollection'
  features: Feature[]
}

const line = (coordinates: Position[], properties: Record<string, string>): Feature => ({ type: 'Feature', properties, geometry: { type: 'LineString', coordinates } })
const point = (coordinates: Position, properties: Record<string, string>): Feature => ({ type: 'Feature', properties, geometry: { type: 'Point', coordinates } })
/** Vector tiles' usual grid: 4096 units a side. */
const EXTENT = 4096

const STREETS: Array<[string, string, Position[]]> = [
  ['primary', 'Phan Châu Trinh', [[108.462, 15.548], [108.472, 15.558], [108.48, 15.567], [108.487, 15.578], [108.496, 15.592]]],
  ['primary', 'Hùng Vương', [[108.455, 15.571], [108.47, 15.57], [108.483, 15.569], [108.5, 15.566], [108.515, 15.563]]],
  ['secondary', 'Trần Cao Vân', [[108.466, 15.58], [108.478, 15.575], [108.49, 15.572], [108.503, 15.57]]],
  ['minor', 'Nguyễn Hoàng', [[108.476, 15.56], [108.479, 15.565], [108.482, 15.572], [108.485, 15.58]]],
]

/**
 * A tiny OpenMapTiles-schema basemap of Tam Kỳ — four streets, the Tam Kỳ river and two place names,
 * drawn by hand for tests (SYNTHETIC: not surveyed, not OpenStreetMap data) — as GeoJSON per source layer.
 */
export const TAM_KY_TEST_BASEMAP: Record<string, Layer> = {
  transportation: { type: 'FeatureCollection', features: STREETS.map(([kind, , coordinates]) => line(coordinates, { class: kind })) },
  transportation_name: { type: 'FeatureCollection', features: STREETS.map(([kind, name, coordinates]) => line(coordinates, { class: kind, name, 'name:vi': name })) },
  waterway: {
    type: 'FeatureCollection',
    features: [line([[108.44, 15.59], [108.46, 15.583], [108.478, 15.581], [108.492, 15.583], [108.505, 15.578], [108.52, 15.572], [108.54, 15.57]], { class: 'river', name: 'Sông Tam Kỳ' })],
  },
  place: {
    type: 'FeatureCollection',
    features: [point([108.483, 15.567], { class: 'city', name: 'Tam Kỳ' }), point([108.5133, 15.5626], { class: 'suburb', name: 'Hòa Hương' })],
  },
}

/** Tam Kỳ's bounding box, where the archive has tiles: [west, south, east, north]. */
const BOUNDS = [108.4417, 15.5093, 108.5566, 15.6447] as const

function tileRange(z: number): { x: [number, number]; y: [number, number] } {
  const n = 2 ** z
  const x = (lon: number) => Math.floor(((lon + 180) / 360) * n)
  const y = (lat: number) => {
    const r = (lat * Math.PI) / 180
    return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)
  }
  return { x: [x(BOUNDS[0]), x(BOUNDS[2])], y: [y(BOUNDS[3]), y(BOUNDS[1])] }
}

export interface ArchiveStats {
  file: string
  tiles: number
  bytes: number
  minzoom: number
  maxzoom: number
}

/**
 * Writes `layers` as an MBTiles archive of gzip'd vector tiles (zoom `minzoom`…`maxzoom` over Tam Kỳ),
 * as tilemaker or Planetiler would: TMS rows, `format` pbf, `json` listing the layers.
 */
export function writeVectorArchive(file: string, layers: Record<string, Layer> = TAM_KY_TEST_BASEMAP, minzoom = 10, maxzoom = 15): ArchiveStats {
  const indexes = Object.entries(layers).map(([name, data]) => [name, new GeoJSONVT(data as ConstructorParameters<typeof GeoJSONVT>[0], { maxZoom: maxzoom, indexMaxZoom: maxzoom, extent: EXTENT, buffer: 64 })] as const)
  const db = new Database(file)
  db.exec('CREATE TABLE metadata (name TEXT, value TEXT); CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB); CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)')
  const meta = db.prepare('INSERT INTO metadata VALUES (?, ?)')
  const metadata = {
    name: 'Tam Kỳ (test)',
    format: 'pbf',
    minzoom: String(minzoom),
    maxzoom: String(maxzoom),
    bounds: BOUNDS.join(','),
    attribution: 'Test data',
    json: JSON.stringify({ vector_layers: Object.keys(layers).map((id) => ({ id, fields: {} })) }),
  }
  for (const [name, value] of Object.entries(metadata)) meta.run(name, value)
  const insert = db.prepare('INSERT INTO tiles VALUES (?, ?, ?, ?)')
  let tiles = 0
  let bytes = 0
  db.transaction(() => {
    for (let z = minzoom; z <= maxzoom; z++) {
      const range = tileRange(z)
      for (let x = range.x[0]; x <= range.x[1]; x++) {
        for (let y = range.y[0]; y <= range.y[1]; y++) {
          const tileLayers = Object.fromEntries(indexes.flatMap(([name, index]) => {
            const tile = index.getTile(z, x, y)
            return tile ? [[name, tile]] : []
          }))
          if (Object.keys(tileLayers).length === 0) continue
          const data = gzipSync(fromGeojsonVt(tileLayers, { version: 2, extent: EXTENT }))
          insert.run(z, x, 2 ** z - 1 - y, data)
          tiles++
          bytes += data.length
        }
      }
    }
  })()
  db.close()
  return { file, tiles, bytes, minzoom, maxzoom }
}

/**
 * A city pack folder: the built-in Tam Kỳ pack's files, with `basemap` (if given) in its city.json.
 * Tests write their archive into the folder and start a server with IOC_CITY pointing at it.
 */
export function writeCityPack(dir: string, basemap?: Record<string, string>): string {
  const packDir = fileURLToPath(new URL('../../shared/src/city-packs/tam-ky/', import.meta.url))
  cpSync(packDir, dir, { recursive: true })
  if (basemap) {
    const city = JSON.parse(readFileSync(join(dir, 'city.json'), 'utf8')) as Record<string, unknown>
    writeFileSync(join(dir, 'city.json'), JSON.stringify({ ...city, basemap }, null, 2))
  }
  return dir
}
