import { describe, expect, it } from 'vitest'
import { tamKy } from '../test-support/fixtures.ts'
import { areaValueText, choroplethAreas, choroplethLabels, type Choropleth } from './choropleth.ts'
import { parseImageId } from './image-id.ts'

const choropleth: Choropleth = {
  label: 'map',
  areas: { '20362': { fill: '#253494', text: '72,5%', hasValue: true }, '20344': { fill: '#d1d5db', text: 'Chưa có số liệu', hasValue: false } },
}

describe('choroplethAreas', () => {
  it('gives every area of the pack its fill, areas not named as without a value', () => {
    const fc = choroplethAreas(tamKy.areas, choropleth, '#eeeeee')
    expect(fc.features).toHaveLength(tamKy.areas.features.length)
    expect(fc.features.find((f) => f.properties.code === '20362')?.properties).toEqual({ code: '20362', fill: '#253494', hasValue: true })
    expect(fc.features.find((f) => f.properties.code === '20335')?.properties).toEqual({ code: '20335', fill: '#eeeeee', hasValue: false })
  })
})

describe('choroplethLabels', () => {
  it('writes the value, or "no data", at the area centre with an image the map can draw', () => {
    const labels = choroplethLabels(tamKy.areas, choropleth).features
    expect(labels.map((f) => parseImageId(f.properties.label))).toEqual([
      { kind: 'label', variant: 'novalue', text: 'Chưa có số liệu' },
      { kind: 'label', variant: 'value', text: '72,5%' },
    ])
  })
})

describe('areaValueText', () => {
  it('names the area in the language with its value', () => {
    expect(areaValueText(tamKy.areas, choropleth, '20362', 'vi')).toBe('Xã Tam Thăng: 72,5%')
    expect(areaValueText(tamKy.areas, choropleth, 'nowhere', 'vi')).toBeNull()
  })
})
