import { describe, expect, it } from 'vitest'
import { trendData, trendOptions, type TrendInput } from './trend-config.ts'

const input: TrendInput = {
  periods: ['2025-08', '2025-09'],
  area: [55, null],
  city: [50, 52.5],
  areaName: 'Xã Tam Thăng',
  cityName: 'Toàn thành phố',
  def: { unit: 'percent', min: 0, max: 100 },
  lang: 'vi',
}

describe('trendData', () => {
  it('draws the area and the city over the same periods, labelled short', () => {
    const data = trendData(input)
    expect(data.labels).toEqual(['8/2025', '9/2025'])
    expect(data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['Xã Tam Thăng', [55, null]],
      ['Toàn thành phố', [50, 52.5]],
    ])
  })

  it('tells the city apart by a dashed line, not by colour alone', () => {
    expect(trendData(input).datasets[1]).toMatchObject({ borderDash: [6, 4] })
    expect(trendData(input).datasets[0]).not.toHaveProperty('borderDash')
  })

  it('leaves a gap where a period has no value', () => {
    expect(trendData(input).datasets[0]).toMatchObject({ spanGaps: false })
  })
})

describe('trendOptions', () => {
  it('writes the axis in the unit, the Vietnamese way', () => {
    const ticks = trendOptions(input).scales!.y!.ticks as { callback: (value: number) => string }
    expect(ticks.callback(52.5)).toBe('52,5%')
  })
})
