import { Compile } from 'typebox/compile'
import { CityPack } from './city-pack.schema.ts'
import tamKyCity from './tam-ky/city.json'
import tamKyAreas from './tam-ky/areas.json'
import tamKyStations from './tam-ky/stations.json'
import tamKyCameras from './tam-ky/cameras.json'
import tamKyIndicators from './tam-ky/indicators.json'

export * from './city-pack.schema.ts'

/** Every city pack this build knows, by id (`IOC_CITY`). Another city adds its folder and a line here. */
export const CITY_PACKS: Record<string, unknown> = {
  'tam-ky': { city: tamKyCity, areas: tamKyAreas, stations: tamKyStations, cameras: tamKyCameras, indicators: tamKyIndicators },
}

/**
 * Whether `id` names a pack of this build. An own property only: IOC_CITY=constructor (or any name an
 * object inherits) is no pack, and is then looked for as a folder like any other name.
 */
export function isCityPackId(id: string): boolean {
  return Object.hasOwn(CITY_PACKS, id)
}

export class CityPackError extends Error {
  constructor(
    readonly packId: string,
    readonly problems: string[],
  ) {
    super(`city pack "${packId}" is invalid:\n  - ${problems.join('\n  - ')}`)
    this.name = 'CityPackError'
  }
}

const packValidator = Compile(CityPack)

/** Checks the pack's shape, then what a schema cannot say: references, uniqueness, level order, bounds. */
export function validateCityPack(packId: string, data: unknown): CityPack {
  if (!packValidator.Check(data)) {
    throw new CityPackError(packId, [...packValidator.Errors(data)].slice(0, 20).map((e) => `${e.instancePath} ${e.message}`))
  }
  const pack = data
  const problems: string[] = []
  const areaCodes = new Set(pack.areas.features.map((f) => f.properties.code))
  if (areaCodes.size !== pack.areas.features.length) problems.push('area codes are not unique')
  const [[west, south], [east, north]] = pack.city.bounds
  const inBounds = (lon: number, lat: number) => lon >= west && lon <= east && lat >= south && lat <= north
  const ids = new Set<string>()
  for (const device of [...pack.stations, ...pack.cameras]) {
    if (ids.has(device.id)) problems.push(`id "${device.id}" is used twice`)
    ids.add(device.id)
    if (!areaCodes.has(device.areaCode)) problems.push(`${device.id}: area ${device.areaCode} is not in the pack`)
    if (!inBounds(device.lon, device.lat)) problems.push(`${device.id}: position ${device.lon},${device.lat} is outside the city bounds`)
  }
  for (const station of pack.stations) {
    const { bd1, bd2, bd3 } = station.levels
    if (!(bd1 < bd2 && bd2 < bd3)) problems.push(`${station.id}: alarm levels must rise BĐ1 < BĐ2 < BĐ3 (got ${bd1}/${bd2}/${bd3})`)
  }
  const indicatorKeys = new Set(pack.indicators.map((i) => i.key))
  if (indicatorKeys.size !== pack.indicators.length) problems.push('indicator keys are not unique')
  for (const indicator of pack.indicators) {
    if (!(indicator.min < indicator.max)) problems.push(`indicator ${indicator.key}: min must be below max`)
    if (indicator.aggregate === 'weighted_mean') {
      const weight = pack.indicators.find((i) => i.key === indicator.weightKey)
      if (!weight) problems.push(`indicator ${indicator.key}: weightKey "${indicator.weightKey ?? ''}" names no indicator of the pack`)
      else if (weight.period !== indicator.period) problems.push(`indicator ${indicator.key}: its weight ${weight.key} must have the same period`)
    }
  }
  if (problems.length > 0) throw new CityPackError(packId, problems)
  return pack
}

/** The validated pack for `id`, or a CityPackError naming what is wrong or which packs exist. */
export function loadCityPack(id: string): CityPack {
  if (!isCityPackId(id)) throw new CityPackError(id, [`no such city pack; known packs: ${Object.keys(CITY_PACKS).join(', ')}`])
  return validateCityPack(id, CITY_PACKS[id])
}
