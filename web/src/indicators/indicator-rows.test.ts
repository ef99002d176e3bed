import { describe, expect, it } from 'vitest'
import type { IndicatorDef, IndicatorValue } from '@ioc/shared'
import { tamKy } from '../test-support/fixtures.ts'
import { changeOf, indicatorRows, nextSort, sortRows, TREND_PERIODS } from './indicator-rows.ts'
import { mergeIndicatorValues } from './indicator-values.ts'

const def = tamKy.indicators.find((d) => d.key === 'digital-signing') as IndicatorDef

const value = (areaId: string, period: string, v: number): IndicatorValue => ({
  areaId,
  key: def.key,
  period,
  value: v,
  version: 1,
  updatedAt: '2025-10-01T00:00:00.000Z',
  updatedBy: 'demo',
  note: null,
  demo: true,
})

describe('changeOf', () => {
  it('judges a rise as better when higher is better, and worse when lower is', () => {
    expect(changeOf(60, 55, 'higher')).toEqual({ delta: 5, direction: 'up', judgement: 'better' })
    expect(changeOf(60, 55, 'lower')).toEqual({ delta: 5, direction: 'up', judgement: 'worse' })
    expect(changeOf(50, 55, 'lower')).toMatchObject({ direction: 'down', judgement: 'better' })
  })

  it('judges no change, and nothing for a neutral indicator', () => {
    expect(changeOf(55, 55, 'higher')).toMatchObject({ direction: 'same', judgement: 'same' })
    expect(changeOf(60, 55, 'neutral')).toMatchObject({ direction: 'up', judgement: 'neutral' })
  })

  it('has no change without both values', () => {
    expect(changeOf(55, null, 'higher')).toBeNull()
    expect(changeOf(null, 55, 'higher')).toBeNull()
  })
})

describe('indicatorRows', () => {
  const values = mergeIndicatorValues(new Map(), [value('20362', '2025-09', 60), value('20362', '2025-08', 55), value('20362', '2024-10', 40), value('20344', '2025-09', 70)])
  const rows = indicatorRows(tamKy.areas, values, def, '2025-09', 'vi')

  it('has one row per area of the pack', () => {
    expect(rows).toHaveLength(tamKy.areas.features.length)
  })

  it('gives each area its value, its change and a 12-period trend ending with the period', () => {
    const row = rows.find((r) => r.areaId === '20362')!
    expect(row).toMatchObject({ name: 'Xã Tam Thăng', value: { value: 60 }, previous: 55, change: { delta: 5, judgement: 'better' } })
    expect(row.trend).toHaveLength(TREND_PERIODS)
    expect(row.trend[0]).toBe(40)
    expect(row.trend.at(-1)).toBe(60)
  })

  it('leaves areas without a value empty', () => {
    expect(rows.find((r) => r.areaId === '20335')).toMatchObject({ value: null, change: null })
  })

  it('sorts by value, areas without one last in both directions', () => {
    const down = sortRows(rows, { column: 'value', direction: 'descending' }, 'vi')
    expect(down.slice(0, 2).map((r) => r.areaId)).toEqual(['20344', '20362'])
    const up = sortRows(rows, { column: 'value', direction: 'ascending' }, 'vi')
    expect(up.slice(0, 2).map((r) => r.areaId)).toEqual(['20362', '20344'])
    expect(up.at(-1)!.value).toBeNull()
  })

  it('sorts by name the Vietnamese way', () => {
    const names = sortRows(rows, { column: 'area', direction: 'ascending' }, 'vi').map((r) => r.name)
    expect(names[0]).toBe('Phường An Mỹ')
  })
})

describe('nextSort', () => {
  it('flips the direction on the same column and starts numbers high first', () => {
    expect(nextSort({ column: 'value', direction: 'descending' }, 'value')).toEqual({ column: 'value', direction: 'ascending' })
    expect(nextSort({ column: 'area', direction: 'ascending' }, 'change')).toEqual({ column: 'change', direction: 'descending' })
  })
})
