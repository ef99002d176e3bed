import { describe, expect, it } from 'vitest'
import type { AreaCollection } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'
import { createAreaLookup } from './area-lookup.ts'

const areas = loadCityPack('tam-ky').areas
const TAM_THANG = '20362'
const HOA_HUONG = '20344'

describe('area lookup (Tam Kỳ)', () => {
  const findArea = createAreaLookup(areas)

  it('finds every area by its GSO code, spaces around it ignored', () => {
    for (const { properties } of areas.features) expect(findArea(properties.code)).toBe(properties.code)
    expect(findArea(` ${TAM_THANG} `)).toBe(TAM_THANG)
  })

  it.each(['Xã Tam Thăng', 'xã tam thăng', 'XÃ TAM THĂNG', 'Xã  Tam   Thăng'])('finds a commune by its Vietnamese name with its kind: %s', (written) => {
    expect(findArea(written)).toBe(TAM_THANG)
  })

  it.each(['Phường Hòa Hương', 'Hòa Hương', 'Phường Hoà Hương', 'Hoà Hương'])('finds a ward with or without "Phường", in either tone-mark placement: %s', (written) => {
    expect(findArea(written)).toBe(HOA_HUONG)
  })

  it.each([
    ['tam thang', TAM_THANG],
    ['Xa Tam Thang', TAM_THANG],
    ['phuong hoa huong', HOA_HUONG],
    ['HOA HUONG', HOA_HUONG],
  ])('finds an area written without diacritics: %s', (written, code) => {
    expect(findArea(written)).toBe(code)
  })

  it('finds a name typed in decomposed Unicode (NFD)', () => {
    expect(findArea('Xã Tam Thăng'.normalize('NFD'))).toBe(TAM_THANG)
    expect(findArea('Hòa Hương'.normalize('NFD'))).toBe(HOA_HUONG)
  })

  it.each([
    ['Tam Thăng Commune', TAM_THANG],
    ['tam thang commune', TAM_THANG],
    ['Hòa Hương Ward', HOA_HUONG],
    ['hoa huong ward', HOA_HUONG],
  ])('finds an area by its English name: %s', (written, code) => {
    expect(findArea(written)).toBe(code)
  })

  it('tells apart names that differ only in diacritics and one letter (Tam Thanh, Tân Thạnh, Tam Thăng)', () => {
    expect(findArea('Tam Thanh')).toBe('20359')
    expect(findArea('Tân Thạnh')).toBe('20335')
    expect(findArea('tan thanh')).toBe('20335')
    expect(findArea('Tam Thăng')).toBe(TAM_THANG)
  })

  it.each(['', '   ', '99999', '2036', 'Hội An', 'Phường', 'Xã', 'Tam Thăng Tam Kỳ'])('answers null for what names no area of the city: %j', (written) => {
    expect(findArea(written)).toBeNull()
  })
})

describe('area lookup (made-up areas)', () => {
  /** The Tam Kỳ features with other names, to try what the real names do not show. */
  const renamed = (names: ReadonlyArray<{ nameVi: string; nameEn: string }>): AreaCollection => ({
    type: 'FeatureCollection',
    features: names.map((name, i) => ({ ...areas.features[i]!, properties: { ...areas.features[i]!.properties, ...name } })),
  })

  it('reads đ as d', () => {
    const collection = renamed([{ nameVi: 'Phường Điện Dương', nameEn: 'Điện Dương Ward' }])
    const code = collection.features[0]!.properties.code
    const findArea = createAreaLookup(collection)
    expect(findArea('dien duong')).toBe(code)
    expect(findArea('Phuong Dien Duong')).toBe(code)
    expect(findArea('điện dương')).toBe(code)
  })

  it('answers null for a name two areas share, but finds each by its full name', () => {
    const collection = renamed([
      { nameVi: 'Phường An Phú', nameEn: 'An Phú Ward' },
      { nameVi: 'Xã An Phú', nameEn: 'An Phú Commune' },
    ])
    const [ward, commune] = collection.features.map((f) => f.properties.code)
    const findArea = createAreaLookup(collection)
    expect(findArea('An Phú')).toBeNull()
    expect(findArea('an phu')).toBeNull()
    expect(findArea('Phường An Phú')).toBe(ward)
    expect(findArea('Xã An Phú')).toBe(commune)
    expect(findArea('An Phú Commune')).toBe(commune)
  })
})
