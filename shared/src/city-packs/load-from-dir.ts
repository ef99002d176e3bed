import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { CITY_PACKS, CityPackError, loadCityPack, validateCityPack } from './index.ts'
import type { CityPack } from './city-pack.schema.ts'

/** The four files a city pack folder holds (the same as `shared/src/city-packs/tam-ky/`). */
export const CITY_PACK_FILES = ['city.json', 'areas.json', 'stations.json', 'cameras.json'] as const

/**
 * A city pack by id (`tam-ky`) or by the path of a folder holding the four pack files: a city that
 * deploys the IOC writes its own folder and points IOC_CITY at it, without changing code. Node only.
 */
export function resolveCityPack(idOrPath: string, cwd: string = process.cwd()): CityPack {
  if (idOrPath in CITY_PACKS) return loadCityPack(idOrPath)
  const dir = resolve(cwd, idOrPath)
  if (!existsSync(join(dir, 'city.json'))) {
    throw new CityPackError(idOrPath, [`neither a known pack (${Object.keys(CITY_PACKS).join(', ')}) nor a folder holding ${CITY_PACK_FILES.join(', ')}`])
  }
  const read = (file: string): unknown => {
    try {
      return JSON.parse(readFileSync(join(dir, file), 'utf8'))
    } catch (error) {
      throw new CityPackError(idOrPath, [`${file}: ${(error as Error).message}`])
    }
  }
  return validateCityPack(idOrPath, { city: read('city.json'), areas: read('areas.json'), stations: read('stations.json'), cameras: read('cameras.json') })
}
