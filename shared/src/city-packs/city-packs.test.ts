import { describe, expect, it } from 'vitest'
import { CityPackError, loadCityPack, validateCityPack, type CityPack } from './index.ts'

/** Tam Kỳ's 13 wards and communes of 2024 with their GSO (General Statistics Office) administrative codes. */
const UNITS = [
  { code: '20335', nameVi: 'Phường Tân Thạnh', kind: 'ward' },
  { code: '20338', nameVi: 'Phường Phước Hòa', kind: 'ward' },
  { code: '20341', nameVi: 'Phường An Mỹ', kind: 'ward' },
  { code: '20344', nameVi: 'Phường Hòa Hương', kind: 'ward' },
  { code: '20347', nameVi: 'Phường An Xuân', kind: 'ward' },
  { code: '20350', nameVi: 'Phường An Sơn', kind: 'ward' },
  { code: '20353', nameVi: 'Phường Trường Xuân', kind: 'ward' },
  { code: '20356', nameVi: 'Phường An Phú', kind: 'ward' },
  { code: '20375', nameVi: 'Phường Hòa Thuận', kind: 'ward' },
  { code: '20359', nameVi: 'Xã Tam Thanh', kind: 'commune' },
  { code: '20362', nameVi: 'Xã Tam Thăng', kind: 'commune' },
  { code: '20371', nameVi: 'Xã Tam Phú', kind: 'commune' },
  { code: '20389', nameVi: 'Xã Tam Ngọc', kind: 'commune' },
] as const

const TAM_THANG = '20362'
const HOA_HUONG = '20344'

