import { cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadCityPack, type StationDef } from '@ioc/shared/city-packs'

const TAM_KY = fileURLToPath(new URL('../../../shared/src/city-packs/tam-ky', import.meta.url))

/**
 * A city pack folder (IOC_CITY) with `count` flood stations spread over Tam Kỳ's bounding box, for
 * benchmarks that need more stations than the real pack. Same areas, cameras and city as Tam Kỳ;
 * stations are copies of the real ones with new ids `bench-00000`… and grid positions, each in the
 * area whose centre is nearest (as the Voronoi shapes are).
 */
export function syntheticPack(count: number): { dir: string; stationIds: string[] } {
  const pack = loadCityPack('tam-ky')
  const dir = mkdtempSync(join(tmpdir(), `ioc-pack-${count}-`))
  cpSync(TAM_KY, dir, { recursive: true })
  const [[west, south], [east, north]] = pack.city.bounds
  const side = Math.ceil(Math.sqrt(count))
  const centres = pack.areas.features.map((f) => f.properties)
  const stations: StationDef[] = []
  for (let i = 0; i < count; i++) {
    const template = pack.stations[i % pack.stations.length]!
    const lon = west + ((i % side) + 0.5) * ((east - west) / side)
    const lat = south + (Math.floor(i / side) + 0.5) * ((north - south) / side)
    let areaCode = centres[0]!.code
    let best = Infinity
    for (const c of centres) {
      const d = (c.centreLon - lon) ** 2 + (c.centreLat - lat) ** 2
      if (d < best) [best, areaCode] = [d, c.code]
    }
    const id = `bench-${String(i).padStart(5, '0')}`
    stations.push({ ...template, id, name: { vi: `Trạm thử ${i}`, en: `Bench station ${i}` }, lon: Math.round(lon * 1e5) / 1e5, lat: Math.round(lat * 1e5) / 1e5, areaCode, levelsSource: 'demo' })
  }
  writeFileSync(join(dir, 'stations.json'), JSON.stringify(stations))
  return { dir, stationIds: stations.map((s) => s.id) }
}
