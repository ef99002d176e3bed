/**
 * Builds the Tam Kỳ demo indicator values (issue #8, point 5): plausible figures for every area and
 * indicator over the 12 months ending LAST_MONTH (and the 4 quarters ending LAST_QUARTER), marked as
 * demo data. They are invented, not the city's statistics; shapes follow the 23 Aug 2024 dialogue
 * (digital signing at 55 %, low online public-service use, e-ID hard for the elderly, online school
 * enrolment) and wards run ahead of communes. Deterministic: the same SEED gives the same file.
 *
 *   pnpm --filter @ioc/shared indicator-demo
 */
import { writeFileSync } from 'node:fs'
import { loadCityPack, type AreaFeature, type IndicatorDef, type IndicatorSeed } from '../src/city-packs/index.ts'
import { checkIndicatorValue, periodsEnding, shiftPeriod } from '../src/indicators/indicator-rules.ts'

const SEED = 20240823
const LAST_MONTH = '2026-10'
const LAST_QUARTER = '2026-Q3'
/**
 * Values must be accepted as of the month after the last one, each in its indicator's own period
 * kind: `checkIndicatorValue` compares periods as strings, so a quarter checked against a month
 * (`2026-Q1` > `2026-11`) would be refused as a future period.
 */
const CURRENT_PERIOD = { month: shiftPeriod(LAST_MONTH, 1), quarter: shiftPeriod(LAST_QUARTER, 1) } as const
/** Tam Kỳ had roughly 120,000 residents over its 13 units; the drawn sizes are scaled to this. */
const CITY_POPULATION = 121_000

