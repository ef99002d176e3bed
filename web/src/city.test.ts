import { describe, expect, it } from 'vitest'
import type { AreaCollection } from '@ioc/shared'
import { approximationNote, areaName } from './city.ts'
import { tamKy } from './test-support/fixtures.ts'

const surveyed: AreaCollection = {
  ...tamKy.areas,
  features: tamKy.areas.features.map((f) => ({ ...f, properties: { ...f.properties, approximate: false } })),
}

describe('areaName', () => {
  it('names the area in the reader language', () => {
    expect([areaName(tamKy.areas, '20362', 'vi'), areaName(tamKy.areas, '20362', 'en')]).toEqual(['Xã Tam Thăng', 'Tam Thăng Commune'])
  })

  it('falls back to the code for an unknown area', () => {
    expect(areaName(tamKy.areas, '99999', 'vi')).toBe('99999')
  })
})

describe('approximationNote', () => {
  it('warns about both shapes and positions for the Tam Kỳ demo pack', () => {
    expect(approximationNote(tamKy.areas, tamKy.stations, tamKy.cameras)).toBe('approx.both')
  })

  it('warns only about positions once the areas are surveyed', () => {
    expect(approximationNote(surveyed, tamKy.stations, [])).toBe('approx.positions')
  })

  it('says nothing when everything is surveyed', () => {
    expect(approximationNote(surveyed, [{ approximateLocation: false }], [])).toBeNull()
  })
})
