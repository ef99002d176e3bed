import { describe, expect, it } from 'vitest'
import type { IndicatorDef } from '../city-packs/city-pack.schema.ts'
import { aggregateIndicator, checkIndicatorValue, isPeriodOf, periodOf, periodsEnding, shiftPeriod } from './indicator-rules.ts'

const rate: IndicatorDef = {
  key: 'digital-signing',
  name: { vi: 'Ký số', en: 'Signing' },
  description: { vi: '…', en: '…' },
  unit: 'percent',
  min: 0,
  max: 100,
  integer: false,
  period: 'month',
  better: 'higher',
  aggregate: 'weighted_mean',
  weightKey: 'population',
}
const count: IndicatorDef = { ...rate, key: 'households', unit: 'count', max: 100_000, integer: true, aggregate: 'sum', better: 'neutral' }

describe('periods', () => {
  it('tells months from quarters', () => {
    expect(isPeriodOf('month', '2026-10')).toBe(true)
    expect(isPeriodOf('month', '2026-13')).toBe(false)
    expect(isPeriodOf('quarter', '2026-Q3')).toBe(true)
    expect(isPeriodOf('quarter', '2026-10')).toBe(false)
  })

  it('steps across year ends both ways', () => {
    expect(shiftPeriod('2026-01', -1)).toBe('2025-12')
    expect(shiftPeriod('2025-12', 1)).toBe('2026-01')
    expect(shiftPeriod('2026-Q1', -1)).toBe('2025-Q4')
    expect(periodsEnding('2026-02', 3)).toEqual(['2025-12', '2026-01', '2026-02'])
  })

  it("finds the period of a moment in the city's calendar, not UTC's", () => {
    // 30 Sep 2026 20:00 UTC is 1 Oct 03:00 in Tam Kỳ (UTC+7).
    const ms = Date.parse('2026-09-30T20:00:00Z')
    expect(periodOf('month', ms, 'Asia/Ho_Chi_Minh')).toBe('2026-10')
    expect(periodOf('quarter', ms, 'Asia/Ho_Chi_Minh')).toBe('2026-Q4')
    expect(periodOf('month', ms, 'UTC')).toBe('2026-09')
  })
})

describe('checkIndicatorValue', () => {
  it('accepts a value in range for a past or current period', () => {
    expect(checkIndicatorValue(rate, '2026-10', 55.5, '2026-11')).toBeNull()
    expect(checkIndicatorValue(rate, '2026-11', 100, '2026-11')).toBeNull()
  })

  it('names why a value is refused', () => {
    expect(checkIndicatorValue(rate, '2026-10', -0.1, '2026-11')).toBe('below_min')
    expect(checkIndicatorValue(rate, '2026-10', 100.1, '2026-11')).toBe('above_max')
    expect(checkIndicatorValue(count, '2026-10', 2500.5, '2026-11')).toBe('not_integer')
    expect(checkIndicatorValue(rate, '2026-Q3', 50, '2026-11')).toBe('bad_period')
    expect(checkIndicatorValue(rate, '2026-12', 50, '2026-11')).toBe('future_period')
    expect(checkIndicatorValue(rate, '2026-10', Number.NaN, '2026-11')).toBe('not_a_number')
  })

  it('takes periods from 2000-01 and 2000-Q1, and refuses earlier ones as early', () => {
    const quarterly = { ...rate, period: 'quarter' as const }
    expect(checkIndicatorValue(rate, '2000-01', 50, '2026-11')).toBeNull()
    expect(checkIndicatorValue(quarterly, '2000-Q1', 50, '2026-Q4')).toBeNull()
    for (const period of ['0001-01', '0225-03', '1999-12']) expect(checkIndicatorValue(rate, period, 50, '2026-11'), period).toBe('early_period')
    expect(checkIndicatorValue(quarterly, '1999-Q4', 50, '2026-Q4')).toBe('early_period')
  })
})

describe('aggregateIndicator', () => {
  const values = new Map([
    ['a', 50],
    ['b', 80],
  ])
  it('sums counts', () => {
    expect(aggregateIndicator(count, values)).toBe(130)
  })

  it('weights rates by the weight indicator, leaving out areas without one', () => {
    expect(aggregateIndicator(rate, values, new Map([['a', 3000], ['b', 1000]]))).toBe((50 * 3000 + 80 * 1000) / 4000)
    expect(aggregateIndicator(rate, values, new Map([['a', 3000]]))).toBe(50)
  })

  it('has no figure without values', () => {
    expect(aggregateIndicator(rate, new Map(), new Map())).toBeNull()
  })
})
