import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CITY_PACKS, CityPackError, isCityPackId, loadCityPack, validateCityPack } from './index.ts'
import { Compile } from 'typebox/compile'
import Type from 'typebox'
import { IndicatorSeed, type CityPack } from './city-pack.schema.ts'
import { NotificationRuleInput } from '../notifications/notification-api.ts'

/** The four files a city pack folder holds (the same as `shared/src/city-packs/tam-ky/`). */
export const CITY_PACK_FILES = ['city.json', 'areas.json', 'stations.json', 'cameras.json'] as const
/** Files a pack may hold: its indicator definitions (none when absent), and values to start with. */
export const OPTIONAL_CITY_PACK_FILES = ['indicators.json', 'indicator-demo-values.json', 'notification-rules.json'] as const

const seedValidator = Compile(IndicatorSeed)
const rulesValidator = Compile(Type.Array(NotificationRuleInput))

/**
 * The notification rules a pack ships for a new IOC (`notification-rules.json`: who is paged for what,
 * docs/notifications.md), or null when it has none. Seeded by the server once, into an empty store;
 * kept out of the pack object, so the browser never bundles them.
 */
export function loadNotificationRules(idOrPath: string, cwd: string = process.cwd()): NotificationRuleInput[] | null {
  const file = isCityPackId(idOrPath) ? fileURLToPath(new URL(`./${idOrPath}/notification-rules.json`, import.meta.url)) : join(resolve(cwd, idOrPath), 'notification-rules.json')
  if (!existsSync(file)) return null
  let data: unknown
  try {
    data = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new CityPackError(idOrPath, [`notification-rules.json: ${(error as Error).message}`])
  }
  if (!rulesValidator.Check(data)) {
    throw new CityPackError(idOrPath, [...rulesValidator.Errors(data)].slice(0, 10).map((e) => `notification-rules.json${e.instancePath} ${e.message}`))
  }
  return data
}

/**
 * The indicator values a pack ships (`indicator-demo-values.json`, `demo: true` when they are demo
 * figures), or null when it has none. Loaded by the server into an empty store; kept out of the pack
 * object itself, so the browser never bundles them.
 */
export function loadIndicatorSeed(idOrPath: string, cwd: string = process.cwd()): IndicatorSeed | null {
  const file = isCityPackId(idOrPath) ? fileURLToPath(new URL(`./${idOrPath}/indicator-demo-values.json`, import.meta.url)) : join(resolve(cwd, idOrPath), 'indicator-demo-values.json')
  if (!existsSync(file)) return null
  let data: unknown
  try {
    data = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new CityPackError(idOrPath, [`indicator-demo-values.json: ${(error as Error).message}`])
  }
  if (!seedValidator.Check(data)) {
    throw new CityPackError(idOrPath, [...seedValidator.Errors(data)].slice(0, 10).map((e) => `indicator-demo-values.json${e.instancePath} ${e.message}`))
  }
  return data
}

/** The folder a pack's files are in: a built-in pack's own, or the city's folder (IOC_CITY=/path). */
export function cityPackDir(idOrPath: string, cwd: string = process.cwd()): string {
  return isCityPackId(idOrPath) ? fileURLToPath(new URL(`./${idOrPath}/`, import.meta.url)) : resolve(cwd, idOrPath)
}

/**
 * A city pack by id (`tam-ky`) or by the path of a folder holding the four pack files: a city that
 * deploys the IOC writes its own folder and points IOC_CITY at it, without changing code. Node only.
 */
export function resolveCityPack(idOrPath: string, cwd: string = process.cwd()): CityPack {
  if (isCityPackId(idOrPath)) return loadCityPack(idOrPath)
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
  return validateCityPack(idOrPath, {
    city: read('city.json'),
    areas: read('areas.json'),
    stations: read('stations.json'),
    cameras: read('cameras.json'),
    indicators: existsSync(join(dir, 'indicators.json')) ? read('indicators.json') : [],
  })
}
