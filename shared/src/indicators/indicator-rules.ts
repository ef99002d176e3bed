/**
 * Indicator periods and the checks a value must pass, as plain functions (no schemas): the server
 * refuses by them and the web's form checks by the same ones before sending.
 */
import type { IndicatorDef } from '../city-packs/city-pack.schema.ts'

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/
const QUARTER = /^(\d{4})-Q([1-4])$/

/** Whether `period` is written as the indicator's period kind says (`2025-03`, `2025-Q1`). */
export function isPeriodOf(kind: IndicatorDef['period'], period: string): boolean {
  return kind === 'month' ? MONTH.test(period) : QUARTER.test(period)
}

/** The period `steps` before (negative) or after `period`. */
export function shiftPeriod(period: string, steps: number): string {
  const month = MONTH.exec(period)
  if (month) {
    const index = Number(month[1]) * 12 + Number(month[2]) - 1 + steps
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
  }
  const quarter = QUARTER.exec(period)
  if (quarter) {
    const index = Number(quarter[1]) * 4 + Number(quarter[2]) - 1 + steps
    return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`
  }
  throw new Error(`not a period: ${period}`)
}

/** The `count` periods ending with `last`, oldest first. */
export function periodsEnding(last: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => shiftPeriod(last, i - count + 1))
}

/** The period a moment falls in, in a time zone's calendar (the city's). */
export function periodOf(kind: IndicatorDef['period'], ms: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(new Date(ms))
  const year = parts.find((p) => p.type === 'year')!.value
  const month = Number(parts.find((p) => p.type === 'month')!.value)
  return kind === 'month' ? `${year}-${String(month).padStart(2, '0')}` : `${year}-Q${Math.ceil(month / 3)}`
}

/**
 * The first year a value may be entered for. A period before 2000 is a typing slip far more often than
 * a figure anyone enters (`0001-01`, `0225-03` for 2025-03), and once stored it sorts before every real
 * period and stretches every chart and city series back centuries. The city's indicators — online
 * services, digital signatures, VNeID, and the households and population that weigh them — are figures
 * of this century. The last period is the current one: a period still to come has no figure yet.
 */
export const FIRST_PERIOD_YEAR = 2000

/** `2000-01` or `2000-Q1`: the first period of a kind. */
export function firstPeriod(kind: IndicatorDef['period']): string {
  return kind === 'month' ? `${FIRST_PERIOD_YEAR}-01` : `${FIRST_PERIOD_YEAR}-Q1`
}

export const VALUE_REFUSALS = ['not_a_number', 'below_min', 'above_max', 'not_integer', 'bad_period', 'early_period', 'future_period'] as const
export type ValueRefusal = (typeof VALUE_REFUSALS)[number]

/**
 * Why a value is refused for an indicator and period, or null when it is fine. Periods of one kind,
 * zero-padded, compare as strings in time order.
 */
export function checkIndicatorValue(def: IndicatorDef, period: string, value: number, currentPeriod: string): ValueRefusal | null {
  if (!isPeriodOf(def.period, period)) return 'bad_period'
  if (period < firstPeriod(def.period)) return 'early_period'
  if (period > currentPeriod) return 'future_period'
  if (!Number.isFinite(value)) return 'not_a_number'
  if (value < def.min) return 'below_min'
  if (value > def.max) return 'above_max'
  if (def.integer && !Number.isInteger(value)) return 'not_integer'
  return null
}

/**
 * The city's figure for one indicator and period from the areas' values: a sum, a mean, or a mean
 * weighted by another indicator of the same period (areas without a weight are left out). Null when
 * no area has a value.
 */
export function aggregateIndicator(def: IndicatorDef, values: ReadonlyMap<string, number>, weights?: ReadonlyMap<string, number>): number | null {
  const entries = [...values]
  if (entries.length === 0) return null
  if (def.aggregate === 'sum') return entries.reduce((sum, [, v]) => sum + v, 0)
  if (def.aggregate === 'mean' || !weights) return entries.reduce((sum, [, v]) => sum + v, 0) / entries.length
  let total = 0
  let weight = 0
  for (const [area, value] of entries) {
    const w = weights.get(area)
    if (w === undefined || w <= 0) continue
    total += value * w
    weight += w
  }
  return weight === 0 ? null : total / weight
}