/** FNV-1a over the seed and a label: every draw is keyed by what it is for, not by its order. */
function hash(label: string): number {
  let h = 0x811c9dc5 ^ SEED
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** One mulberry32 step from the hashed label: a uniform draw in [0, 1). */
function uniform(label: string): number {
  let t = (hash(label) + 0x6d2b79f5) >>> 0
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const between = (label: string, low: number, high: number) => low + (high - low) * uniform(label)
const noise = (label: string, amplitude: number) => between(label, -amplitude, amplitude)
const oneDecimal = (n: number) => Math.round(n * 10) / 10
const clamp = (n: number, low: number, high: number) => Math.min(high, Math.max(low, n))

const pack = loadCityPack('tam-ky')
const areas: AreaFeature[] = pack.areas.features
const defs = new Map(pack.indicators.map((d) => [d.key, d]))
const months = periodsEnding(LAST_MONTH, 12)
const quarters = periodsEnding(LAST_QUARTER, 4)

/** Per-area traits, drawn once. Communes are smaller, with bigger households and older residents. */
const profiles = new Map(
  areas.map((area) => {
    const id = area.properties.code
    const ward = area.properties.kind === 'ward'
    const d = (name: string, wardRange: [number, number], communeRange: [number, number]) =>
      between(`${id}|${name}`, ...(ward ? wardRange : communeRange))
    return [
      id,
      {
        population: d('population', [9_000, 15_000], [7_000, 11_500]),
        growth: d('growth', [0.0003, 0.0012], [-0.0004, 0.0006]),
        householdSize: d('household-size', [3.5, 3.75], [3.7, 4.0]),
        signingOffset: d('signing-offset', [2, 7], [-10, -4]),
        servicesStart: d('services-start', [24, 31], [20, 24]),
        servicesGain: d('services-gain', [10, 14], [7, 11]),
        vneidStart: d('vneid-start', [64, 72], [55, 61]),
        vneidGain: d('vneid-gain', [7, 12], [6, 10]),
        enrolmentBase: d('enrolment-base', [72, 78], [68, 73]),
      },
    ] satisfies [string, object]
  }),
)

// Scale the drawn sizes to the city's total, keeping each within its kind's range.
const drawnTotal = [...profiles.values()].reduce((sum, p) => sum + p.population, 0)
for (const area of areas) {
  const p = profiles.get(area.properties.code)!
  const [low, high] = area.properties.kind === 'ward' ? [8_000, 20_000] : [6_000, 14_000]
  p.population = clamp((p.population * CITY_POPULATION) / drawnTotal, low, high)
}
// Centre the signing offsets so the city mean follows the trend below.
const meanOffset = [...profiles.values()].reduce((sum, p) => sum + p.signingOffset, 0) / profiles.size
for (const p of profiles.values()) p.signingOffset -= meanOffset

/** Position in the year, 0 for the first month and 1 for the last. */
const progress = (i: number, count: number) => i / (count - 1)
/** Fast early gains that level off (campaigns reach the easy cases first). */
const saturating = (t: number) => 1 - (1 - t) ** 1.6
/** Enrolment happens in the summer: Q3 is the season, Q2 pre-registration, Q4 and Q1 transfers only. */
const ENROLMENT_SEASON: Record<string, number> = { Q1: -6, Q2: 0, Q3: 13, Q4: -4 }

const values: IndicatorSeed['values'] = []
function add(def: IndicatorDef | undefined, areaId: string, period: string, raw: number) {
  if (!def) return
  const value = def.integer ? Math.round(raw) : oneDecimal(clamp(raw, def.min, def.max))
  const refusal = checkIndicatorValue(def, period, value, CURRENT_PERIOD[def.period])
  if (refusal) throw new Error(`${def.key} ${areaId} ${period} = ${value}: ${refusal}`)
  values.push({ areaId, key: def.key, period, value })
}

for (const area of areas) {
  const id = area.properties.code
  const p = profiles.get(id)!
  let population = p.population
  months.forEach((period, i) => {
    if (i > 0) population *= 1 + p.growth + noise(`${id}|population|${period}`, 0.0015)
    const t = progress(i, months.length)
    add(defs.get('population'), id, period, population)
    add(defs.get('households'), id, period, population / (p.householdSize + noise(`${id}|households|${period}`, 0.01)))
    add(defs.get('digital-signing'), id, period, 55 + 20 * t + p.signingOffset + noise(`${id}|signing|${period}`, 1.5))
    add(defs.get('online-public-services'), id, period, p.servicesStart + p.servicesGain * t + noise(`${id}|services|${period}`, 1.2))
    add(defs.get('vneid-activation'), id, period, p.vneidStart + p.vneidGain * saturating(t) + noise(`${id}|vneid|${period}`, 0.6))
  })
  quarters.forEach((period, i) => {
    const season = ENROLMENT_SEASON[period.slice(5)] ?? 0
    const raw = p.enrolmentBase + season + 2 * progress(i, quarters.length) + noise(`${id}|enrolment|${period}`, 1.5)
    add(defs.get('online-school-enrolment'), id, period, raw)
  })
}

const order = [...defs.keys()]
values.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key) || a.areaId.localeCompare(b.areaId) || a.period.localeCompare(b.period))

const seed: IndicatorSeed = {
  demo: true,
  note: {
    vi: 'Số liệu minh hoạ (demo) được tạo tự động cho hợp lý, không phải số liệu thống kê của thành phố. Thay bằng số liệu chính thức khi có.',
    en: "Plausible demo figures generated for illustration, not the city's statistics. Replace them with official figures when available.",
  },
  values,
}

// One value per line keeps the file small and its diffs readable.
const body = values.map((v) => JSON.stringify(v)).join(',\n')
const text = `{"demo":${seed.demo},"note":${JSON.stringify(seed.note)},"values":[\n${body}\n]}\n`
const out = new URL('../src/city-packs/tam-ky/indicator-demo-values.json', import.meta.url)
writeFileSync(out, text)

const cityPopulation = (period: string) =>
  values.filter((v) => v.key === 'population' && v.period === period).reduce((sum, v) => sum + v.value, 0)
console.log(
  `wrote ${values.length} demo values to ${out.pathname}; population ${cityPopulation(months[0]!)} (${months[0]}) → ${cityPopulation(LAST_MONTH)} (${LAST_MONTH})`,
)
