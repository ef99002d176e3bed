import { describe, expect, it } from 'vitest'
import { badgeText, levelMessageKey, levelSlug, stationLevel } from './levels.ts'

const latest = (waterLevelCm: number) => ({ ts: '2025-10-30T07:00:00Z', waterLevelCm })

describe('stationLevel', () => {
  it('is -1 before the first reading', () => {
    expect(stationLevel({ latest: null, floodLevel: 0 })).toBe(-1)
  })

  it('is the flood level once there is a reading', () => {
    expect(stationLevel({ latest: latest(235), floodLevel: 2 })).toBe(2)
  })
})

describe('badgeText', () => {
  it('writes the alarm level and the water level', () => {
    expect(badgeText({ latest: latest(235), floodLevel: 2 }, 'vi')).toBe('BĐ2 · 235 cm')
  })

  it('writes only the water level below BĐ1', () => {
    expect(badgeText({ latest: latest(85), floodLevel: 0 }, 'en')).toBe('85 cm')
  })

  it('writes a dash before the first reading', () => {
    expect(badgeText({ latest: null, floodLevel: 0 }, 'vi')).toBe('–')
  })
})

describe('levelMessageKey', () => {
  it('names every level with its own message', () => {
    const keys = ([-1, 0, 1, 2, 3] as const).map(levelMessageKey)
    expect(new Set(keys).size).toBe(5)
  })
})

describe('levelSlug', () => {
  it('gives CSS-safe names', () => {
    expect(([-1, 0, 3] as const).map(levelSlug)).toEqual(['nodata', '0', '3'])
  })
})
