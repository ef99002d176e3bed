import { describe, expect, it } from 'vitest'
import type { IndicatorValue } from '@ioc/shared'
import { mergeIndicatorValues, valueKey } from './indicator-values.ts'

const value = (overrides: Partial<IndicatorValue> = {}): IndicatorValue => ({
  areaId: '20362',
  key: 'digital-signing',
  period: '2025-09',
  value: 55,
  version: 1,
  updatedAt: '2025-10-01T02:00:00.000Z',
  updatedBy: 'demo',
  note: null,
  demo: true,
  ...overrides,
})

describe('mergeIndicatorValues', () => {
  it('adds values by area, indicator and period', () => {
    const merged = mergeIndicatorValues(new Map(), [value(), value({ period: '2025-08', value: 50 })])
    expect(merged.get(valueKey('20362', 'digital-signing', '2025-08'))?.value).toBe(50)
    expect(merged.size).toBe(2)
  })

  it('takes a newer version', () => {
    const merged = mergeIndicatorValues(new Map(), [value(), value({ version: 2, value: 61 })])
    expect(merged.get(valueKey('20362', 'digital-signing', '2025-09'))?.value).toBe(61)
  })

  it('keeps the newer version when an older one arrives late', () => {
    const current = mergeIndicatorValues(new Map(), [value({ version: 3, value: 70 })])
    expect(mergeIndicatorValues(current, [value({ version: 2, value: 61 })])).toBe(current)
  })

  it('gives back the same map when nothing changed', () => {
    const current = mergeIndicatorValues(new Map(), [value()])
    expect(mergeIndicatorValues(current, [value()])).toBe(current)
    expect(mergeIndicatorValues(current, [])).toBe(current)
  })
})
