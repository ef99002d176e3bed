import { describe, expect, it } from 'vitest'
import { CityPackError, loadCityPack, validateCityPack } from './index.ts'

const tamKy = loadCityPack('tam-ky')
const withBasemap = (basemap: unknown) => validateCityPack('tam-ky', { ...tamKy, city: { ...tamKy.city, basemap } })

describe("a city pack's basemap", () => {
  it('is optional: the Tam Kỳ pack has none', () => {
    expect(tamKy.city.basemap).toBeUndefined()
  })

  it('names an archive (and a style) beside city.json, or an online URL, each with its credit', () => {
    expect(withBasemap({ archive: 'basemap.mbtiles', style: 'basemap-style.json', attribution: '© OpenStreetMap contributors' }).city.basemap).toMatchObject({ archive: 'basemap.mbtiles' })
    expect(withBasemap({ url: 'https://tiles.example.vn/{z}/{x}/{y}.png', attribution: '© OpenStreetMap contributors' }).city.basemap).toMatchObject({ url: 'https://tiles.example.vn/{z}/{x}/{y}.png' })
  })

  it('refuses a file outside the pack folder, another format, a missing credit or both kinds at once', () => {
    for (const bad of [
      { archive: '../../etc/basemap.mbtiles', attribution: '© OSM' },
      { archive: 'basemap.pmtiles', attribution: '© OSM' },
      { archive: 'basemap.mbtiles' },
      { archive: 'basemap.mbtiles', url: 'https://tiles.example.vn/{z}/{x}/{y}.png', attribution: '© OSM' },
      { url: 'file:///srv/tiles/{z}/{x}/{y}.png', attribution: '© OSM' },
    ]) {
      expect(() => withBasemap(bad), JSON.stringify(bad)).toThrow(CityPackError)
    }
  })
})
