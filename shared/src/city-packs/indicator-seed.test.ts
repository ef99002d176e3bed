import { Compile } from 'typebox/compile'
import { describe, expect, it } from 'vitest'
import { IndicatorSeed, loadCityPack } from './index.ts'
import { aggregateIndicator, checkIndicatorValue, periodsEnding } from '../indicators/indicator-rules.ts'
import demo from './tam-ky/indicator-demo-values.json'

/** The demo covers the 12 months ending 2026-10 and the 4 quarters ending 2026-Q3 (build-indicator-demo.ts). */
const PERIODS = { month: periodsEnding('2026-10', 12), quarter: periodsEnding('2026-Q3', 4) }
/**
 * "Now" for the check, in each indicator's own period kind: the check compares periods as strings,
 * so a quarter must be checked against a quarter.
 */
const CURRENT = { month: '2026-11', quarter: '2026-Q4' }

const pack = loadCityPack('tam-ky')
const seed = demo as IndicatorSeed
const areaIds = pack.areas.features.map((f) => f.properties.code)

function valuesOf(key: string, period: string): Map<string, number> {
  return new Map(seed.values.filter((v) => v.key === key && v.period === period).map((v) => [v.areaId, v.value]))
}

function cityFigure(key: string, period: string): number {
  const def = pack.indicators.find((d) => d.key === key)!
  const weights = def.weightKey === undefined ? undefined : valuesOf(def.weightKey, period)
  return aggregateIndicator(def, valuesOf(key, period), weights)!
}

describe('the Tam Kỳ demo indicator values', () => {
  it('match the IndicatorSeed schema and are marked as demo data with a note in both languages', () => {
    const validator = Compile(IndicatorSeed)
    expect([...validator.Errors(demo)]).toEqual([])
    expect(seed.demo).toBe(true)
    expect(seed.note?.vi).toMatch(/minh hoạ|demo/i)
    expect(seed.note?.en).toMatch(/demo/i)
    expect(seed.note?.en).toMatch(/not the city's statistics/)
  })

  it('cover every area × indicator × period exactly once', () => {
    const expected = new Set<string>()
    for (const def of pack.indicators) {
      for (const areaId of areaIds) for (const period of PERIODS[def.period]) expected.add(`${areaId}|${def.key}|${period}`)
    }
    const seen = seed.values.map((v) => `${v.areaId}|${v.key}|${v.period}`)
    expect(new Set(seen).size).toBe(seen.length)
    expect(new Set(seen)).toEqual(expected)
    expect(expected.size).toBe(13 * (5 * 12 + 1 * 4))
  })

  it('pass the same value check the server and the form use', () => {
    const defs = new Map(pack.indicators.map((d) => [d.key, d]))
    const refused = seed.values
      .map((v) => {
        const def = defs.get(v.key)!
        return { ...v, refusal: checkIndicatorValue(def, v.period, v.value, CURRENT[def.period]) }
      })
      .filter((v) => v.refusal !== null)
    expect(refused).toEqual([])
    // Rates carry one decimal at most.
    for (const v of seed.values) expect(Math.round(v.value * 10) / 10).toBe(v.value)
  })

  it('give a city of roughly Tam Kỳ’s size, drifting slowly, with 3.5–4 people per household', () => {
    for (const period of PERIODS.month) {
      const population = cityFigure('population', period)
      expect(population).toBeGreaterThan(100_000)
      expect(population).toBeLessThan(150_000)
      const ratio = population / cityFigure('households', period)
      expect(ratio).toBeGreaterThan(3.4)
      expect(ratio).toBeLessThan(4.1)
    }
    for (const area of pack.areas.features) {
      const series = PERIODS.month.map((p) => valuesOf('population', p).get(area.properties.code)!)
      const [low, high] = area.properties.kind === 'ward' ? [7_000, 21_000] : [5_000, 15_000]
      for (const [i, value] of series.entries()) {
        expect(value).toBeGreaterThanOrEqual(low)
        expect(value).toBeLessThanOrEqual(high)
        if (i > 0) expect(Math.abs(value / series[i - 1]! - 1)).toBeLessThanOrEqual(0.003 + 1 / value)
      }
    }
  })

  it('show rates rising over the year, and digital signing starting near the reported 55 %', () => {
    for (const def of pack.indicators.filter((d) => d.unit === 'percent')) {
      const periods = PERIODS[def.period]
      expect(cityFigure(def.key, periods.at(-1)!), def.key).toBeGreaterThan(cityFigure(def.key, periods[0]!))
    }
    expect(cityFigure('digital-signing', PERIODS.month[0]!)).toBeCloseTo(55, -1)
    expect(cityFigure('digital-signing', PERIODS.month.at(-1)!)).toBeCloseTo(75, -1)
  })

  it('put wards ahead of communes and the summer enrolment quarter highest', () => {
    const kinds = new Map(pack.areas.features.map((f) => [f.properties.code, f.properties.kind]))
    const meanOf = (values: Map<string, number>, kind: string) => {
      const picked = [...values].filter(([area]) => kinds.get(area) === kind).map(([, v]) => v)
      return picked.reduce((sum, v) => sum + v, 0) / picked.length
    }
    for (const key of ['digital-signing', 'online-public-services', 'vneid-activation']) {
      for (const period of PERIODS.month) {
        const values = valuesOf(key, period)
        expect(meanOf(values, 'ward'), `${key} ${period}`).toBeGreaterThan(meanOf(values, 'commune'))
      }
    }
    const enrolment = PERIODS.quarter.map((p) => cityFigure('online-school-enrolment', p))
    expect(Math.max(...enrolment)).toBe(cityFigure('online-school-enrolment', '2026-Q3'))
  })
})
