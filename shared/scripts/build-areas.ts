/**
 * Builds the Tam Kỳ area shapes from the 13 published ward and commune centres: Voronoi cells clipped to the
 * city's bounding box. The official boundary polygons may not be redistributed, so these shapes are
 * marked approximate and exist only until a city supplies its own GIS layer.
 *
 *   pnpm --filter @ioc/shared areas
 */
import { writeFileSync } from 'node:fs'
import { Delaunay } from 'd3-delaunay'
import city from '../src/city-packs/tam-ky/city.json'

const units = [
  { code: '20335', nameVi: 'Phường Tân Thạnh', nameEn: 'Tân Thạnh Ward', kind: 'ward', lat: 15.5818, lon: 108.4763 },
  { code: '20338', nameVi: 'Phường Phước Hòa', nameEn: 'Phước Hòa Ward', kind: 'ward', lat: 15.5691, lon: 108.4921 },
  { code: '20341', nameVi: 'Phường An Mỹ', nameEn: 'An Mỹ Ward', kind: 'ward', lat: 15.5675, lon: 108.478 },
  { code: '20344', nameVi: 'Phường Hòa Hương', nameEn: 'Hòa Hương Ward', kind: 'ward', lat: 15.5626, lon: 108.5133 },
  { code: '20347', nameVi: 'Phường An Xuân', nameEn: 'An Xuân Ward', kind: 'ward', lat: 15.5626, lon: 108.4864 },
  { code: '20350', nameVi: 'Phường An Sơn', nameEn: 'An Sơn Ward', kind: 'ward', lat: 15.5556, lon: 108.4963 },
  { code: '20353', nameVi: 'Phường Trường Xuân', nameEn: 'Trường Xuân Ward', kind: 'ward', lat: 15.5521, lon: 108.4746 },
  { code: '20356', nameVi: 'Phường An Phú', nameEn: 'An Phú Ward', kind: 'ward', lat: 15.5893, lon: 108.4956 },
  { code: '20375', nameVi: 'Phường Hòa Thuận', nameEn: 'Hòa Thuận Ward', kind: 'ward', lat: 15.5687, lon: 108.4586 },
  { code: '20359', nameVi: 'Xã Tam Thanh', nameEn: 'Tam Thanh Commune', kind: 'commune', lat: 15.6165, lon: 108.5306 },
  { code: '20362', nameVi: 'Xã Tam Thăng', nameEn: 'Tam Thăng Commune', kind: 'commune', lat: 15.6205, lon: 108.4819 },
  { code: '20371', nameVi: 'Xã Tam Phú', nameEn: 'Tam Phú Commune', kind: 'commune', lat: 15.593, lon: 108.5244 },
  { code: '20389', nameVi: 'Xã Tam Ngọc', nameEn: 'Tam Ngọc Commune', kind: 'commune', lat: 15.5319, lon: 108.4842 },
] as const

const [[west, south], [east, north]] = city.bounds as [[number, number], [number, number]]
const voronoi = Delaunay.from(units.map((u) => [u.lon, u.lat] as [number, number])).voronoi([west, south, east, north])
const round = (n: number) => Math.round(n * 1e5) / 1e5

const features = units.map((unit, i) => {
  const ring = voronoi.cellPolygon(i)
  if (!ring) throw new Error(`no Voronoi cell for ${unit.nameVi}`)
  return {
    type: 'Feature',
    properties: {
      code: unit.code,
      nameVi: unit.nameVi,
      nameEn: unit.nameEn,
      kind: unit.kind,
      centreLon: unit.lon,
      centreLat: unit.lat,
      approximate: true,
      source: 'Voronoi cell of the approximate unit centre, clipped to the city bounding box; not an official boundary',
    },
    geometry: { type: 'Polygon', coordinates: [ring.map(([lon, lat]) => [round(lon!), round(lat!)])] },
  }
})

const out = new URL('../src/city-packs/tam-ky/areas.json', import.meta.url)
writeFileSync(out, JSON.stringify({ type: 'FeatureCollection', features }, null, 1) + '\n')
console.log(`wrote ${features.length} approximate areas to ${out.pathname}`)
