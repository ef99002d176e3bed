import { describe, expect, it } from 'vitest'
import { tamKy } from '../test-support/fixtures.ts'
import { focusAreaOf, polygonBounds } from './focus-area.ts'

describe('polygonBounds', () => {
  it('spans every point of every ring', () => {
    const outer: Array<[number, number]> = [
      [108.5, 15.5],
      [108.6, 15.52],
      [108.55, 15.6],
      [108.5, 15.5],
    ]
    const hole: Array<[number, number]> = [
      [108.52, 15.49],
      [108.53, 15.51],
      [108.52, 15.49],
    ]
    expect(polygonBounds([outer])).toEqual([
      [108.5, 15.5],
      [108.6, 15.6],
    ])
    expect(polygonBounds([outer, hole])[0]).toEqual([108.5, 15.49])
  })

  it('refuses a polygon without points rather than answer Infinity', () => {
    expect(() => polygonBounds([[]])).toThrow()
  })

  it('keeps each Tam Kỳ area inside the city bounds', () => {
    const [[cityWest, citySouth], [cityEast, cityNorth]] = tamKy.city.bounds
    for (const area of tamKy.areas.features) {
      const [[west, south], [east, north]] = polygonBounds(area.geometry.coordinates)
      expect(west, area.properties.code).toBeGreaterThanOrEqual(cityWest)
      expect(east).toBeLessThanOrEqual(cityEast)
      expect(south).toBeGreaterThanOrEqual(citySouth)
      expect(north).toBeLessThanOrEqual(cityNorth)
      expect(west).toBeLessThan(east)
      expect(south).toBeLessThan(north)
    }
  })
})

describe('focusAreaOf', () => {
  it("opens area staff on their own area", () => {
    expect(focusAreaOf({ role: 'area_staff', areaId: '20362' }, tamKy.areas)?.properties.nameVi).toBe('Xã Tam Thăng')
  })

  it('opens every other role on the whole city', () => {
    for (const role of ['staff', 'operator', 'admin'] as const) expect(focusAreaOf({ role, areaId: null }, tamKy.areas)).toBeNull()
  })

  it('falls back to the whole city for an area the city pack does not know', () => {
    expect(focusAreaOf({ role: 'area_staff', areaId: '99999' }, tamKy.areas)).toBeNull()
  })
})