/** Ray casting on the outer ring: is (lon, lat) inside the polygon? */
function insideRing(lon: number, lat: number, ring: readonly (readonly number[])[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number]
    const [xj, yj] = ring[j] as [number, number]
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** A fresh, deep copy of the Tam Kỳ pack that a test may break without touching another test. */
function tamKyCopy(): CityPack {
  return structuredClone(loadCityPack('tam-ky'))
}

function problemsOf(pack: unknown): string[] {
  try {
    validateCityPack('broken', pack)
  } catch (error) {
    if (error instanceof CityPackError) return error.problems
    throw error
  }
  return []
}

describe('the Tam Kỳ city pack', () => {
  it('loads and validates', () => {
    expect(() => loadCityPack('tam-ky')).not.toThrow()
  })

  it('has the 13 units of 2024: 9 wards and 4 communes', () => {
    const areas = loadCityPack('tam-ky').areas.features.map((f) => f.properties)
    expect(areas).toHaveLength(13)
    expect(areas.filter((a) => a.kind === 'ward')).toHaveLength(9)
    expect(areas.filter((a) => a.kind === 'commune')).toHaveLength(4)
  })

  it('gives every unit its GSO code, kind and Vietnamese name with correct diacritics', () => {
    const areas = loadCityPack('tam-ky').areas.features.map(({ properties: { code, nameVi, kind } }) => ({ code, nameVi, kind }))
    expect(areas).toEqual(expect.arrayContaining([...UNITS]))
  })

  it('stores Vietnamese names in NFC form so they compare and search reliably', () => {
    const pack = loadCityPack('tam-ky')
    const names = [...pack.areas.features.map((f) => f.properties.nameVi), ...pack.stations.map((s) => s.name.vi), ...pack.cameras.map((c) => c.name.vi)]
    for (const name of names) expect(name).toBe(name.normalize('NFC'))
  })

  it('marks every area shape as approximate', () => {
    for (const area of loadCityPack('tam-ky').areas.features) expect(area.properties.approximate, area.properties.code).toBe(true)
  })

  it('carries the official Tam Kỳ river alarm levels 170/220/270 cm', () => {
    const station = loadCityPack('tam-ky').stations.find((s) => s.id === 'tam-ky-river')
    expect(station?.levels).toEqual({ bd1: 170, bd2: 220, bd3: 270 })
    expect(station?.levelsSource).toBe('official')
  })

  it('has a flood-warning point at Cầu Xuân Quý in Tam Thăng commune, marked approximate', () => {
    const station = loadCityPack('tam-ky').stations.find((s) => s.name.vi.includes('Cầu Xuân Quý'))
    expect(station?.areaCode).toBe(TAM_THANG)
    expect(station?.approximateLocation).toBe(true)
  })

  it('has at least two street flood points in Hòa Hương ward', () => {
    const points = loadCityPack('tam-ky').stations.filter((s) => s.areaCode === HOA_HUONG && s.kind === 'street')
    expect(points.length).toBeGreaterThanOrEqual(2)
  })

  it('marks every non-official alarm level as demo', () => {
    for (const station of loadCityPack('tam-ky').stations.filter((s) => s.id !== 'tam-ky-river')) expect(station.levelsSource, station.id).toBe('demo')
  })

  it('says of every station how far its water can move in a minute: 5 cm on rivers, 10 on street points', () => {
    for (const station of loadCityPack('tam-ky').stations) {
      expect(station.maxChangeCmPerMinute, station.id).toBe(station.kind === 'street' ? 10 : 5)
    }
  })

  it('has at least 6 stations and 8 cameras', () => {
    const pack = loadCityPack('tam-ky')
    expect(pack.stations.length).toBeGreaterThanOrEqual(6)
    expect(pack.cameras.length).toBeGreaterThanOrEqual(8)
  })

  it('puts every device inside the city bounds', () => {
    const pack = loadCityPack('tam-ky')
    const [[west, south], [east, north]] = pack.city.bounds
    for (const d of [...pack.stations, ...pack.cameras]) {
      expect(d.lon, d.id).toBeGreaterThanOrEqual(west)
      expect(d.lon, d.id).toBeLessThanOrEqual(east)
      expect(d.lat, d.id).toBeGreaterThanOrEqual(south)
      expect(d.lat, d.id).toBeLessThanOrEqual(north)
    }
  })

  it('puts every device inside the polygon of its own area', () => {
    const pack = loadCityPack('tam-ky')
    const rings = new Map(pack.areas.features.map((f) => [f.properties.code, f.geometry.coordinates[0]!]))
    const outside = [...pack.stations, ...pack.cameras].filter((d) => !insideRing(d.lon, d.lat, rings.get(d.areaCode) ?? [])).map((d) => d.id)
    expect(outside).toEqual([])
  })

  it('puts every area centre inside its own polygon', () => {
    for (const { properties: p, geometry } of loadCityPack('tam-ky').areas.features) {
      expect(insideRing(p.centreLon, p.centreLat, geometry.coordinates[0]!), p.code).toBe(true)
    }
  })
})

describe('validateCityPack', () => {
  it('refuses alarm levels out of order and names the station', () => {
    const pack = tamKyCopy()
    pack.stations[0]!.levels = { bd1: 220, bd2: 170, bd3: 270 }
    expect(problemsOf(pack)).toEqual([expect.stringMatching(/^tam-ky-river: alarm levels must rise.*220\/170\/270/)])
  })

  it('refuses equal alarm levels', () => {
    const pack = tamKyCopy()
    pack.stations[0]!.levels = { bd1: 170, bd2: 170, bd3: 270 }
    expect(problemsOf(pack)).toHaveLength(1)
  })

  it('refuses a device in an area the pack does not have and names the device', () => {
    const pack = tamKyCopy()
    const camera = pack.cameras[0]!
    camera.areaCode = '99999'
    expect(problemsOf(pack)).toEqual([`${camera.id}: area 99999 is not in the pack`])
  })

  it('refuses an id used twice', () => {
    const pack = tamKyCopy()
    pack.cameras[0]!.id = 'tam-ky-river'
    expect(problemsOf(pack)).toEqual(['id "tam-ky-river" is used twice'])
  })

  it('refuses a device outside the city bounds and names it', () => {
    const pack = tamKyCopy()
    const station = pack.stations.find((s) => s.id === 'cau-xuan-quy')!
    station.lon = 108.2
    expect(problemsOf(pack)).toEqual([expect.stringMatching(/^cau-xuan-quy: position 108\.2,.* outside the city bounds/)])
  })

  it('lists every problem of a pack at once', () => {
    const pack = tamKyCopy()
    pack.stations[0]!.levels = { bd1: 300, bd2: 200, bd3: 100 }
    pack.cameras[0]!.areaCode = '99999'
    pack.cameras[1]!.lat = 16
    expect(problemsOf(pack)).toHaveLength(3)
  })

  it('takes a station without a plausibility limit, and refuses one of zero', () => {
    const pack = tamKyCopy()
    delete pack.stations[0]!.maxChangeCmPerMinute
    expect(problemsOf(pack)).toEqual([])
    pack.stations[0]!.maxChangeCmPerMinute = 0
    expect(problemsOf(pack).join('\n')).toContain('/stations/0/maxChangeCmPerMinute')
  })

  it('refuses a pack whose shape is wrong and points at the field', () => {
    const pack = tamKyCopy() as unknown as { stations: { id: string }[] }
    pack.stations[0]!.id = 'Bad Id'
    expect(problemsOf(pack).join('\n')).toContain('/stations/0/id')
  })

  it('names the pack in the error message', () => {
    const pack = tamKyCopy()
    pack.cameras[0]!.areaCode = '99999'
    expect(() => validateCityPack('da-nang', pack)).toThrow(/city pack "da-nang" is invalid/)
  })
})

describe('loadCityPack', () => {
  it('names the known packs when asked for one that does not exist', () => {
    expect(() => loadCityPack('nowhere')).toThrow(CityPackError)
    expect(() => loadCityPack('nowhere')).toThrow(/"nowhere".*\n.*known packs: tam-ky/)
  })

  it.each(['constructor', '__proto__', 'toString'])('has no pack named "%s", which every object inherits', (name) => {
    expect(() => loadCityPack(name)).toThrow(/no such city pack; known packs: tam-ky/)
  })
})
